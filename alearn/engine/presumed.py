"""A screening retrain: the labeled relevant rows against every other row, which it
presumes irrelevant (a seeded sample of them on a big pile, so a retrain's cost
grows with the labels, not with the pile), with the reviewer's question as one
more relevant row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from sklearn.utils.validation import has_fit_parameter

from alearn.engine.fits import fit_clean
from alearn.engine.query import with_query
from alearn.seeds import Stream, stream

if TYPE_CHECKING:
    from alearn.engine.query import Query

# Screening retrains presume every unscreened row irrelevant; past this many, a
# seeded sample of them stands in for all, so a retrain's cost stops growing
# with the pile. Sampling 1,000 (Kitchenham) or 2,000 (Radjenovic) of them
# changed the labels to 95 % recall by +0.8 and -4.3 (docs/screening.md).
PRESUMED_MAX = 2000


def presumed_sample(n: int, order: Sequence[int], seed: int
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """The rows a screening retrain fits on when the pile is large, and their weights:
    every labeled row (weight 1) and ``PRESUMED_MAX`` unscreened rows drawn at random,
    each weighted to stand for its share of all unscreened rows, so the fit's
    objective estimates the one over every row. ``None``: fit on every row.

    The draw is keyed by the number of labels, so the same labels give the same
    sample (a resumed session refits the model it had).
    """
    labeled = np.zeros(n, dtype=bool)
    labeled[np.asarray(order, dtype=int)] = True
    unscreened = np.flatnonzero(~labeled)
    if unscreened.size <= PRESUMED_MAX:
        return None
    sample = stream(seed, Stream.PRESUMED, len(order)).choice(
        unscreened, size=PRESUMED_MAX, replace=False)
    rows = np.sort(np.concatenate([np.flatnonzero(labeled), sample]))
    return rows, np.where(labeled[rows], 1.0, unscreened.size / PRESUMED_MAX)


def fit_screening(model: object, X_all: object, order: Sequence[int], y: np.ndarray,
                  positive: str, seed: int, query: Query | None) -> object | None:
    """``model`` fitted to tell the rows labeled ``positive`` from every other row of
    ``X_all`` (labeled or not: presumed irrelevant, :func:`presumed_sample` of them on
    a big pile when the model weighs rows), with ``query`` as one more relevant row;
    ``None`` with neither a relevant row nor a query.

    Parameters
    ----------
    model : estimator
        A fresh screening model (:func:`alearn.models.make_model` with ``screen``).
    X_all : array or sparse matrix
        Every row of the pool.
    order : sequence of int
        The labeled rows.
    y : ndarray of str
        Their labels.
    positive : str
        The relevant class.
    seed : int
    query : Query, optional
    """
    n_rows = X_all.shape[0]  # type: ignore[attr-defined]
    hits = np.unique(np.asarray(order, dtype=int)[y == positive])
    if hits.size == 0 and query is None:
        return None
    target = np.zeros(n_rows, dtype=int)
    target[hits] = 1
    # Only a model that weighs rows can let a sample stand for the rest.
    sample = presumed_sample(n_rows, order, seed) \
        if has_fit_parameter(model, "sample_weight") else None
    X, y, weight = (X_all, target, None) if sample is None else \
        (X_all[sample[0]], target[sample[0]], sample[1])
    n, found = n_rows, hits.size
    if query is not None:  # the reviewer's question: one more relevant row
        X, y, weight = with_query(X, y, weight, query)
        n, found = n + 1, found + 1
    if getattr(model, "dual", False) and X.shape[0] > X.shape[1]:  # type: ignore[attr-defined]
        # liblinear's dual is for more columns than rows; with fewer columns
        # (numeric term counts) the primal finds the same model ~10x faster.
        model.set_params(dual=False)
    if weight is None:
        return fit_clean(model, X, y)
    if model.get_params().get("class_weight") == "balanced":  # type: ignore[attr-defined]
        # The class weights of every row, not of the sample's.
        model.set_params(class_weight={0: n / (2 * (n - found)),  # type: ignore[attr-defined]
                                       1: n / (2 * found)})
    return fit_clean(model, X, y, sample_weight=weight)
