"""Uncertainty sampling (screening): ask for the row nearest the decision boundary."""

from __future__ import annotations

import numpy as np

from alearn.engine.strategies.base import PoolStrategy, positive_score


def uncertainty(model: object, X: object) -> np.ndarray:
    """Screening: closeness to the decision boundary (minus the absolute score)."""
    return -np.abs(positive_score(model, X))


STRATEGY = PoolStrategy("uncertainty", "nearest the relevant/irrelevant boundary first",
                        uncertainty, kinds=("screen",))
