"""Choosing the best eligible rows by utility, ties broken by seeded keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def select(utility: np.ndarray, k: int, eligible: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Pick the ``k`` eligible rows with the highest utility.

    Parameters
    ----------
    utility : ndarray of shape (n,)
    k : int
    eligible : bool ndarray of shape (n,)
        Rows that may be picked (unlabeled and not skipped).
    tiebreak : ndarray of shape (n,)
        Seeded random keys; among equal utilities the larger key wins.

    Returns
    -------
    ndarray of int
        Row indices, best first.
    """
    import numpy as np

    if k == 1:
        # The common case (one row at a time), without gathering every eligible
        # row: the same row (highest utility, then the larger key).
        masked = np.where(eligible, utility, -np.inf)
        tied = np.flatnonzero((masked == masked.max()) & eligible) if eligible.any() \
            else np.empty(0, dtype=int)
        return tied[np.argsort(-tiebreak[tied], kind="stable")[:1]]
    rows = np.flatnonzero(eligible)
    k = min(k, rows.size)
    if k == 0:
        return rows[:0]
    u = utility[rows]
    if k < rows.size:
        # Keep every row tied with the k-th best, then order exactly.
        kth = np.partition(u, u.size - k)[u.size - k]
        keep = u >= kth
        rows, u = rows[keep], u[keep]
    order = np.lexsort((-tiebreak[rows], -u))[:k]
    return rows[order]
