"""How good is the model so far? Accuracy estimates for a labeling session.

Without true labels the estimate is measured on the session's audit rows
(:mod:`alearn.estimates.audit`: labels drawn at random), each predicted by a
model fitted without it, with a binomial interval; with ``--gold`` labels it
is measured on the gold rows nobody has labeled yet. Stores made before audit
rows existed get k-fold cross-validation on the labeled rows (seeded folds),
which actively chosen rows bias, so its interval is not to be trusted.
``bench/session_estimates.py`` measures each against the true accuracy.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from alearn.counting import counted
from alearn.models import fit_quietly, make_model
from alearn.seeds import Stream, stream

if TYPE_CHECKING:
    from alearn.engine.learner import Learner

# The interval shown with every estimate.
LEVEL = 0.9
CV_FOLDS = 5
CV_MIN_LABELS = 4
# Estimates are refreshed after every batch; beyond this many labels a seeded
# sample is as informative and keeps the update instant.
CV_MAX_ROWS = 5_000
# Audit rows are predicted by models fitted without them: one per row up to
# this many rows, then this many folds of audit rows (each fit leaves one out).
AUDIT_FOLDS = 10
# The model's confidence counts as this many audit labels (measured:
# bench/session_estimates.py, 2, 4 and 8 compared); on at most this many rows.
PRIOR_LABELS = 4
CONFIDENCE_MAX_ROWS = 20_000
# The majority-class rate is shown from this many rows measured on: on fewer it is
# mostly chance (on one audit row it is always 1.0, and every model would be flagged).
MAJORITY_MIN_ROWS = 5


@dataclass(frozen=True)
class Estimate:
    """Estimated accuracy of the model on a number of labels.

    Attributes
    ----------
    n_labels : int
    accuracy : float or None
        ``None`` when it cannot be estimated yet (and ``method`` says why).
    method : str
        How it was estimated, e.g. ``"5-fold CV on 12 labels"``.
    change : float or None
        Change since the estimate after the previous batch.
    low, high : float or None
        The :data:`LEVEL` interval around ``accuracy`` (``None`` with no estimate).
    scored : int or None
        The labeled rows the number was measured on (audit, gold or CV rows).
    majority : float or None
        The majority-class rate on those same rows: the accuracy of always
        answering their most common class, the floor a model must beat.
    majority_class : str or None
        That class.
    forecast : str or None
        What the next labels are likely to buy, as the screen says it
        (:meth:`alearn.estimates.forecast.Forecast.words`; ``None``: no forecast).
    """

    n_labels: int
    accuracy: float | None
    method: str
    change: float | None = None
    low: float | None = None
    high: float | None = None
    scored: int | None = None
    majority: float | None = None
    majority_class: str | None = None
    forecast: str | None = None

    @property
    def above_majority(self) -> bool | None:
        """Whether the accuracy beats always answering the majority class (``None``
        when either is unknown)."""
        if self.accuracy is None or self.majority is None:
            return None
        return self.accuracy > self.majority


def majority_rate(labels: np.ndarray) -> tuple[str | None, float | None]:
    """The most common class among ``labels`` and its share (ties: the first in sorted
    order); ``(None, None)`` for no labels."""
    if len(labels) == 0:
        return None, None
    names, counts = np.unique(np.asarray(labels).astype(str), return_counts=True)
    k = int(np.argmax(counts))
    return str(names[k]), float(counts[k] / counts.sum())


def with_majority(estimate: Estimate, labels: np.ndarray) -> Estimate:
    """``estimate`` with the majority-class rate of ``labels``, the true labels of the
    rows it was measured on; none on fewer than :data:`MAJORITY_MIN_ROWS` rows."""
    if len(labels) < MAJORITY_MIN_ROWS:
        return estimate
    cls, share = majority_rate(labels)
    return dataclasses.replace(estimate, majority=share, majority_class=cls)


def with_change(estimate: Estimate, previous: Estimate | None) -> Estimate:
    """``estimate`` with its change since ``previous`` (``None``: no change known)."""
    change = None
    if previous is not None and previous.accuracy is not None and \
            estimate.accuracy is not None:
        change = estimate.accuracy - previous.accuracy
    return dataclasses.replace(estimate, change=change)


def interval(correct: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``correct / n`` (``n >= 1``)."""
    from scipy.stats import binomtest

    ci = binomtest(int(correct), int(n)).proportion_ci(level, method="wilson")
    return float(ci.low), float(ci.high)


def measured(n_labels: int, correct: int, n: int, method: str) -> Estimate:
    """An estimate from ``correct`` of ``n`` rows, with its Wilson interval."""
    low, high = interval(correct, n)
    return Estimate(n_labels, correct / n, method, low=low, high=high, scored=n)


def held_out_predictions(X: object, rows: np.ndarray, labels: np.ndarray, test: np.ndarray,
                         model: str, seed: int, *, text: bool = False,
                         folds: int = AUDIT_FOLDS) -> tuple[np.ndarray, np.ndarray]:
    """Predict each labeled row in ``test`` with a model fitted on the other labels.

    Parameters
    ----------
    X : array or sparse matrix
    rows : ndarray of int
        Labeled rows (positions in ``X``).
    labels : ndarray of str
        Their labels.
    test : ndarray of int
        Indices into ``rows`` to predict: left out one at a time, or in
        ``folds`` groups (in order) when there are more of them.
    model : str
    seed : int
    text : bool
        Whether ``X`` holds text features (the learner's model variant).
    folds : int

    Returns
    -------
    (ndarray of bool, ndarray of float)
        Whether each test row was predicted right, and the probability the
        model gave its prediction.
    """
    correct = np.zeros(test.size, dtype=bool)
    confidence = np.ones(test.size)
    groups = np.array_split(np.arange(test.size), min(folds, test.size)) if test.size else []
    for group in groups:
        out = test[group]
        train = np.setdiff1d(np.arange(rows.size), out)
        seen = np.unique(labels[train])
        if seen.size < 2:
            # Every other label is one class (or none): that class is the guess.
            guess = seen[0] if seen.size else None
            correct[group] = labels[out] == guess
            continue
        fitted = make_model(model, seed, text=text)
        fit_quietly(fitted, X[rows[train]], labels[train])
        proba = fitted.predict_proba(X[rows[out]])
        best = proba.argmax(axis=1)
        correct[group] = fitted.classes_[best].astype(str) == labels[out]
        confidence[group] = proba[np.arange(out.size), best]
    return correct, confidence


def pool_confidence(model: object | None, X: object, rows: np.ndarray, seed: int,
                    max_rows: int = CONFIDENCE_MAX_ROWS) -> float | None:
    """The model's mean top probability over ``rows`` (at most ``max_rows``, sampled).

    Parameters
    ----------
    model : estimator or None
    X : array or sparse matrix
    rows : ndarray of int
        The rows not labeled.
    seed : int
        The sample comes from the seed's audit stream.
    max_rows : int

    Returns
    -------
    float or None
        ``None`` without a model or rows.
    """
    if model is None or rows.size == 0:
        return None
    if rows.size > max_rows:
        rows = np.sort(stream(seed, Stream.AUDIT, 1).choice(rows, size=max_rows, replace=False))
    return float(model.predict_proba(X[rows]).max(axis=1).mean())  # type: ignore[attr-defined]


def audit_estimate(X: object, rows: np.ndarray, labels: np.ndarray, audit: np.ndarray,
                   model: str, seed: int, *, text: bool = False,
                   confidence: float | None = None) -> Estimate:
    """Accuracy on the audit rows (drawn at random), each predicted without its own label.

    With ``confidence`` (the model's mean top probability over the unlabeled
    rows, :func:`pool_confidence`) the estimate is the mean of the Beta
    posterior whose prior is that confidence worth :data:`PRIOR_LABELS`
    labels, and the interval its central :data:`LEVEL` interval: with few
    audit rows the model's own view steadies the number, and the audit rows
    outweigh it as they accumulate. Without it: the audit rows' accuracy and
    its Wilson interval. ``bench/session_estimates.py`` measures both.

    Parameters
    ----------
    X : array or sparse matrix
    rows : ndarray of int
        Labeled rows, in the order they were labeled.
    labels : ndarray of str
    audit : ndarray of bool
        Which of ``rows`` are audit rows (:mod:`alearn.estimates.audit`).
    model : str
    seed : int
    text : bool
    confidence : float, optional

    Returns
    -------
    Estimate
        ``accuracy`` is ``None`` before the first audit row or while one class
        is labeled.
    """
    count = int(rows.size)
    test = np.flatnonzero(audit)
    if test.size == 0 or len(set(labels)) < 2:
        return Estimate(count, None, "needs an audit label and 2 classes")
    correct, _ = held_out_predictions(X, rows, labels, test, model, seed, text=text)
    k, m = int(correct.sum()), int(test.size)
    method = f"{m} audit {'label' if m == 1 else 'labels'} drawn at random"
    if confidence is None:
        return with_majority(measured(count, k, m, method), labels[test])
    from scipy.stats import beta

    a = k + PRIOR_LABELS * confidence
    b = m - k + PRIOR_LABELS * (1 - confidence)
    tail = (1 - LEVEL) / 2
    return with_majority(Estimate(count, a / (a + b), f"{method}, with the model's confidence "
                                  f"({confidence:.2f}) counted as {PRIOR_LABELS} labels",
                                  low=float(beta.ppf(tail, a, b)),
                                  high=float(beta.ppf(1 - tail, a, b)), scored=m),
                         labels[test])


def learner_audit_estimate(learner: Learner, X: object, audit: np.ndarray, seed: int,
                           n: int | None = None) -> Estimate:
    """A session's estimate for a model fitted on the learner's first ``n`` labels
    (default: all): :func:`audit_estimate` with the :func:`pool_confidence` of that
    model over the rows not labeled.

    Parameters
    ----------
    learner : Learner
    X : array or sparse matrix
        The pool.
    audit : ndarray of bool
        Per label of ``learner.order``: an audit row.
    seed : int
    n : int, optional
    """
    n = learner.n_labeled if n is None else n
    rows = np.asarray(learner.order[:n], dtype=int)
    labels = learner.labels[rows].astype(str) if rows.size else np.empty(0, dtype=str)
    current = n == learner.n_labeled and not learner.pending
    model = learner.model if current else learner.fit_detached(n) if n else None
    return session_audit_estimate(X, rows, labels, np.asarray(audit[:n], dtype=bool), model,
                                  learner.excluded, learner.model_name, seed, text=learner.text)


def session_audit_estimate(X: object, rows: np.ndarray, labels: np.ndarray, audit: np.ndarray,
                           fitted: object | None, excluded: np.ndarray, model: str, seed: int,
                           *, text: bool = False) -> Estimate:
    """:func:`audit_estimate` with the :func:`pool_confidence` of ``fitted`` (the model on
    these labels) over the rows neither labeled nor ``excluded`` (skipped).

    Parameters
    ----------
    X : array or sparse matrix
        The pool.
    rows, labels : ndarray
        The labels so far, in order.
    audit : ndarray of bool
        Per label: an audit row.
    fitted : estimator or None
    excluded : ndarray of bool
        Rows labeled or skipped.
    model : str
        The model's name in :data:`alearn.models.MODELS`.
    seed : int
    text : bool
    """
    unlabeled = ~np.asarray(excluded, dtype=bool)
    unlabeled[rows] = False
    confidence = pool_confidence(fitted, X, np.flatnonzero(unlabeled), seed)
    return audit_estimate(X, rows, labels, audit, model, seed, text=text, confidence=confidence)


def cv_estimate(X: object, rows: np.ndarray, labels: np.ndarray, model: str,
                seed: int, *, text: bool = False) -> Estimate:
    """Cross-validated accuracy of ``model`` on labeled rows.

    Parameters
    ----------
    X : array or sparse matrix
        The pool.
    rows : ndarray of int
        Labeled rows, in the order they were labeled.
    labels : ndarray of str
        Their labels.
    model : str
    seed : int
        Folds come from the seed's CV stream (:data:`alearn.seeds.Stream.CV`).
    text : bool
        Whether ``X`` holds text features (the same model as the learner's:
        naive Bayes is then the complement variant, which takes sparse counts).

    Returns
    -------
    Estimate
        ``accuracy`` is ``None`` with fewer than 4 labels or one class.
    """
    count = int(rows.size)
    if count < CV_MIN_LABELS or len(set(labels)) < 2:
        return Estimate(count, None, f"needs {CV_MIN_LABELS} labels of 2 classes")
    if count > CV_MAX_ROWS:
        rng = stream(seed, Stream.CV)
        pick = np.sort(rng.choice(count, size=CV_MAX_ROWS, replace=False))
        rows, labels = rows[pick], labels[pick]
    k = min(CV_FOLDS, rows.size)
    perm = stream(seed, Stream.CV, rows.size).permutation(rows.size)
    correct = 0
    for fold in np.array_split(perm, k):
        train = np.setdiff1d(perm, fold)
        seen = np.unique(labels[train])
        if seen.size < 2:
            # A fold may hold every row of a class: predict the one class left.
            predicted = np.full(fold.size, seen[0], dtype=object)
        else:
            fitted = make_model(model, seed, text=text)
            fit_quietly(fitted, X[rows[train]], labels[train])
            predicted = fitted.predict(X[rows[fold]]).astype(str)
        correct += int(np.sum(predicted == labels[fold]))
    # The interval is the binomial one on the rows scored; actively chosen rows
    # are no random sample, so it need not hold (the bench measures how often).
    low, high = interval(correct, rows.size)
    return with_majority(Estimate(count, correct / rows.size, f"{k}-fold CV on {count} labels",
                                  low=low, high=high, scored=int(rows.size)), labels)


def gold_estimate(fitted: object | None, X: object, rows: np.ndarray, labels: np.ndarray,
                  gold_rows: np.ndarray, gold: np.ndarray) -> Estimate:
    """Accuracy measured on gold rows that are not among the labeled ones.

    Parameters
    ----------
    fitted : estimator or None
        The model fitted on ``rows``; ``None`` while one class is labeled
        (then that class is predicted everywhere).
    X : array or sparse matrix
    rows, labels : ndarray
        The labeled rows and their labels.
    gold_rows : ndarray of int
        Rows with a gold label.
    gold : ndarray of object
        Gold labels per row of ``X``.

    Returns
    -------
    Estimate
    """
    count = int(rows.size)
    test = gold_rows[~np.isin(gold_rows, rows)]
    if test.size == 0 or count == 0:
        return Estimate(count, None, "no unlabeled gold rows to measure on")
    if fitted is None:
        predicted = np.full(test.size, str(labels[0]), dtype=object)
    else:
        predicted = fitted.predict(X[test]).astype(str)
    truth = gold[test].astype(str)
    correct = int(np.sum(predicted == truth))
    return with_majority(measured(count, correct, int(test.size),
                                  f"measured on {counted(int(test.size), 'gold row')}"), truth)
