"""A class labeling session (classify and screen tasks) behind ``alearn label``.

A :class:`ClassSession` adds a :class:`~alearn.engine.learner.Learner` to the
shared session machinery (:class:`~alearn.session.core.Session`): the journal is
replayed into a fresh learner (rows found by their id), so undo and resume give
exactly the suggestions made without them. What differs between a classify
and a screen session is asked of its :class:`~alearn.session.class_policy.ClassPolicy`:
plain classes (:mod:`alearn.session.plain_classes`) measure accuracy (a
classify session asks for an audit row, drawn at random by
:mod:`alearn.estimates.audit`, every ``audit``-th label), screening
(:mod:`alearn.session.screening`) ranks rows by how likely they are to be of
the class to find and shows recall and stopping advice instead.

Every action returns a plain :class:`~alearn.session.views.ClassStep`;
:meth:`ClassSession.current` describes the row to show.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alearn.data.dataset import Dataset
from alearn.data.duplicates import Duplicates
from alearn.engine.describe import Descriptions
from alearn.engine.learner import Learner
from alearn.engine.query import Query
from alearn.estimates.accuracy import Estimate
from alearn.estimates.audit import audit_keys, next_row
from alearn.estimates.leaks import LeakWatch
from alearn.journal.events import Event
from alearn.journal.store import Store
from alearn.session.class_policy import ClassPolicy
from alearn.session.class_reading import ClassReading
from alearn.session.class_retraining import Retraining
from alearn.session.core import Session
from alearn.session.keystrokes import MAX_KEYS, class_like, name_problem
from alearn.session.rechecks import Rechecks
from alearn.session.retrain import Fitted, Retrainer
from alearn.session.revisions import ACTION_WORDS, Revisions
from alearn.session.sample_checks import SampleChecks
from alearn.session.settings import Settings
from alearn.session.views import ClassStep, ClassView
from alearn.spec import TaskSpec


class ClassSession(ClassReading, Retraining, Revisions, Rechecks, SampleChecks,
                   Session[Settings, ClassView, ClassStep]):
    """A class labeling session over a dataset, journaled in a store.

    Use :func:`~alearn.session.opening.classes.open_class_session` to build one
    from a task and the options.

    Parameters
    ----------
    data : Dataset
    settings : Settings
    store : Store
        Open and set up for this data (its journal is replayed).
    X : array or sparse matrix
        The preprocessed rows of ``data``.
    policy : ClassPolicy
        Plain classes or screening (see :mod:`alearn.session.class_policy`).
    seed_labels : bool
        Whether labels already in the target column are used as the start.
    terms : (int, ndarray) or None
        Where the TF-IDF terms start in ``X`` and the terms, to show which
        words pushed a prediction.
    hide : tuple of str
        Columns never shown (``--hide``, the task's ``hide``).
    columns : list of tuple of str, optional
        The data columns behind each column of ``X``
        (:func:`~alearn.session.fieldorder.output_columns`), to rank a wide row's fields.
    duplicates : Duplicates, optional
        Records of one paper (:mod:`alearn.data.duplicates`): only the first of each
        group is shown, and its decision is the group's (``alearn labels`` lists
        every record); the others are never suggested nor taught, so a paper
        exported by three databases weighs as one.
    query : Query, optional
        A screen's research question (:mod:`alearn.engine.query`): the first rows
        are the ones most like it, and every retrain fits it as one relevant row.
    describe : Descriptions, optional
        Classify: the class descriptions (:mod:`alearn.engine.describe`): their
        model ranks and pre-labels rows before any label, and fades as labels come.

    Attributes
    ----------
    policy : ClassPolicy
    curve : dict of int to Estimate
        The learning curve: accuracy at each of the policy's ``curve_budgets``
        reached so far.
    wait : float or None
        How long an answer that makes a retrain due waits for it before the
        next row is suggested by the model in force (which the journal then
        records, see :class:`~alearn.journal.events.Event`). ``None`` (the
        default): every retrain is waited for, so the same answers always get
        the same suggestions (scripts, tests); :meth:`answer_promptly` sets it
        for a person at a terminal.
    """

    type_name = "classes"
    reads = frozenset({"target", "classes", "batch", "strategy", "model", "store", "gold",
                       "budget", "annotator", "text", "text_features", "start", "id", "hide",
                       "exclude", "new_target", "audit", "recall_target", "recheck",
                       "query", "prior_ids", "describe"})
    measures = False

    def __init__(self, data: Dataset, settings: Settings, store: Store, X: object,
                 policy: ClassPolicy, seed_labels: bool = True,
                 terms: tuple[int, np.ndarray] | None = None, hide: tuple[str, ...] = (),
                 columns: list[tuple[str, ...]] | None = None,
                 duplicates: Duplicates | None = None, query: Query | None = None,
                 describe: Descriptions | None = None) -> None:
        id_column = (store.meta.settings.get("task") or {}).get("id") if store.meta else None
        super().__init__(data, settings, store,
                         hidden=(data.target, settings.gold, settings.target, id_column, *hide))
        self._columns = columns
        self._ranked: tuple[int, tuple[str, ...]] = (-1, ())
        self.policy = policy
        self.terms = terms
        self.X = X
        self.query = query
        self.describe = describe
        # A hidden column is never named on the screen; the note on hiding a column
        # the model uses already says how to exclude it.
        self._leaks = LeakWatch(data.features,
                                [c for c in data.categorical if c not in self.hidden])
        labeled = data.labeled if seed_labels else np.zeros(len(self.ids), dtype=bool)
        self.seed_rows = np.flatnonzero(labeled)
        # Records of a paper shown already (a row labeled in the data stays as it is).
        self.repeats = np.empty(0, dtype=int) if duplicates is None else \
            np.setdiff1d(np.flatnonzero(duplicates.group != np.arange(len(self.ids))),
                         self.seed_rows)
        if duplicates is not None and duplicates.note():
            self.notes.append(str(duplicates.note()))
        self.seed_values = (data.labels[self.seed_rows].astype(str) if self.seed_rows.size
                            else np.empty(0, dtype=str))
        self.open_classes = not settings.classes
        self._roles: dict[str, str] = {}
        self._freed: list[tuple[str, int]] = []  # classes the last undo left without labels
        self._keys = audit_keys(settings.seed, len(self.ids)) if settings.audit else None
        self._audit_now = False
        self.classes = self._derive_classes()
        self.wait: float | None = None
        self._retrainer = Retrainer(self._fit_job)
        self._in_force = 0  # labels the model suggestions come from was fitted on
        self._due = 0  # labels the newest retrain due fits on
        self._seed_version = 0  # the model due after the data's own labels only
        self._switch_to: Fitted | None = None  # chosen when a skip is journaled
        self.estimate: Estimate | None = None
        self._audit_flags: list[bool] = []  # per label of the learner's order
        try:
            self.learner = self._build()
            # Accuracy per learning-curve budget reached (a screen has none: it shows recall).
            points = ((b, self._estimate(b)) for b in policy.curve_budgets
                      if b <= self.learner.n_labeled)
            self.curve: dict[int, Estimate] = {b: e for b, e in points if e is not None}
        except BaseException:
            self._retrainer.close()
            raise

    # -- building ----------------------------------------------------------
    def _derive_classes(self) -> list[str]:
        """The classes on keys: those given up front (``--classes``, the policy's, the
        data's own labels), then the others in the order their first label still in
        force was given. A class whose labels were all undone is dropped, so its key
        is free again, and replaying the journal gives the keys the session had."""
        given = list(self.settings.classes)
        if self.describe is not None:  # described classes are on keys from the start
            given += [c for c in self.describe.classes if c not in given]
        seeded = sorted(set(self.seed_values) - set(given))
        up_front = self.policy.up_front([*given, *seeded])
        names = [*given, *(c for c in up_front if c not in given)]
        names += [c for c in seeded if c not in names]
        # The others as the events gave them, one at a time: a class takes the next
        # key when a label of it comes into force and frees its key when its last
        # label goes (relabeled, taken back, undone), as the live session did.
        fixed = set(names)
        held: dict[str, str] = {}
        count: dict[str, int] = {}
        for event in self._active:
            if event.action == "note":
                continue
            old = held.pop(event.row_id, None)
            if old is not None:
                count[old] -= 1
                if count[old] == 0 and old not in fixed:
                    names.remove(old)
            if event.action in ("label", "decide"):
                new = str(event.value)
                held[event.row_id] = new
                count[new] = count.get(new, 0) + 1
                if new not in names:
                    names.append(new)
        self._roles = self.policy.roles(up_front)
        return names

    def _build(self, start_rows: np.ndarray | None = None) -> Learner:
        s = self.settings
        learner = Learner(self.X, model=s.model, strategy=s.strategy, start=s.start,
                          start_size=s.start_size, batch=s.batch, seed=s.seed,
                          start_rows=start_rows, text=bool(self.data.text),
                          positive=self.policy.positive, batch_growth=s.batch_growth,
                          query=self.query, describe=self.describe)
        steps: list[tuple[str, Sequence[int], Sequence[str] | None]] = []
        if self.seed_rows.size:
            steps.append(("teach", self.seed_rows, self.seed_values))
        seeded = learner.replay(steps, fit=False)
        self._seed_version = seeded or 0
        # Each row's state in force (a relabel changes a label in place, an unlabel
        # returns a row to the pool): the labels in labeling order, then the rows set
        # aside. Teaching and setting aside do not interact, so this is the state the
        # events gave one at a time.
        journal = self.journal()
        if self.repeats.size:  # records of a paper shown once: never suggested, never taught
            answered = {self._positions[e.row_id] for e in self._active}
            repeats = [int(r) for r in self.repeats if int(r) not in answered]
            learner.replay([("skip", repeats, None)], fit=False)
        steps = [("teach", [self._positions[i]], [held.value])
                 for i, held in journal.labels.items()]
        steps += [("skip", [self._positions[i]], None)
                  for i in (*journal.skipped, *journal.unsure)]
        due = learner.replay(steps, fit=False)
        self._due = due if due is not None else self._seed_version
        self._audit_flags = list(self.audit_mask())  # read by the retrain worker
        # The model of the next suggestion: the one the last event recorded
        # (a retrain may not have finished then), else the one due.
        recorded = self._events[-1].model if self._events else None
        version = recorded if recorded is not None and recorded <= self._due else self._due
        self._in_force = -1
        rows, labels = self._labels_of(learner)
        self.learner = learner
        self._use(self._retrainer.wait(rows, labels, version) if version else None, version,
                  report=False)
        if self._due > version:
            self._retrainer.submit(rows[:self._due], labels[:self._due])
        return learner

    def close(self) -> None:
        """Stop the retrains and close the store (see :meth:`Session.close`)."""
        self._retrainer.close()
        super().close()

    # -- reading -----------------------------------------------------------
    @property
    def n_labeled(self) -> int:
        """Labels given in this store (undone ones excluded)."""
        return self.n_answered

    def _suggest(self) -> int | None:
        row = self._recheck_row()
        if row is not None:  # a labeled row shown again (recheck = "auto")
            self._audit_now = False
            return row
        row = self._check_row()
        if row is not None:  # a screen's random-sample check draws it (journaled as audit)
            self._audit_now = True
            return row
        keys = self._keys if self._keys is not None else np.empty(0)
        row, self._audit_now = next_row(self.learner, self.n_labeled, self.settings.audit, keys)
        if row is None:  # every other row answered: the ones marked unsure, again
            row, self._audit_now = self.next_unsure(), False
        return row

    def _current_is_audit(self) -> bool:
        return self._current_row() is not None and self._audit_now

    def audit_mask(self) -> np.ndarray:
        """Which of the learner's labels (in its order) are audit rows."""
        given = [held.first.audit for held in self.journal().labels.values()]
        return np.asarray([False] * int(self.seed_rows.size) + given, dtype=bool)

    def _rebuild(self) -> None:
        before = self.classes
        self.classes = self._derive_classes()
        self._freed = [(c, k + 1) for k, c in enumerate(before) if c not in self.classes]
        self.learner = self._build(self.learner.start_rows())
        n = self.learner.n_labeled
        self.curve = {b: c for b, c in self.curve.items() if b <= n}

    def skip(self) -> ClassStep:
        """Skip the current row (see :meth:`Session.skip`); a row shown again to
        recheck keeps its label instead (it has one: skipping would drop it)."""
        if self._current_row() is not None and self._recheck_now is not None:
            return self._answer_recheck(self._recheck_now.given)
        return self._check_refusal("skip it") or super().skip()

    def _skipped(self, row: int, event: Event) -> None:
        self.learner.skip([row])
        self._use(self._switch_to)
        self._switch_to = None

    def _undone(self, event: Event) -> ClassStep:
        what = f"label {event.value}" if event.action == "label" else \
            ACTION_WORDS.get(event.action, event.action)
        message = f"undid {what} of row {event.row_id}"
        if event.audit and self.policy.recall_target is not None:
            self._check_wanted = True  # a check's draw undone: the check shows it again
        for name, key in self._freed:
            message += f"; class {name!r} has no label left" + \
                (f" (key {key} is free)" if key <= MAX_KEYS else "")
        return ClassStep(action="undo", row_id=event.row_id, value=event.action,
                         message=message)

    def _step(self, action: str, row_id: str | None = None, message: str = "") -> ClassStep:
        return ClassStep(action=action, row_id=row_id, message=message)

    @staticmethod
    def refusal(flag: str, task: TaskSpec) -> str:
        """Options of optimize sessions only."""
        return (f"{flag} is for optimize tasks (goal columns ending in + or -); "
                f"{task.source or task.name} is a classification task")

    @staticmethod
    def foreign_store(path: object) -> str:
        """An optimize session's store."""
        return (f"{path}: this label store belongs to an optimize session (measured goal "
                "values); use another --store for class labels")

    # -- acting ------------------------------------------------------------
    def label(self, cls: str, distinct: bool = False) -> ClassStep:
        """Label the current row with ``cls`` (saved before returning).

        Parameters
        ----------
        cls : str
            A known class, or a new name when classes are open. It is trimmed, and
            a name that differs from a known class only by case is that class
            (``Good`` labels ``good``; :func:`~alearn.session.keystrokes.class_like`).
        distinct : bool
            Keep a name that differs from a known class only by case as a class
            of its own (a person asked, and said so); classes must be open.

        Returns
        -------
        ClassStep
        """
        typed = str(cls).strip()
        row = self._current_row()
        if row is None:
            return ClassStep(action="none", message="nothing left to label")
        problem = name_problem(typed, self.classes, self.open_classes)
        if problem is not None:
            return ClassStep(action="none", message=problem)
        cls = typed if distinct and self.open_classes else \
            class_like(typed, self.classes) or typed
        if self._recheck_now is not None:  # a labeled row shown again: keep or change
            return self._answer_recheck(cls)
        new = cls not in self.classes
        learner = self.learner
        rows, labels = self._labels_of(learner)
        rows, labels = [*rows, row], [*labels, cls]
        # The retrain this label makes due starts before the label is journaled
        # (it reads a copy), so the event can record which model suggests next.
        due = len(rows) if learner.due_if([cls]) else None
        self._audit_flags.append(self._current_is_audit())  # before the worker reads it
        if due is not None:
            self._retrainer.submit(rows, labels)
        fitted = self._choose(rows, labels, due)
        try:
            row, _ = self._answer_current(
                cls, model=fitted.version if fitted is not None else self._in_force)
        except BaseException:
            self._audit_flags.pop()  # not journaled: the label is not in the order
            raise
        row_id = str(self.ids[row])
        if new:
            self.classes.append(cls)
        learner.record([row], [cls])
        if due is not None:
            self._due = due
        retrained, estimate = self._use(fitted)
        curve = self._curve_point(retrained, estimate, due)
        key = self.classes.index(cls) + 1
        message = f"row {row_id}: {cls}"
        if cls != typed:
            message += f" (typed {typed!r}: the existing class)"
        if new:
            message += " (new class" + (f", key {key})" if key <= MAX_KEYS else ")")
        message += self._after_label()  # a screen: its check and stopping statement
        return ClassStep(action="label", row_id=row_id, value=cls, retrained=retrained,
                         estimate=estimate, curve=curve, new_class=cls if new else None,
                         message=message)
