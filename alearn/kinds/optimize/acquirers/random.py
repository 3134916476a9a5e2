"""Best-of-n random sampling: the optimize baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.kinds.optimize.acquirers.base import AcquirerStrategy
from alearn.seeds import Stream, step, stream

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np


class RandomAcquirer:
    """Best-of-n random sampling (the baseline)."""

    def __init__(self, X: np.ndarray, seed: int) -> None:
        self.n, self.seed = X.shape[0], seed

    def start(self, k: int) -> list[int]:
        rng = stream(self.seed, Stream.TIEBREAK)
        return [int(r) for r in rng.choice(self.n, size=min(k, self.n), replace=False)]

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray,
             pending: Sequence[int] = ()) -> int:
        import numpy as np

        rows = np.flatnonzero(eligible)
        return int(rows[step(self.seed, len(labeled)).integers(rows.size)])


STRATEGY = AcquirerStrategy("random", "rows drawn uniformly at random (the baseline)",
                            RandomAcquirer)
