"""Query strategies: plain functions scoring how informative each pool row is.

Uncertainty measures come from modAL (``classifier_margin``,
``classifier_entropy``, ``classifier_uncertainty``); alearn owns selection so
ties are broken by a seeded generator rather than NumPy's global state.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from modAL.uncertainty import classifier_entropy, classifier_margin, classifier_uncertainty

from alearn.errors import ConfigError

Utility = Callable[[object, object], np.ndarray]


def margin(model: object, X: object) -> np.ndarray:
    """Negative gap between the two most likely classes (higher = closer call)."""
    return -classifier_margin(model, X)


def entropy(model: object, X: object) -> np.ndarray:
    """Entropy of the predicted class distribution."""
    return classifier_entropy(model, X)


def least_confident(model: object, X: object) -> np.ndarray:
    """One minus the probability of the most likely class."""
    return classifier_uncertainty(model, X)


def _positive_score(model: object, X: object) -> np.ndarray:
    """Score of the last class in ``model.classes_`` (the positive one in screening)."""
    if hasattr(model, "decision_function"):
        score = np.asarray(model.decision_function(X), dtype=float)
        return score if score.ndim == 1 else score[:, -1]
    log_p = model.predict_log_proba(X)
    return log_p[:, -1] - log_p[:, 0]


def certainty(model: object, X: object) -> np.ndarray:
    """Screening: how strongly the row is predicted to belong to the rare class."""
    return _positive_score(model, X)


def uncertainty(model: object, X: object) -> np.ndarray:
    """Screening: closeness to the decision boundary (minus the absolute score)."""
    return -np.abs(_positive_score(model, X))


def random(model: object, X: object) -> np.ndarray:
    """No preference: every row scores the same, so the seeded tie-break decides."""
    return np.zeros(X.shape[0])


# The utility function of every pool-based strategy, by name. Which names a task
# kind accepts is alearn.data.tasks.KIND_STRATEGIES (checked by alearn.data.tasks.check_strategy).
STRATEGIES: dict[str, Utility] = {
    "margin": margin,
    "entropy": entropy,
    "least-confident": least_confident,
    "certainty": certainty,
    "uncertainty": uncertainty,
    "random": random,
}


def get_strategy(name: str) -> Utility:
    """Look up a strategy by name."""
    try:
        return STRATEGIES[name]
    except KeyError:
        raise ConfigError(f"strategy {name!r} is not known; expected one of "
                          f"{', '.join(STRATEGIES)}") from None


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
