"""Task kinds: classify, screen, optimize."""

from __future__ import annotations

import importlib
from types import ModuleType


def get_kind(name: str) -> ModuleType:
    """The module simulating this kind of task (``prepare`` and ``simulate_seed``)."""
    return importlib.import_module(f"alearn.kinds.{name}.simulate")
