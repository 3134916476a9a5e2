"""Best-of-n random sampling: the optimize baseline."""

from __future__ import annotations

import numpy as np

from alearn.kinds.optimize.acquirers.base import AcquirerStrategy


class RandomAcquirer:
    """Best-of-n random sampling (the baseline)."""

    def __init__(self, X: np.ndarray, seed: int) -> None:
        self.n, self.seed = X.shape[0], seed

    def start(self, k: int) -> list[int]:
        rng = np.random.default_rng([self.seed, 0])
        return [int(r) for r in rng.choice(self.n, size=min(k, self.n), replace=False)]

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray) -> int:
        rows = np.flatnonzero(eligible)
        return int(rows[np.random.default_rng([self.seed, len(labeled)]).integers(rows.size)])


STRATEGY = AcquirerStrategy("random", "rows drawn uniformly at random (the baseline)",
                            RandomAcquirer)
