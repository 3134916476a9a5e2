"""Optimize strategies (acquirers): one module each, listed once in :data:`ACQUIRERS`.

Adding one: a module with an :class:`AcquirerStrategy` and one line here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.kinds.optimize.acquirers import bestrest, gpei, random
from alearn.kinds.optimize.acquirers.base import START, Acquirer, AcquirerStrategy
from alearn.registry import Registry

if TYPE_CHECKING:
    import numpy as np

ACQUIRERS: Registry[AcquirerStrategy] = Registry("strategy", [
    gpei.STRATEGY,
    bestrest.STRATEGY,
    random.STRATEGY,
])


def make_acquirer(strategy: str, X: np.ndarray, seed: int) -> Acquirer:
    """The named acquirer over encoded rows ``X``, seeded (ConfigError if unknown)."""
    return ACQUIRERS.get(strategy, key="strategy").make(X, seed)


__all__ = ["ACQUIRERS", "START", "Acquirer", "AcquirerStrategy", "make_acquirer"]
