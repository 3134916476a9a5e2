"""What more labels buy: a forecast of the accuracy gain of the next labels.

A session knows its labels and the rows not labeled, never the true accuracy.
Two things it can measure say how much the model is still learning:

* how unsure the model is: one minus its mean top probability over the rows
  not labeled (room left to learn);
* how much it still moves: the share of those rows whose predicted class
  changed since the model on the labels of :data:`LAG` labels ago.

The forecast of the change in accuracy over the next :data:`K` labels, and
its interval, are linear quantile regressions on those two and on the noise
of an accuracy measured on a finite set of rows (``sqrt(changed / rows)``: a
row changes its prediction with probability ``changed``, each change one
``1/rows`` step up or down). Their coefficients (:data:`QUANTILES`) were
fitted on simulated sessions of the development classify tasks
(``bench/forecast.py --fit``), where the true gain is the change of the
model's accuracy on held-out rows; the bench measures the intervals task by
task with each task left out of the fit. Alternatives measured there: a
learning curve from paired cross-validation of the labels in hand, the audit
estimate instead of the model's confidence, and the class count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from alearn.counting import signed
from alearn.models import fit_quietly, make_model
from alearn.seeds import Stream, stream

# The labels a forecast looks ahead.
K = 16
# The model is compared with the one on the labels of LAG labels ago.
LAG = 8
# A forecast needs a model LAG labels ago on at least this many labels.
MIN_LABELS = LAG + 4
# Beyond this many rows not labeled a seeded sample stands for all (keeps a call < 0.1 s).
POOL_MAX_ROWS = 5_000
# The changed share counts as at least this in the noise term (a model that has not
# moved over 8 labels may still move over the next 16).
MIN_CHANGED = 0.01
# The interval's quantiles: together an 80 % interval.
LOW, HIGH = 0.1, 0.9
# Coefficients (intercept, unsure, changed, noise) of the LOW, median and HIGH gain,
# fitted by `bench/forecast.py --fit` on the development tasks.
QUANTILES: dict[float, tuple[float, float, float, float]] = {
    LOW: (-0.0136, 0.0281, 0.1036, -1.2217),
    0.5: (-0.0021, 0.0554, 0.1353, -0.1301),
    HIGH: (0.0018, 0.1647, 0.1681, 1.0134),
}
# More labels are "unlikely to help" when the interval's upper end, as shown (two
# decimals), is at most this: then no gain worth a label is plausible.
HELPS = 0.01


@dataclass(frozen=True)
class Signals:
    """What a session's labels say about its learning, as plain numbers.

    Attributes
    ----------
    n : int
        Labels so far.
    unsure : float
        One minus the model's mean top probability over the rows not labeled.
    changed : float
        Share of those rows whose predicted class changed since the model on the
        first ``n - LAG`` labels.
    rows : int
        Rows not labeled (before sampling).
    """

    n: int
    unsure: float
    changed: float
    rows: int

    def features(self) -> tuple[float, float, float, float]:
        """The regression's inputs: ``1, unsure, changed, noise``."""
        noise = math.sqrt(max(self.changed, MIN_CHANGED) / max(self.rows, 1))
        return 1.0, self.unsure, self.changed, noise


@dataclass(frozen=True)
class Forecast:
    """The forecast change in accuracy over the next ``k`` labels.

    Attributes
    ----------
    k : int
    gain : float
        The median forecast change in accuracy.
    low, high : float
        Its 80 % interval.
    n : int
        Labels it was made on.
    """

    k: int
    gain: float
    low: float
    high: float
    n: int

    @property
    def unlikely_to_help(self) -> bool:
        """Whether even the interval's upper end, as shown, is at most :data:`HELPS`."""
        return unlikely_to_help(self.high)

    def words(self) -> str:
        """The screen line, e.g. ``16 more labels: +0.03 [-0.01, +0.07]``."""
        line = (f"{self.k} more labels: {signed(self.gain, 2)} "
                f"[{signed(self.low, 2)}, {signed(self.high, 2)}]")
        if self.unlikely_to_help:
            line += "; more labels are unlikely to help"
        return line


def unlikely_to_help(high: float) -> bool:
    """The rule: the interval's upper end ``high``, rounded as shown, is at most
    :data:`HELPS` (``bench/forecast.py`` counts how often it is said wrongly)."""
    return round(float(high), 2) <= HELPS


def _fit(X: object, rows: np.ndarray, labels: np.ndarray, model: str, seed: int,
         text: bool) -> object | None:
    if len(set(labels)) < 2:
        return None
    return fit_quietly(make_model(model, seed, text=text), X[rows], labels)


def _predict(fitted: object | None, X: object, pool: np.ndarray,
             labels: np.ndarray) -> tuple[np.ndarray, float]:
    """Predicted classes of ``pool`` and the mean top probability; with one class
    labeled (no model) that class, with full confidence."""
    if fitted is None:
        return np.full(pool.size, labels[0] if labels.size else "", dtype=object), 1.0
    proba = fitted.predict_proba(X[pool])  # type: ignore[attr-defined]
    classes = fitted.classes_  # type: ignore[attr-defined]
    return classes[proba.argmax(axis=1)].astype(str), float(proba.max(axis=1).mean())


def signals(X: object, rows: np.ndarray, labels: np.ndarray, model: str, seed: int, *,
            text: bool = False, excluded: np.ndarray | None = None) -> Signals | None:
    """Measure how unsure the model is and how much it still moves.

    Parameters
    ----------
    X : array or sparse matrix
        The pool, preprocessed as the session's.
    rows : ndarray of int
        Labeled rows, in the order they were labeled.
    labels : ndarray of str
        Their labels.
    model : str
        The model's name in :data:`alearn.models.MODELS`.
    seed : int
        The session's seed (the model's, and the sample of the rows not labeled).
    text : bool
        Whether ``X`` holds text features.
    excluded : ndarray of bool, optional
        Rows skipped (left out with the labeled ones).

    Returns
    -------
    Signals or None
        ``None`` with fewer than :data:`MIN_LABELS` labels, fewer than 2
        classes, or no rows left.
    """
    rows = np.asarray(rows, dtype=int)
    labels = np.asarray(labels).astype(str)
    n = int(rows.size)
    if n < MIN_LABELS or len(set(labels)) < 2:
        return None
    free = np.ones(X.shape[0], dtype=bool)  # type: ignore[attr-defined]
    if excluded is not None:
        free &= ~np.asarray(excluded, dtype=bool)
    free[rows] = False
    pool = np.flatnonzero(free)
    if pool.size == 0:
        return None
    total = int(pool.size)
    if pool.size > POOL_MAX_ROWS:
        pool = np.sort(stream(seed, Stream.AUDIT, 2).choice(pool, POOL_MAX_ROWS, replace=False))
    now, confidence = _predict(_fit(X, rows, labels, model, seed, text), X, pool, labels)
    m = n - LAG
    before, _ = _predict(_fit(X, rows[:m], labels[:m], model, seed, text), X, pool, labels[:m])
    return Signals(n, 1.0 - confidence, float(np.mean(before != now)), total)


def forecast_from(sig: Signals, k: int = K) -> Forecast:
    """The forecast for measured :class:`Signals` (the quantiles kept in order)."""
    x = np.asarray(sig.features())
    low, mid, high = sorted(float(np.dot(QUANTILES[q], x)) for q in (LOW, 0.5, HIGH))
    return Forecast(k=k, gain=mid, low=low, high=high, n=sig.n)


def forecast_gain(X: object, rows: np.ndarray, labels: np.ndarray, model: str, seed: int, *,
                  text: bool = False, excluded: np.ndarray | None = None) -> Forecast | None:
    """Forecast the change in accuracy over the next :data:`K` labels, with an 80 % interval.

    Plain data in and out; fits two models, so it belongs in the retrain worker
    (about 0.05 s at 32 labels on the development tasks, ``bench/forecast.py``).

    Parameters
    ----------
    X, rows, labels, model, seed, text, excluded
        As :func:`signals`.

    Returns
    -------
    Forecast or None
        ``None`` while :func:`signals` has too little to go on.
    """
    sig = signals(X, rows, labels, model, seed, text=text, excluded=excluded)
    return None if sig is None else forecast_from(sig)
