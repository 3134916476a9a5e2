"""Scoring a learner on held-out rows: accuracy and macro-F1 of the model trained on
every label bought so far (a learning curve's points)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alearn.engine.fits import trusted

if TYPE_CHECKING:
    from alearn.engine.learner import Learner


def classification_scores(y_true: np.ndarray, y_pred: np.ndarray,
                          labels: np.ndarray) -> dict[str, float]:
    """Accuracy and macro-F1 of predicted class labels; NumPy only, as this runs per label.

    Parameters
    ----------
    y_true, y_pred : ndarray of str
        True and predicted labels, every one of them in ``labels``.
    labels : ndarray of str
        Every class, sorted; macro-F1 averages over all of them (0 for a class
        neither true nor predicted), as scikit-learn's ``f1_score(labels=labels,
        average="macro", zero_division=0)``.

    Returns
    -------
    dict of str to float
        ``accuracy`` and ``macro_f1``.
    """
    k = labels.size
    t = np.searchsorted(labels, y_true)
    p = np.searchsorted(labels, y_pred)
    confusion = np.bincount(t * k + p, minlength=k * k).reshape(k, k)
    tp = np.diag(confusion).astype(float)
    denom = confusion.sum(axis=0) + confusion.sum(axis=1)
    f1 = np.divide(2 * tp, denom, out=np.zeros(k), where=denom > 0)
    return {"accuracy": float(tp.sum() / y_true.size), "macro_f1": float(f1.mean())}


def predict_now(learner: Learner, X: object) -> np.ndarray:
    """Predictions of a model trained on every label bought so far.

    Inside a batch the learner's own model lags behind; a learning curve is
    scored with a fresh fit on all labels, which does not change the queries.

    Parameters
    ----------
    learner : Learner
    X : array or sparse matrix
        Rows to predict, preprocessed like the learner's pool.

    Returns
    -------
    ndarray of str
    """
    if learner.pending:
        model = learner.fit_detached()
        if model is not None:
            with trusted(X, learner.X):
                return model.predict(X).astype(str)
    return learner.predict(X)
