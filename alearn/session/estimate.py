"""How good is the model so far? Accuracy estimates for a labeling session.

Without true labels the estimate is k-fold cross-validation on the labeled
rows (seeded folds, so the same labels always give the same number); with
``--gold`` labels it is measured on the gold rows nobody has labeled yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alearn.models import fit_quietly, make_model
from alearn.seeds import Stream, stream

CV_FOLDS = 5
CV_MIN_LABELS = 4
# Estimates are refreshed after every batch; beyond this many labels a seeded
# sample is as informative and keeps the update instant.
CV_MAX_ROWS = 5_000
# Sub-stream of the seed for the folds (the learner uses 0-2).


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
    """

    n_labels: int
    accuracy: float | None
    method: str
    change: float | None = None


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
    return Estimate(count, correct / rows.size, f"{k}-fold CV on {count} labels")


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
    accuracy = float(np.mean(predicted == gold[test].astype(str)))
    return Estimate(count, accuracy, f"measured on {test.size} gold rows")
