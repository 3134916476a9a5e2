"""Rechecking likely mistakes: which labeled row, if any, a person should see again.

People mislabel rows now and then. A label that a model fitted *without* that
row finds unlikely is worth a second look ("you said bug; the model says
feature (0.93): keep or change?"), but each second look costs one answer that
could have labeled a new row. :func:`choose_recheck` decides, from plain
arrays, whether the next answer should be a recheck and of which row; a
labeling session and the simulation call it the same way. The policy and the
measurements that chose its numbers are in docs/benchmarks.md ("Rechecking
likely mistakes").

The out-of-row probabilities are cross-validated: the labels are split into
``FOLDS`` folds (each class dealt round-robin over them, in the order the rows
were labeled, so no random draw is needed and the answer is the same every
time) and each fold's rows are scored by a model fitted on the other folds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from alearn.models import fit_quietly

# Folds of the out-of-row probabilities: 5 fits per decision at any number of labels.
FOLDS = 5


@dataclass(frozen=True)
class RecheckPolicy:
    """When a recheck is worth an answer (the numbers are measured: docs/benchmarks.md).

    Attributes
    ----------
    first : int
        No recheck before this many answers (the model must know something first).
    every : int
        At most one recheck per ``every`` answers, counted from the start.
    margin : float
        Recheck the most suspicious row only when a model fitted without it
        finds another class likelier than its label by at least this much
        (out-of-row probabilities; for two classes, 0.6 is a label below 0.2).
    free : int
        Rechecks allowed before any has changed a label.
    per_change : int
        More rechecks allowed for each recheck that changed a label: a person
        whose rechecks keep their labels is careful, and rechecking them again
        would only cost answers.
    folds : int
        Folds of the out-of-row probabilities (0: leave each row out alone).
    """

    first: int = 12
    every: int = 3
    margin: float = 0.6
    free: int = 2
    per_change: int = 3
    folds: int = FOLDS


POLICY = RecheckPolicy()


@dataclass(frozen=True)
class Recheck:
    """A labeled row to show again, and what the model without it says.

    Attributes
    ----------
    position : int
        Its position in the ``rows`` given to :func:`choose_recheck`.
    given : str
        The label it has.
    given_probability : float
        The out-of-row probability of ``given``.
    predicted : str
        The class a model fitted without the row finds most likely.
    predicted_probability : float
        Its out-of-row probability.
    """

    position: int
    given: str
    given_probability: float
    predicted: str
    predicted_probability: float


def allowed(answers: int, rechecks: int, changed: int, policy: RecheckPolicy = POLICY) -> bool:
    """Whether the policy lets the next answer be a recheck, after ``answers``
    answers of which ``rechecks`` were rechecks, ``changed`` of them changing
    the label (no model is fitted)."""
    return (answers >= policy.first and rechecks < answers // policy.every
            and rechecks < policy.free + policy.per_change * changed)


def fold_of(labels: Sequence[str], folds: int = FOLDS) -> np.ndarray:
    """Each label's fold: every class dealt round-robin over the folds in label order."""
    seen: Counter[str] = Counter()
    out = np.empty(len(labels), dtype=int)
    for i, label in enumerate(labels):
        out[i] = seen[label] % folds
        seen[label] += 1
    return out


def out_of_row_probabilities(X: Any, rows: Sequence[int], labels: Sequence[str],
                             model_factory: Callable[[], Any], folds: int = FOLDS
                             ) -> tuple[np.ndarray, np.ndarray]:
    """Cross-validated class probabilities of labeled rows.

    Parameters
    ----------
    X : array or sparse matrix
        Every row's features (rows are positions in it).
    rows : sequence of int
        The labeled rows.
    labels : sequence of str
        Their labels.
    model_factory : callable
        Returns a fresh unfitted classifier with ``predict_proba`` and ``classes_``.
    folds : int
        How many folds (at most one per row; 0: one per row, leave-one-out).

    Returns
    -------
    classes : ndarray of str
        The classes, sorted (the columns of ``proba``).
    proba : ndarray of shape (len(rows), len(classes))
        Each row's probabilities from a model fitted on the other folds (a class
        that fold's model never saw gets 0; a fold whose other folds hold a
        single class gives that class 1).
    """
    y = np.asarray(labels, dtype=str)
    rows = np.asarray(rows, dtype=int)
    classes = np.unique(y)
    proba = np.zeros((y.size, classes.size))
    fold = np.arange(y.size) if folds <= 0 or folds >= y.size else fold_of(y, folds)
    for k in np.unique(fold):
        test = fold == k
        train_classes = np.unique(y[~test])
        if train_classes.size < 2:
            proba[np.ix_(test, np.searchsorted(classes, train_classes))] = 1.0
            continue
        model = fit_quietly(model_factory(), X[rows[~test]], y[~test])
        columns = np.searchsorted(classes, np.asarray(model.classes_, dtype=str))
        proba[np.ix_(test, columns)] = model.predict_proba(X[rows[test]])
    return classes, proba


def choose_recheck(X: Any, rows: Sequence[int], labels: Sequence[str], answers: int,
                   model_factory: Callable[[], Any], *, rechecked: Sequence[int] = (),
                   changed: int = 0, fixed: Sequence[int] = (),
                   policy: RecheckPolicy = POLICY) -> Recheck | None:
    """The labeled row the next answer should recheck, or ``None`` to label a new row.

    A row is a candidate when it has not been rechecked and another row has its
    label (a model without a class's only row cannot judge it). Its suspicion
    is how much likelier a model fitted without it finds the likeliest class
    than its label (:func:`out_of_row_probabilities`; 0 when that is its
    label). The most suspicious candidate (ties: the earliest labeled) is
    rechecked when its suspicion is at least ``policy.margin`` and the policy
    allows a recheck now (:func:`allowed`). Deterministic: the same arguments
    give the same answer.

    Parameters
    ----------
    X : array or sparse matrix
        Every row's features.
    rows : sequence of int
        The labeled rows (positions in ``X``), in the order they were labeled.
    labels : sequence of str
        Their labels as they stand (after any relabel).
    answers : int
        Answers given so far, rechecks included.
    model_factory : callable
        Returns a fresh unfitted classifier (the session's model).
    rechecked : sequence of int
        Positions in ``rows`` already rechecked (each row is rechecked at most once).
    changed : int
        How many of those rechecks changed the label.
    fixed : sequence of int
        Positions in ``rows`` never to recheck, and not counted as rechecks (a
        session's rows labeled in the data itself: they are changed there).
    policy : RecheckPolicy

    Returns
    -------
    Recheck or None
    """
    if not allowed(answers, len(rechecked), changed, policy) or len(rows) < 2:
        return None
    y = np.asarray(labels, dtype=str)
    counts = Counter(y.tolist())
    candidate = np.array([counts[label] >= 2 for label in y])
    candidate[np.asarray([*rechecked, *fixed], dtype=int)] = False
    if len(counts) < 2 or not candidate.any():
        return None
    classes, proba = out_of_row_probabilities(X, rows, y, model_factory, policy.folds)
    given = proba[np.arange(y.size), np.searchsorted(classes, y)]
    suspicion = np.where(candidate, proba.max(axis=1) - given, -np.inf)
    # argmax picks the earliest labeled of equally suspicious rows.
    position = int(np.argmax(suspicion))
    if suspicion[position] < policy.margin:
        return None
    best = int(np.argmax(proba[position]))
    return Recheck(position=position, given=str(y[position]),
                   given_probability=float(given[position]), predicted=str(classes[best]),
                   predicted_probability=float(proba[position, best]))
