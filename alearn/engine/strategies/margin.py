"""Margin sampling: ask for the row whose two likeliest classes are closest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.engine.strategies.base import PoolStrategy

if TYPE_CHECKING:
    import numpy as np


def margin(model: object, X: object) -> np.ndarray:
    """Negative gap between the two most likely classes (higher = closer call)."""
    from modAL.uncertainty import classifier_margin  # on first use: the registry stays cheap

    return -classifier_margin(model, X)


STRATEGY = PoolStrategy("margin", "smallest gap between the two likeliest classes (default)",
                        margin, kinds=("classify",))
