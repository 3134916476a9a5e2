"""What a class session shows, as plain data: the row to label, why it was chosen,
the counts, and the questions beside it (mixed into
:class:`~alearn.session.classes.ClassSession`, which does the acting).

Nothing here changes the session's state; every method reads the learner, the
policy and the journal's counts the session keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from alearn.counting import counted
from alearn.session.fieldorder import ranked_columns
from alearn.session.views import ClassProgress, ClassView, Why
from alearn.session.why import why_chosen
from alearn.session.words import pushing_words

if TYPE_CHECKING:
    from alearn.data.dataset import Dataset
    from alearn.engine.learner import Learner
    from alearn.engine.recheck import Recheck
    from alearn.estimates.leaks import LeakWatch
    from alearn.session.class_policy import ClassPolicy
    from alearn.session.settings import Settings


class ClassReading:
    """The reading half of a class session (see the module docstring).

    The attributes are the session's; the session's own methods it calls are
    ``_current_row``, ``fields`` and the counts ``n_labeled`` and ``n_skipped``.
    """

    data: Dataset
    settings: Settings
    learner: Learner
    policy: ClassPolicy
    X: Any
    ids: np.ndarray
    seed_rows: np.ndarray
    repeats: np.ndarray
    classes: list[str]
    open_classes: bool
    terms: tuple[int, np.ndarray] | None
    _columns: list[tuple[str, ...]] | None
    _ranked: tuple[int, tuple[str, ...]]
    _roles: dict[str, str]
    _leaks: LeakWatch
    _due: int
    _in_force: int
    _audit_now: bool
    _recheck_now: Recheck | None

    if TYPE_CHECKING:
        def screen_advice(self) -> str | None: ...
        @property
        def checking(self) -> object | None: ...

    def _why(self, row: int) -> Why:
        if str(self.ids[row]) in self.journal().unsure:
            return Why(kind="unsure", strategy=self.settings.strategy, score=None, top=[])
        shown = self._recheck_now
        if shown is not None and row == self._current_row():
            return Why(kind="recheck", strategy=self.settings.strategy, score=None,
                       top=[(shown.predicted, shown.predicted_probability),
                            (shown.given, shown.given_probability)])
        audit = self._audit_now and row == self._current_row()
        if audit and self.checking is not None:  # a screen's random-sample check
            return Why(kind="check", strategy=self.settings.strategy, score=None, top=[])
        return why_chosen(self.learner, self.X, row, audit, self.policy.class_name)

    def words(self, row: int, top: int = 12) -> dict[str, float]:
        """The words of ``row`` that pushed the linear model's prediction most
        (:func:`~alearn.session.words.pushing_words`)."""
        return pushing_words(self.learner.model, self.X[row:row + 1], self.terms, top)

    def ranked(self) -> tuple[str, ...]:
        """Columns by the current model's weight, strongest first (computed once per fit)."""
        fits = self.learner.n_fits if self.learner.model is not None else 0
        if self._ranked[0] != fits:
            self._ranked = (fits, ranked_columns(self.learner.model, self._columns))
        return self._ranked[1]

    @property
    def n_rows(self) -> int:
        """Rows to answer: every row, each group of duplicate records counted once."""
        return len(self.ids) - int(self.repeats.size)

    @property
    def recall_target(self) -> float | None:
        """The recall the stopping advice aims for (``None``: plain classes, no advice)."""
        return self.policy.recall_target

    def advice(self) -> str | None:
        """Screening: found so far, estimated left and the stopping advice (``None``
        otherwise; :meth:`alearn.session.screening.Screening.advice`)."""
        screen = self.screen_advice()  # with a random-sample check's progress
        return screen if screen is not None else self.policy.advice(self.learner, self.n_rows)

    def progress(self) -> ClassProgress:
        """Counts for the progress line."""
        learner = self.learner
        # A query counts as a relevant row: the first label gives a model.
        waits = None if learner.model is not None else \
            "the first label" if learner.query is not None else self.policy.model_waits
        return ClassProgress(
            labeled=self.n_labeled, seeded=int(self.seed_rows.size),
            skipped=self.n_skipped,
            budget=self.settings.budget, class_counts=learner.class_counts(),
            until_retrain=max(learner.batch_now - learner.pending, 1),
            remaining=int(learner.eligible.sum()) + self.n_unsure, total=self.n_rows,
            model_waits=waits, unsure=self.n_unsure)

    def current(self) -> ClassView:
        """The row to label now, why it was chosen, and the progress so far.

        Returns
        -------
        ClassView
            ``done`` is true when the budget is reached or no row is left.
        """
        row = self._current_row()
        progress = self.progress()
        if row is None:
            budget = self.settings.budget
            if budget is not None and self.n_labeled >= budget:
                reason = f"the budget of {counted(budget, 'label')} is reached"
            elif self.seed_rows.size == len(self.ids):
                reason = (f"all {counted(len(self.ids), 'row')} already carry a label in "
                          f"{self.data.target!r}")
            else:
                reason = "every row is labeled or skipped"
            return ClassView(done=True, reason=reason, row_id=None, fields=[], why=None,
                             progress=progress, classes=list(self.classes),
                             open_classes=self.open_classes, roles=dict(self._roles))
        why = self._why(row)
        # Marked when a newer model would have chosen it: a retrain that gives a
        # model is under way (start rows and random order need none).
        behind = self._due > self._in_force and self.learner.due_model \
            and why.kind not in ("start", "random", "recheck")
        return ClassView(done=False, reason="", row_id=str(self.ids[row]),
                         fields=self.fields(row),
                         why=why, progress=progress, classes=list(self.classes),
                         open_classes=self.open_classes, roles=dict(self._roles),
                         words=self.words(row),
                         advice=self.advice(), ranked=self.ranked(), model_labels=self._in_force,
                         retraining=self._due if behind else None, leak=self.leak(),
                         recheck=self._recheck_now)

    def leak(self) -> str | None:
        """A column that alone explains the labels so far, as a question to the person
        (:class:`~alearn.estimates.leaks.LeakWatch`; ``None`` when there is none)."""
        order = np.asarray(self.learner.order, dtype=int)
        found = self._leaks.check(order, self.learner.labels[order])
        return found.message() if found is not None else None

    def state(self) -> dict[str, object]:
        """The learner's state and next suggestion, as plain data (for checks)."""
        learner = self.learner
        row = self._current_row()
        return {
            "order": [str(self.ids[r]) for r in learner.order],
            "labels": [str(learner.labels[r]) for r in learner.order],
            "skipped": sorted(str(self.ids[r]) for r in np.flatnonzero(learner.excluded)),
            "pending": learner.pending, "n_fits": learner.n_fits,
            "classes": list(self.classes), "has_model": learner.model is not None,
            "model": self._in_force,
            "next": None if row is None else str(self.ids[row]),
        }
