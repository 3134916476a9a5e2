"""Why a class session suggested a row: the reason, the score, the model's top classes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from alearn.session.views import Why

if TYPE_CHECKING:
    from alearn.engine.learner import Learner

TOP_CLASSES = 3


def why_chosen(learner: Learner, X: object, row: int, audit: bool,
               class_name: Callable[[object], str] = str) -> Why:
    """Why ``row`` is suggested (:class:`~alearn.session.views.Why`).

    Parameters
    ----------
    learner : Learner
    X : array or sparse matrix
        The pool.
    row : int
    audit : bool
        The row is an audit row (drawn at random).
    class_name : callable
        A class of the model as shown (a screen's model predicts 1 or 0:
        :meth:`~alearn.session.screening.Screening.class_name`).
    """
    if learner.strategy == "random":
        kind = "random"
    elif audit:
        kind = "audit"
    elif learner.strategy == "certainty" and learner.utility is not None:
        kind = "likely"
    elif learner.n_labeled < learner.start_size and row in set(learner.start_rows()):
        kind = "described" if learner.describe is not None else "start"
    elif learner.utility is None and learner.query is not None:
        kind = "query"
    elif learner.utility is None:
        kind = "explore"
    else:
        kind = "uncertain"
    score = None if learner.utility is None else float(learner.utility[row])
    top: list[tuple[str, float]] = []
    if learner.model is not None:
        proba = learner.model.predict_proba(X[row:row + 1])[0]  # type: ignore[index]
        best = np.argsort(-proba, kind="stable")[:TOP_CLASSES]
        top = [(class_name(learner.model.classes_[i]), float(proba[i]))  # type: ignore[attr-defined]
               for i in best]
    alike: list[tuple[str, float]] = []
    if learner.describe is not None:
        similarity = learner.describe.similarity(X[row:row + 1])  # type: ignore[index]
        alike = sorted(zip(learner.describe.classes, map(float, similarity), strict=True),
                       key=lambda pair: -pair[1])
    return Why(kind=kind, strategy=learner.strategy, score=score, top=top, alike=alike)
