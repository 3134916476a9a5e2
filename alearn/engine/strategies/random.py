"""Random sampling: the baseline every kind runs on the same seeds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.engine.strategies.base import PoolStrategy

if TYPE_CHECKING:
    import numpy as np


def random(model: object, X: object) -> np.ndarray:
    """No preference: every row scores the same, so the seeded tie-break decides."""
    import numpy as np

    return np.zeros(X.shape[0])


STRATEGY = PoolStrategy("random", "uniformly at random (the baseline)", random,
                        kinds=("classify", "screen"), stopping=True)
