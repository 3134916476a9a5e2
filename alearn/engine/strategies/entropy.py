"""Entropy sampling: ask for the row whose predicted class distribution is most spread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.engine.strategies.base import PoolStrategy

if TYPE_CHECKING:
    import numpy as np


def entropy(model: object, X: object) -> np.ndarray:
    """Entropy of the predicted class distribution."""
    from modAL.uncertainty import classifier_entropy  # on first use: the registry stays cheap

    return classifier_entropy(model, X)


STRATEGY = PoolStrategy("entropy", "highest entropy of the predicted classes", entropy,
                        kinds=("classify",))
