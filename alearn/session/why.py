"""Why a class session suggests a row: the reason, the strategy's score, the model's
most likely classes."""

from __future__ import annotations

import numpy as np

from alearn.engine.learner import Learner
from alearn.session.views import Why

TOP_CLASSES = 3


def class_name(value: object, positive: str | None) -> str:
    """A model class as shown: screening models predict 1 (positive) or 0 (the rest)."""
    if positive is None:
        return str(value)
    return positive if int(value) == 1 else f"not {positive}"  # type: ignore[call-overload]


def why_chosen(learner: Learner, X: object, row: int, positive: str | None = None) -> Why:
    """Why ``learner`` suggests ``row`` of ``X`` (screening: ``positive`` is the class
    to find)."""
    if learner.strategy == "random":
        kind = "random"
    elif learner.strategy == "certainty" and learner.utility is not None:
        kind = "likely"
    elif learner.n_labeled < learner.start_size and row in set(learner.start_rows()):
        kind = "start"
    elif learner.utility is None:
        kind = "explore"
    else:
        kind = "uncertain"
    score = None if learner.utility is None else float(learner.utility[row])
    top: list[tuple[str, float]] = []
    if learner.model is not None:
        proba = learner.model.predict_proba(X[row:row + 1])[0]  # type: ignore[index]
        best = np.argsort(-proba, kind="stable")[:TOP_CLASSES]
        top = [(class_name(learner.model.classes_[i], positive), float(proba[i]))  # type: ignore[attr-defined]
               for i in best]
    return Why(kind=kind, strategy=learner.strategy, score=score, top=top)
