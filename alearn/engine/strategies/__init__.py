"""Pool-based query strategies: one module each, listed once in :data:`STRATEGIES`.

Uncertainty measures come from modAL (``classifier_margin``,
``classifier_entropy``, ``classifier_uncertainty``); alearn owns selection so
ties are broken by a seeded generator rather than NumPy's global state. Each
strategy names the kinds that accept it; :func:`for_kind` gives a kind's own
registry. Adding one: a module with a :class:`PoolStrategy` and one line here.
"""

from __future__ import annotations

from alearn.engine.strategies import (
    certainty,
    entropy,
    least_confident,
    margin,
    random,
    uncertainty,
)
from alearn.engine.strategies.base import PoolStrategy, Utility
from alearn.engine.strategies.select import select
from alearn.registry import Registry

STRATEGIES: Registry[PoolStrategy] = Registry("strategy", [
    margin.STRATEGY,
    entropy.STRATEGY,
    least_confident.STRATEGY,
    certainty.STRATEGY,
    uncertainty.STRATEGY,
    random.STRATEGY,
])


def for_kind(kind: str) -> Registry[PoolStrategy]:
    """The strategies tasks of ``kind`` accept, in registry order."""
    return STRATEGIES.subset([s.name for s in STRATEGIES.values() if kind in s.kinds])


def get_strategy(name: str) -> Utility:
    """The utility function of the strategy called ``name`` (ConfigError if unknown)."""
    return STRATEGIES.get(name).utility


__all__ = ["STRATEGIES", "PoolStrategy", "Utility", "for_kind", "get_strategy", "select"]
