"""Task kinds, listed once in :data:`KINDS`: classify, screen, optimize.

Each kind is one object implementing :class:`alearn.kinds.base.Kind`. Adding a
kind: a package here with its object and one line below.
"""

from __future__ import annotations

from alearn.kinds import classify, optimize, screen
from alearn.kinds.base import Kind
from alearn.registry import Registry

KINDS: Registry[Kind] = Registry("kind", [classify.KIND, optimize.KIND, screen.KIND])


def get_kind(name: str) -> Kind:
    """The kind called ``name`` (ConfigError naming the known ones otherwise)."""
    return KINDS.get(name)
