"""Cheaper small fits: inputs checked once per pool, and fits shared between learners.

An active learner fits a fresh model after every label, each on a few dozen
rows of a pool matrix the preprocessing already made numeric and complete, and
scores the whole pool after each fit. scikit-learn checks its parameters and
every input array again on each of those calls, which on small fits costs as
much as the arithmetic. :func:`clean_inputs` turns those checks off around the
learner's own fits and predictions; :func:`check_finite` checks the pool once
instead, so a gap that slipped through still fails loudly. Neither changes a
number: the same arrays reach the same solver.

:class:`FitCache` lets the learners of one simulation unit (one task and seed,
one pool, one model) share fits: every strategy starts from the same rows, and
on two classes margin, entropy and least-confident ask for the same rows, so
many of their fits are on the same labels in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import numpy as np

from alearn.models import fit_quietly

# Values per block when checking a pool for NaN and infinity.
CHECK_BLOCK = 1 << 20


@contextmanager
def clean_inputs() -> Iterator[None]:
    """scikit-learn without its per-call checks of parameters and finite values.

    For fits and predictions on a matrix that :func:`check_finite` passed (a
    preprocessed pool and the rows preprocessed like it). The setting is
    per thread, so a session's background retrain sets its own.
    """
    from sklearn import config_context

    with config_context(assume_finite=True, skip_parameter_validation=True):
        yield


def check_finite(X: object) -> None:
    """Raise ``ValueError`` if the matrix holds a NaN or an infinity (dense or sparse).

    Raises
    ------
    ValueError
        Naming how many values are not finite.
    """
    values = np.asarray(X.data if hasattr(X, "tocsr") else X)  # type: ignore[attr-defined]
    if values.dtype.kind not in "fc":
        return
    # In blocks of rows: a million-row pool is checked without a mask of its size.
    step = max(1, CHECK_BLOCK // max(1, values[:1].size))
    if all(np.isfinite(values[i:i + step]).all() for i in range(0, len(values), step)):
        return
    bad = sum(int((~np.isfinite(values[i:i + step])).sum()) for i in range(0, len(values), step))
    raise ValueError(f"the model matrix holds {bad} values that are not finite")


class FitCache:
    """Fitted models by the labels they were fitted on, for learners sharing a pool.

    Only learners over the same matrix with the same model, seed and fitting
    options may share one (a simulation unit's strategies); a fitted model is
    returned as is, so the caller must not change it.
    """

    def __init__(self) -> None:
        self._models: dict[tuple, object | None] = {}
        self.hits = 0

    def get(self, order: Sequence[int], y: np.ndarray,
            fit: Callable[[Sequence[int], np.ndarray], object | None]) -> object | None:
        """The model fitted on rows ``order`` with labels ``y``: ``fit(order, y)`` on first use."""
        key = (np.asarray(order, dtype=np.int64).tobytes(), tuple(str(v) for v in y))
        if key in self._models:
            self.hits += 1
            return self._models[key]
        model = self._models[key] = fit(order, y)
        return model


def trusted(X: object, pool: object) -> AbstractContextManager[None]:
    """:func:`clean_inputs` for predicting ``X``, checked here unless it is the checked ``pool``."""
    if X is not pool:
        check_finite(X)
    return clean_inputs()


def fit_clean(model: Any, X: object, y: object, **fit_params: Any) -> Any:
    """:func:`~alearn.models.fit_quietly` within :func:`clean_inputs` (``X`` checked before)."""
    with clean_inputs():
        return fit_quietly(model, X, y, **fit_params)
