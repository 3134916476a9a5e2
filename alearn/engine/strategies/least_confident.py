"""Least-confident sampling: ask for the row whose likeliest class is least likely."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.engine.strategies.base import PoolStrategy

if TYPE_CHECKING:
    import numpy as np


def least_confident(model: object, X: object) -> np.ndarray:
    """One minus the probability of the most likely class."""
    from modAL.uncertainty import classifier_uncertainty  # on first use: the registry stays cheap

    return classifier_uncertainty(model, X)


STRATEGY = PoolStrategy("least-confident", "lowest probability of the likeliest class",
                        least_confident, kinds=("classify",))
