"""Margin sampling: ask for the row whose two likeliest classes are closest."""

from __future__ import annotations

import numpy as np

from alearn.engine.strategies.base import PoolStrategy


def margin(model: object, X: object) -> np.ndarray:
    """Negative gap between the two most likely classes (higher = closer call)."""
    from modAL.uncertainty import classifier_margin  # on first use: the registry stays cheap

    return -classifier_margin(model, X)


STRATEGY = PoolStrategy("margin", "smallest gap between the two likeliest classes (default)",
                        margin, kinds=("classify",))
