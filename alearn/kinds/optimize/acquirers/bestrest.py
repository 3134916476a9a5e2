"""The published best-vs-rest acquisition (the "Case for Compact AI" letter's method)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.kinds.optimize.acquirers.base import AcquirerStrategy
from alearn.kinds.optimize.acquirers.random import RandomAcquirer
from alearn.seeds import step

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

# Rows scored per step by the best-vs-rest acquisition (as published).
CANDIDATES = 100


class BestRest(RandomAcquirer):
    """The published acquisition: split measured rows into the best sqrt(n) and
    the rest by labeled-only d2h, fit naive Bayes best-vs-rest, and measure the
    most likely "best" of 100 random unmeasured candidates."""

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray,
             pending: Sequence[int] = ()) -> int:
        import numpy as np
        from sklearn.naive_bayes import GaussianNB  # on first use: the registry stays cheap

        is_best = np.zeros(len(labeled), dtype=int)
        is_best[np.argsort(y, kind="stable")[: max(1, int(np.sqrt(len(labeled))))]] = 1
        rows = np.flatnonzero(eligible)
        rng = step(self.seed, len(labeled))
        pool = rng.choice(rows, size=min(CANDIDATES, rows.size), replace=False)
        model = GaussianNB().fit(self.X[labeled], is_best)
        p_best = model.predict_proba(self.X[pool])[:, list(model.classes_).index(1)]
        return int(pool[int(np.argmax(p_best))])

    def __init__(self, X: np.ndarray, seed: int) -> None:
        super().__init__(X, seed)
        self.X = X


STRATEGY = AcquirerStrategy("bestrest", "naive Bayes best-vs-rest over 100 random candidates "
                            "(as published)", BestRest)
