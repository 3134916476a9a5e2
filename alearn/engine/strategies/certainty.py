"""Certainty sampling (screening): ask for the row likeliest to be relevant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.engine.strategies.base import PoolStrategy, positive_score

if TYPE_CHECKING:
    import numpy as np


def certainty(model: object, X: object) -> np.ndarray:
    """Screening: how strongly the row is predicted to belong to the rare class."""
    return positive_score(model, X)


STRATEGY = PoolStrategy("certainty", "likeliest to be relevant first (default)", certainty,
                        kinds=("screen",), stopping=True)
