"""What a pool-based query strategy is: a named utility over the pool, for some kinds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


# utility(model, X) -> one score per row of X; higher = ask sooner.
Utility = Callable[[object, object], "np.ndarray"]


@dataclass(frozen=True)
class PoolStrategy:
    """A query strategy that scores every pool row with the current model.

    Attributes
    ----------
    name : str
        The name in task files and ``--strategy``.
    help : str
        One line for docs and help texts.
    utility : callable
        ``utility(model, X)``: one score per row; the highest-scoring eligible
        rows are asked first (ties broken by a seeded generator).
    kinds : tuple of str
        The task kinds that accept it.
    stopping : bool
        Screening: whether the stopping advice holds for a screen in this
        strategy's order. Its model is a rate of finds that falls along the
        screen no faster than exponentially: true when the likeliest rows come
        first or the order is random, not when relevant rows can come in late
        bursts. Off unless a strategy says so and ``bench/stopping_rules.py``
        shows it; without it there is no advice (docs/screening.md).
    """

    name: str
    help: str
    utility: Utility
    kinds: tuple[str, ...]
    stopping: bool = False


def positive_score(model: object, X: object) -> np.ndarray:
    """Score of the last class in ``model.classes_`` (the positive one in screening)."""
    import numpy as np

    if hasattr(model, "decision_function"):
        score = np.asarray(model.decision_function(X), dtype=float)
        return score if score.ndim == 1 else score[:, -1]
    with np.errstate(divide="ignore"):  # a pure leaf's log(0): -inf ranks it last, as meant
        log_p = model.predict_log_proba(X)
    return log_p[:, -1] - log_p[:, 0]
