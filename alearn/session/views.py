"""Plain data a labeling session hands to its screen: the row, why, progress, steps.

Every session type's view, progress and step extend the shared :class:`View`,
:class:`Progress` and :class:`Step`; the class session's are here, the
optimize session's in :mod:`alearn.session.measure_views`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import pandas as pd

from alearn.data.dataset import Dataset
from alearn.engine.recheck import Recheck
from alearn.estimates.accuracy import Estimate


@dataclass(frozen=True, kw_only=True)
class Progress:
    """How far any session is.

    Attributes
    ----------
    budget : int or None
        Answers to give in this store before the session ends.
    skipped : int
        Rows skipped by hand.
    remaining : int
        Rows that may still be suggested.
    total : int
        Rows in the data.
    """

    budget: int | None
    skipped: int
    remaining: int
    total: int


P = TypeVar("P", bound=Progress)


@dataclass(frozen=True, kw_only=True)
class View(Generic[P]):
    """What any session shows now: the next row, or why there is none.

    Attributes
    ----------
    done : bool
    reason : str
        Why the session is done ("" otherwise).
    row_id : str or None
    fields : list of (str, object, bool)
        Column name, value (``None`` when missing) and whether it is numeric;
        hidden columns are never shown.
    progress : Progress
        This session type's counts.
    """

    done: bool
    reason: str
    row_id: str | None
    fields: list[tuple[str, object, bool]]
    progress: P


@dataclass(frozen=True, kw_only=True)
class Step:
    """What any session's action did.

    Attributes
    ----------
    action : str
        ``"skip"``, ``"undo"``, ``"none"`` (nothing changed), or the session
        type's own (``"label"``, ``"measure"``, ``"fail"``).
    row_id : str or None
    message : str
        One line for the user.
    """

    action: str
    row_id: str | None = None
    message: str = ""


@dataclass(frozen=True)
class Why:
    """Why a row was chosen.

    Attributes
    ----------
    kind : str
        ``"start"`` (cold start), ``"described"`` (the start of described classes:
        the row most typical of a class's description), ``"explore"`` (no model yet: the row least
        like anything labeled), ``"query"`` (no label yet: the row most like a
        screen's query), ``"uncertain"`` (the strategy's best row),
        ``"likely"`` (screening: the likeliest to be relevant), ``"audit"``
        (drawn at random to measure accuracy), ``"random"``, ``"unsure"``
        (marked unsure earlier, asked again once no other row is left) or
        ``"recheck"`` (labeled already; a model fitted without it finds its
        label unlikely).
    strategy : str
    score : float or None
        The strategy's utility for the row (higher = less certain).
    top : list of (str, float)
        The model's most likely classes with their probabilities.
    alike : list of (str, float)
        With class descriptions: the row's cosine similarity to each class's
        description, most alike first (empty without descriptions).
    """

    kind: str
    strategy: str
    score: float | None
    top: list[tuple[str, float]]
    alike: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ClassProgress(Progress):
    """How far a class session is (beyond :class:`Progress`).

    Attributes
    ----------
    labeled : int
        Labels given in this store (undone ones excluded).
    seeded : int
        Labels taken from the data's target column.
    class_counts : dict
        Labels per class, seeded ones included.
    until_retrain : int
        Labels until the model is retrained (exact once a model exists).
    model_waits : str or None
        While there is no model: what the first one waits for (``"2 classes"``);
        it is trained on the label that brings it, or after ``until_retrain``.
    unsure : int
        Rows marked unsure (counted in ``remaining``: they are asked again).
    """

    labeled: int
    seeded: int
    class_counts: dict[str, int]
    until_retrain: int
    model_waits: str | None = None
    unsure: int = 0


@dataclass(frozen=True, kw_only=True)
class ClassView(View[ClassProgress]):
    """What a class session shows now (beyond :class:`View`).

    Attributes
    ----------
    why : Why or None
    classes : list of str
        Known classes; the first nine are on keys ``1``–``9`` in this order.
    open_classes : bool
        Whether new class names may be typed.
    words : dict
        Text only: word -> how much it pushed the prediction (positive: towards
        the predicted class), for highlighting.
    advice : str or None
        Screening only: the stopping advice (:mod:`alearn.kinds.screen.stopping`).
    ranked : tuple of str
        Columns by the current model's weight, strongest first (empty before a
        model): the fields a wide row shows first (:mod:`alearn.session.fieldorder`).
    model_labels : int
        Labels the model that chose the row was fitted on (0: no model yet).
    retraining : int or None
        Labels a retrain still under way fits on: the row was chosen before it
        finished, by the previous model (``None``: the model is up to date).
    leak : str or None
        A column that alone explains the labels so far, and how to exclude it
        (:mod:`alearn.estimates.leaks`).
    roles : dict of str to str
        What a class means in this session (a screen: ``positive`` is
        ``"relevant"``, the other class ``"not relevant"``).
    recheck : Recheck or None
        The row is a labeled one shown again: its label and what a model fitted
        without it says (:mod:`alearn.session.rechecks`).
    """

    why: Why | None
    classes: list[str]
    open_classes: bool
    words: dict[str, float] = field(default_factory=dict)
    advice: str | None = None
    ranked: tuple[str, ...] = ()
    model_labels: int = 0
    retraining: int | None = None
    leak: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    recheck: Recheck | None = None


@dataclass(frozen=True, kw_only=True)
class ClassStep(Step):
    """What a class session's action did (beyond :class:`Step`).

    Attributes
    ----------
    value : str or None
        The class (label) or the event type undone (undo).
    retrained : bool
    estimate : Estimate or None
        After a retrain.
    curve : Estimate or None
        When the label count reached a learning-curve budget.
    new_class : str or None
        A class name used for the first time (it now has a key).
    """

    value: str | None = None
    retrained: bool = False
    estimate: Estimate | None = None
    curve: Estimate | None = None
    new_class: str | None = None


class RowReader:
    """Reads one row's fields to show, fast for wide data: each column's values are
    looked up once (a row of a 2,000-column table through pandas costs ~0.1 s).

    Numbers come from the typed features (so ``?`` shows as missing); columns in
    ``hidden`` (the target, gold, goal and id columns, and ``--hide``) are left out.
    """

    def __init__(self, data: Dataset, hidden: set[str] | frozenset[str]) -> None:
        numeric = set(data.numeric)
        self._columns: list[tuple[str, object, bool]] = [
            (str(c), data.features[c].to_numpy(dtype=float) if c in numeric
             else data.table[c].array, c in numeric)
            for c in data.table.columns if c not in hidden]

    def fields(self, row: int) -> list[tuple[str, object, bool]]:
        """Column name, value (``None`` when missing) and whether it is numeric."""
        out: list[tuple[str, object, bool]] = []
        for column, values, numeric in self._columns:
            value = values[row]  # type: ignore[index]
            if numeric:
                out.append((column, None if math.isnan(value) else float(value), True))
            else:
                out.append((column, None if pd.isna(value) else value, False))
        return out

