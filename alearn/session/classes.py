"""A class labeling session (classify and screen tasks) behind ``alearn label``.

A :class:`ClassSession` adds a :class:`~alearn.engine.learner.Learner` to the
shared session machinery (:class:`~alearn.session.base.Session`): the journal is
replayed into a fresh learner (rows found by their id), so undo and resume give
exactly the suggestions made without them. A screen session is the same class
with a ``positive`` class to find: the model ranks rows by how likely they are
to be positive, and stopping advice is shown.

Every action returns a plain :class:`~alearn.session.views.Step`;
:meth:`ClassSession.current` describes the row to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from alearn.data.dataset import Dataset
from alearn.engine.featuremap import text_block
from alearn.engine.features import make_preprocessor, text_options
from alearn.engine.learner import Learner
from alearn.kinds import KINDS
from alearn.kinds.screen.simulate import term_counts
from alearn.kinds.screen.stopping import DEFAULT_TARGET, advise
from alearn.session.base import Session
from alearn.session.estimate import Estimate, cv_estimate, gold_estimate
from alearn.session.gold import gold_labels, gold_sample
from alearn.session.keys import MAX_KEYS, name_problem
from alearn.session.opening import (
    check_owner,
    check_values,
    default_annotator,
    initialise,
    opening_store,
    refuse_unread,
    store_path,
)
from alearn.session.options import LabelOptions
from alearn.session.settings import (
    Settings,
    class_task,
    load_for_labeling,
    parse_classes,
    resolve_settings,
    task_settings,
)
from alearn.session.store import Event, Store
from alearn.session.views import Progress, Step, View, Why, row_fields
from alearn.session.words import pushing_words
from alearn.tasks import TaskSpec, load_task

GOLD_MAX_ROWS = 20_000
TOP_CLASSES = 3


class ClassSession(Session):
    """A class labeling session over a dataset, journaled in a store.

    Use :func:`open_class_session` to build one from a task and the options.

    Parameters
    ----------
    data : Dataset
    settings : Settings
    store : Store
        Open and set up for this data (its journal is replayed).
    X : array or sparse matrix
        The preprocessed rows of ``data``.
    gold : ndarray of object, optional
        True labels per row (NaN where unknown), to measure accuracy on.
    seed_labels : bool
        Whether labels already in the target column are used as the start.
    positive : str, optional
        Screening: the class to find (the model then ranks rows by how likely
        they are to be ``positive``, and stopping advice is shown).
    terms : (int, ndarray) or None
        Where the TF-IDF terms start in ``X`` and the terms, to show which
        words pushed a prediction.
    recall_target : float
        Screening: the recall the stopping advice aims for (the task's ``recall_target``).
    """

    answer = "class"
    reads = frozenset({"target", "classes", "batch", "strategy", "model", "store", "gold",
                       "budget", "annotator", "text", "text_features", "start"})
    measures = False

    def __init__(self, data: Dataset, settings: Settings, store: Store, X: object,
                 gold: np.ndarray | None = None, seed_labels: bool = True,
                 positive: str | None = None,
                 terms: tuple[int, np.ndarray] | None = None,
                 recall_target: float = DEFAULT_TARGET) -> None:
        id_column = (store.meta.settings.get("task") or {}).get("id") if store.meta else None
        super().__init__(data, settings, store,
                         hidden=(data.target, settings.gold, settings.target, id_column))
        self.positive = positive
        self.recall_target = recall_target
        self.terms = terms
        self.X = X
        labeled = data.labeled if seed_labels else np.zeros(len(self.ids), dtype=bool)
        self.seed_rows = np.flatnonzero(labeled)
        self.seed_values = (data.labels[self.seed_rows].astype(str) if self.seed_rows.size
                            else np.empty(0, dtype=str))
        self.open_classes = not settings.classes
        self._gold_rows = gold_sample(gold, settings.seed, GOLD_MAX_ROWS)
        self._gold = gold
        self.classes = self._derive_classes()
        self.learner = self._build()
        self.estimate: Estimate | None = None
        self.curve: dict[int, Estimate] = {
            b: self._estimate(b) for b in settings.budgets if b <= self.learner.n_labeled}

    # -- building ----------------------------------------------------------
    def _derive_classes(self) -> list[str]:
        names = list(self.settings.classes)
        names += sorted(set(self.seed_values) - set(names))
        for event in self._events:
            if event.kind == "label" and event.value not in names:
                names.append(str(event.value))
        return names

    def _build(self, start_rows: np.ndarray | None = None) -> Learner:
        s = self.settings
        learner = Learner(self.X, model=s.model, strategy=s.strategy, start=s.start,
                          start_size=s.start_size, batch=s.batch, seed=s.seed,
                          start_rows=start_rows, text=bool(self.data.text),
                          positive=self.positive, batch_growth=s.batch_growth)
        steps: list[tuple[str, Sequence[int], Sequence[str] | None]] = []
        if self.seed_rows.size:
            steps.append(("teach", self.seed_rows, self.seed_values))
        for event in self._active:
            row = self._positions[event.row_id]
            if event.kind == "label":
                steps.append(("teach", [row], [str(event.value)]))
            else:
                steps.append(("skip", [row], None))
        learner.replay(steps)
        return learner

    # -- reading -----------------------------------------------------------
    @property
    def n_labeled(self) -> int:
        """Labels given in this store (undone ones excluded)."""
        return self.n_answered

    def _suggest(self) -> int | None:
        rows = self.learner.suggest(1)
        return int(rows[0]) if rows.size else None

    def _rebuild(self) -> None:
        self.learner = self._build(self.learner.start_rows())
        n = self.learner.n_labeled
        self.curve = {b: c for b, c in self.curve.items() if b <= n}

    def _skipped(self, row: int, event: Event) -> None:
        self.learner.skip([row])

    def _undone(self, event: Event) -> Step:
        what = f"label {event.value}" if event.kind == "label" else "skip"
        return Step("undo", event.row_id, event.kind,
                    message=f"undid {what} of row {event.row_id}")

    def _step(self, action: str, row_id: str | None = None, message: str = "") -> Step:
        return Step(action, row_id, message=message)

    @staticmethod
    def refusal(flag: str, task: TaskSpec) -> str:
        """Options of optimize sessions only."""
        return ("--evaluate and --timeout are for optimize tasks (goal columns ending in + or "
                f"-); {task.source or task.name} is a classification task")

    @staticmethod
    def foreign_store(path: object) -> str:
        """An optimize session's store."""
        return (f"{path}: this label store belongs to an optimize session (measured goal "
                "values); use another --store for class labels")

    def _why(self, row: int) -> Why:
        learner = self.learner
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
            proba = learner.model.predict_proba(self.X[row:row + 1])[0]
            best = np.argsort(-proba, kind="stable")[:TOP_CLASSES]
            top = [(self._class_name(learner.model.classes_[i]), float(proba[i])) for i in best]
        return Why(kind=kind, strategy=learner.strategy, score=score, top=top)

    def _class_name(self, value: object) -> str:
        """A model class as shown: screening models predict 1 (positive) or 0 (the rest)."""
        if self.positive is None:
            return str(value)
        return self.positive if int(value) == 1 else f"not {self.positive}"  # type: ignore[call-overload]

    def words(self, row: int, top: int = 12) -> dict[str, float]:
        """The words of ``row`` that pushed the linear model's prediction most
        (:func:`~alearn.session.words.pushing_words`)."""
        return pushing_words(self.learner.model, self.X[row:row + 1], self.terms, top)

    def advice(self) -> str | None:
        """Screening: the stopping advice after the labels so far (``None`` otherwise)."""
        if self.positive is None:
            return None
        learner = self.learner
        hits = learner.labels[learner.order].astype(str) == self.positive
        return advise(hits, len(self.ids), self.recall_target).message()

    def progress(self) -> Progress:
        """Counts for the progress line."""
        learner = self.learner
        return Progress(
            labeled=self.n_labeled, seeded=int(self.seed_rows.size),
            skipped=self.n_skipped,
            budget=self.settings.budget, class_counts=learner.class_counts(),
            until_retrain=max(learner.batch - learner.pending, 1),
            remaining=int(learner.eligible.sum()), total=len(self.ids))

    def current(self) -> View:
        """The row to label now, why it was chosen, and the progress so far.

        Returns
        -------
        View
            ``done`` is true when the budget is reached or no row is left.
        """
        row = self._current_row()
        progress = self.progress()
        if row is None:
            budget = self.settings.budget
            if budget is not None and self.n_labeled >= budget:
                reason = f"the budget of {budget} labels is reached"
            elif self.seed_rows.size == len(self.ids):
                reason = (f"all {len(self.ids)} rows already carry a label in "
                          f"{self.data.target!r}")
            else:
                reason = "every row is labeled or skipped"
            return View(done=True, reason=reason, row_id=None, fields=[], why=None,
                        progress=progress, classes=list(self.classes),
                        open_classes=self.open_classes)
        return View(done=False, reason="", row_id=str(self.ids[row]),
                    fields=row_fields(self.data, row, self.hidden),
                    why=self._why(row), progress=progress, classes=list(self.classes),
                    open_classes=self.open_classes, words=self.words(row),
                    advice=self.advice())

    # -- estimating --------------------------------------------------------
    def _estimate(self, n: int | None = None) -> Estimate:
        """Accuracy of a model fitted on the first ``n`` labels (default: all)."""
        learner = self.learner
        rows = np.asarray(learner.order if n is None else learner.order[:n], dtype=int)
        labels = learner.labels[rows].astype(str) if rows.size else np.empty(0, dtype=str)
        if self._gold is not None:
            fitted = learner.fit_detached(int(rows.size)) if rows.size else None
            return gold_estimate(fitted, self.X, rows, labels, self._gold_rows, self._gold)
        return cv_estimate(self.X, rows, labels, self.settings.model, self.settings.seed,
                           text=self.learner.text)

    # -- acting ------------------------------------------------------------
    def label(self, cls: str) -> Step:
        """Label the current row with ``cls`` (saved before returning).

        Parameters
        ----------
        cls : str
            A known class, or a new name when classes are open.

        Returns
        -------
        Step
        """
        cls = str(cls).strip()
        row = self._current_row()
        if row is None:
            return Step("none", message="nothing left to label")
        problem = name_problem(cls, self.classes, self.open_classes)
        if problem is not None:
            return Step("none", message=problem)
        new = cls not in self.classes
        row, _ = self._answer_current(cls)
        row_id = str(self.ids[row])
        if new:
            self.classes.append(cls)
        retrained = self.learner.teach([row], [cls])
        estimate = curve = None
        if retrained:
            estimate = self._estimate()
            previous = self.estimate
            change = (estimate.accuracy - previous.accuracy
                      if previous is not None and previous.accuracy is not None
                      and estimate.accuracy is not None else None)
            estimate = Estimate(estimate.n_labels, estimate.accuracy, estimate.method, change)
            self.estimate = estimate
        n = self.learner.n_labeled
        if n in self.settings.budgets:
            curve = estimate if estimate is not None else self._estimate()
            curve = Estimate(curve.n_labels, curve.accuracy, curve.method)
            self.curve[n] = curve
        key = self.classes.index(cls) + 1
        message = f"row {row_id}: {cls}"
        if new:
            message += " (new class" + (f", key {key})" if key <= MAX_KEYS else ")")
        return Step("label", row_id, cls, retrained=retrained, estimate=estimate, curve=curve,
                    new_class=cls if new else None, message=message)

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
            "next": None if row is None else str(self.ids[row]),
        }

def open_class_session(task: TaskSpec, options: LabelOptions) -> ClassSession:
    """Open (or resume) a class labeling session (classify or screen task).

    Options left as ``None`` come from the store when it exists (resuming),
    else from the task. Options that decide which rows are suggested must
    match the store's.

    Parameters
    ----------
    task : TaskSpec
        As loaded (:func:`alearn.tasks.load_task`).
    options : LabelOptions
        What the user gave ``alearn label``; ``--evaluate`` and ``--timeout`` are refused.

    Returns
    -------
    ClassSession
        Open; close it (or use it as a context manager) to release the store.

    Raises
    ------
    ConfigError, DataError, StoreError, StoreBusyError
    """
    refuse_unread(ClassSession, task, options)
    task = class_task(task, options.text, options.text_features)
    check_values(task.kind, options, ("strategy", "model", "start"))
    given: dict[str, object] = {k: v for k, v in {
        "target": options.target, "classes": parse_classes(options.classes),
        "batch": options.batch, "strategy": options.strategy, "model": options.model,
        "gold": options.gold, "budget": options.budget, "start": options.start}.items()
        if v is not None}
    given["annotator"] = options.annotator or default_annotator()
    with opening_store(store_path(task, options)) as opened:
        check_owner(opened, ClassSession)
        settings = resolve_settings(task, opened, given)
        dataset, gold_column, gold_is_target = load_for_labeling(task, settings)
        opened.check_data(dataset.fingerprint, dataset.source)
        if opened.meta is None:
            initialise(opened, task, dataset, {**settings.fixed(), "task": task_settings(task)})
        truth = None
        if settings.gold is not None:
            truth = gold_labels(dataset, settings.gold, gold_column, task)
        positive = task.positive if "positive" in KINDS[task.kind].keys else None
        pre = make_preprocessor(settings.model, dataset.numeric, dataset.categorical,
                                [dataset.text_feature] if dataset.text_feature else [],
                                text_options(task, dataset, store_path(task, options).parent),
                                n_rows=len(dataset.features),
                                counts=positive is not None and term_counts(dataset))
        X = pre.fit_transform(dataset.features)
        return ClassSession(dataset, settings, opened, X, gold=truth,
                            seed_labels=not gold_is_target, positive=positive,
                            terms=text_block(pre), recall_target=task.recall_target)


def open_session(data: str | Path, **options: object) -> ClassSession:
    """Load the task at ``data`` and open its class session (:func:`open_class_session`).

    Parameters
    ----------
    data : str or Path
        A CSV/Parquet/JSONL file or a task folder.
    **options
        :class:`~alearn.session.options.LabelOptions` fields (``target``,
        ``classes``, ``batch``, ``strategy``, ``model``, ``store``, ``gold``,
        ``budget``, ``annotator``, ``start``, ``text``).

    Returns
    -------
    ClassSession
    """
    return open_class_session(load_task(data), LabelOptions(**options))  # type: ignore[arg-type]
