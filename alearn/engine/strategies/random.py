"""Random sampling: the baseline every kind runs on the same seeds."""

from __future__ import annotations

import numpy as np

from alearn.engine.strategies.base import PoolStrategy


def random(model: object, X: object) -> np.ndarray:
    """No preference: every row scores the same, so the seeded tie-break decides."""
    return np.zeros(X.shape[0])


STRATEGY = PoolStrategy("random", "uniformly at random (the baseline)", random,
                        kinds=("classify", "screen"), stopping=True)
