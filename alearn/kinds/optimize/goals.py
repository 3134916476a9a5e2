"""Distance to heaven (d2h): how far a row's goal values are from the ideal.

The learner normalises goals over the rows it has measured only
(:func:`own_d2h`); the simulation scores with the whole file's range.
"""

from __future__ import annotations

import numpy as np


def heaven(goals: dict[str, str]) -> np.ndarray:
    """The ideal normalised value of each goal: 1 to maximise, 0 to minimise."""
    return np.array([1.0 if d == "max" else 0.0 for d in goals.values()])


def d2h(Y: np.ndarray, weights: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Distance to heaven of each row of ``Y`` with goals normalised by ``lo``/``hi``.

    Parameters
    ----------
    Y : ndarray of shape (n, goals)
    weights : ndarray of shape (goals,)
        1 for goals to maximise, 0 for goals to minimise.
    lo, hi : ndarray of shape (goals,)
        Normalisation range per goal (a zero range normalises to 0).

    Returns
    -------
    ndarray of shape (n,)
        ``sqrt(mean((norm(y) - w)^2))``, in [0, 1].
    """
    span = np.where(hi > lo, hi - lo, 1.0)
    norm = np.clip((Y - lo) / span, 0.0, 1.0)
    return np.sqrt(np.nanmean((norm - weights) ** 2, axis=1))


def own_d2h(Y_labeled: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """d2h of labeled rows normalised over the labeled rows only (what a learner may know)."""
    return d2h(Y_labeled, weights, np.nanmin(Y_labeled, axis=0), np.nanmax(Y_labeled, axis=0))


def best_labeled(labeled: list[int], Y_labeled: np.ndarray, weights: np.ndarray) -> int:
    """The labeled row the learner reports as best (by its labeled-only d2h)."""
    return labeled[int(np.argmin(own_d2h(Y_labeled, weights)))]
