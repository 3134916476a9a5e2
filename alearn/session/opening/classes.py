"""Opening (or resuming) a class labeling session: options, store, data, features.

``SESSION_TYPES`` opens :func:`open_class_session` for the classify and screen
kinds; :func:`open_session` loads a task first (scripts and tests).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from alearn.data.dataset import Dataset
from alearn.data.duplicates import find_duplicates
from alearn.engine.describe import description_rows
from alearn.engine.featuremap import text_block
from alearn.engine.features import fitted_matrix, preprocessor_for, term_counts, text_options
from alearn.engine.query import query_matrix
from alearn.errors import ConfigError, DataError
from alearn.estimates.gold import gold_labels
from alearn.journal.store import Store
from alearn.kinds import KINDS
from alearn.kinds.base import CLASSES, RARE_CLASS
from alearn.kinds.screen.statement import SETTINGS_KEY, rule_record
from alearn.progress import Phase
from alearn.session.class_policy import ClassPolicy
from alearn.session.classes import ClassSession
from alearn.session.fieldorder import output_columns
from alearn.session.keystrokes import name_problem
from alearn.session.opening.class_settings import (
    class_task,
    load_for_labeling,
    parse_classes,
    resolve_settings,
)
from alearn.session.opening.steps import check_values, default_annotator, store_path
from alearn.session.opening.template import Opening, SessionType
from alearn.session.options import LabelOptions
from alearn.session.plain_classes import PlainClasses
from alearn.session.screening import Screening, kept_target
from alearn.spec import TaskSpec
from alearn.tasks import load_task, revise


class ClassOpening(Opening[ClassSession]):
    """Opening a class session (classify or screen task); see :func:`open_class_session`."""

    session_type = ClassSession

    def check(self) -> None:
        """Text options applied, the policy's own options taken, option values checked."""
        options = self.options
        task = class_task(self.task, options.text, options.text_features)
        self.policy_type: type[Screening] | type[PlainClasses] = (
            Screening if KINDS[task.kind].answer == RARE_CLASS else PlainClasses)
        self.task = self.policy_type.take_options(task, options)
        named = parse_classes(options.classes)
        for cls, _ in self.task.describe:
            if named and cls not in named:
                raise ConfigError(f"--describe names class {cls!r}, which is not in --classes "
                                  f"{','.join(named)}")
        check_values(self.task.kind, options, ("strategy", "model", "start"))
        self.given: dict[str, object] = {k: v for k, v in {
            "target": options.target, "classes": parse_classes(options.classes),
            "batch": options.batch, "strategy": options.strategy, "model": options.model,
            "gold": options.gold, "budget": options.budget, "start": options.start,
            "audit": options.audit}.items()
            if v is not None}
        self.given["annotator"] = options.annotator or default_annotator()

    def load(self, store: Store) -> Dataset:
        """The settings (given, stored, or the task's) and the data they load.

        A new store of data whose every row already carries a label (and no
        ``--gold``) opens a practice session: those labels are hidden and become
        the gold labels the accuracy is measured on, with a note saying so.
        """
        stored = (store.meta.settings.get("task") or {}) if store.meta is not None else {}
        if stored.get("describe") and not self.task.describe:  # resumed without --describe
            self.task = revise(self.task, describe=tuple(stored["describe"].items()))
        self.settings = resolve_settings(self.task, store, self.given)
        if self.policy_type is Screening:
            self.task = kept_target(self.task, store, self.options.recall_target)
        data, self.gold_column, self.gold_is_target = load_for_labeling(
            self.task, self.settings, self.progress,
            # Resuming: the store's target was accepted when the store was made.
            new_target=bool(self.options.new_target) or store.meta is not None)
        if self.task.describe and not data.text_feature:
            raise DataError(f"{self.task.data_path}: describe gives classes in words, and this "
                            "data has no text column to compare them with (--text or "
                            "text = [...])")
        if self.task.describe and self.task.text_features == "tfidf":
            note = ("the class descriptions are compared with the rows by the words they share "
                    "(TF-IDF); --text-features embed compares meanings (pip install "
                    "'alearn[embed]'): on movie reviews, words alone gave no better than chance")
            data = dataclasses.replace(data, text_notes=[*data.text_notes, note])
        if store.meta is None and self.settings.gold is None and self.policy_type is PlainClasses \
                and data.labels is not None and bool(data.labeled.all()):
            audit = self.given.get("audit", 0)
            self.settings = dataclasses.replace(self.settings, gold=data.target, audit=audit)
            self.gold_column, self.gold_is_target = data.target, True
        if self.gold_is_target and "gold" not in self.given:
            note = (f"every row already carries a label in {data.target!r}: a practice "
                    "session, with those labels hidden and used as gold to measure the "
                    "model's accuracy as you label")
            data = dataclasses.replace(data, text_notes=[*data.text_notes, note])
        return data

    def never_id(self) -> list[str]:
        """The gold column is never the id column."""
        return [self.gold_column] if self.gold_column else []

    def kept_settings(self, store: Store, data: Dataset) -> dict[str, object]:
        """The settings that decide which rows are suggested (checked when loading).

        A new ``--gold`` store without ``--classes`` takes its classes from the gold
        labels (on keys 1-9 in sorted order), so the keys work from the first row.
        """
        self.truth = None
        if self.settings.gold is not None:
            self.truth = gold_labels(data, self.settings.gold, self.gold_column, self.task)
            if store.meta is None and not self.settings.classes \
                    and self.policy_type is PlainClasses:
                self.settings = dataclasses.replace(
                    self.settings, classes=gold_classes(self.truth))
        fixed = self.settings.fixed()
        if self.policy_type is Screening:
            # The stopping rule and its target, fixed for the statement it gives.
            fixed[SETTINGS_KEY] = rule_record(self.task.recall_target)
        return fixed

    def build(self, store: Store, data: Dataset, hidden: tuple[str, ...]) -> ClassSession:
        """The policy, the features, and the session with its first row chosen."""
        task, settings, truth = self.task, self.settings, self.truth
        policy: ClassPolicy = self.policy_type.for_task(task, settings, truth)
        # Records known to be relevant start a screen (by the ids settled above).
        data = self.policy_type.with_priors(task, data)
        self.progress(Phase("preparing the features"))
        pre = preprocessor_for(data, settings.model,
                               text_options(task, data, store_path(task, self.options).parent),
                               n_rows=len(data.features), counts_as_words=policy.counts_as_words,
                               quick=True)
        X = fitted_matrix(pre, data.features)
        query = query_matrix(task.query, data, pre, policy.counts_as_words and
                             term_counts(data)) if task.query is not None else None
        described = description_rows(task.describe, data, pre, str(task.data_path)) \
            if task.describe else None
        events = len(store.events())
        self.progress(Phase(f"replaying {events} journal events" if events else
                            "choosing the first row (cold start)"))
        # A store made before duplicates were grouped keeps showing every record.
        stored = (store.meta.settings.get("task") or {}) if store.meta is not None else {}
        grouped = find_duplicates(data.table, data.written) \
            if policy.groups_duplicates and stored.get("group_duplicates") else None
        session = ClassSession(data, settings, store, X, policy,
                               seed_labels=not self.gold_is_target, terms=text_block(pre),
                               hide=hidden, columns=output_columns(pre, data),
                               duplicates=grouped, query=query, describe=described)
        try:
            session.current()  # the cold start and the first suggestion, while progress shows
        except BaseException:
            session._retrainer.close()
            raise
        return session


def gold_classes(truth: np.ndarray) -> tuple[str, ...]:
    """The classes of the gold labels, sorted; ``()`` (classes typed as you go) when
    they are fewer than two or one could not be a class name (a key of the session)."""
    names = tuple(sorted({v.strip() for v in truth if isinstance(v, str) and v.strip()}))
    if len(names) < 2 or any(name_problem(n, (), True) for n in names):
        return ()
    return names


def open_class_session(task: TaskSpec, options: LabelOptions) -> ClassSession:
    """Open (or resume) a class labeling session (classify or screen task).

    Options left as ``None`` come from the store when it exists (resuming),
    else from the task. Options that decide which rows are suggested must
    match the store's. The task's kind chooses the session's policy once:
    screening for a rare class (:class:`~alearn.session.screening.Screening`),
    else plain classes (:class:`~alearn.session.plain_classes.PlainClasses`).

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
    return ClassOpening(task, options).open()


def open_session(data: str | Path, **options: object) -> ClassSession:
    """Load the task at ``data`` and open its class session (:func:`open_class_session`).

    Parameters
    ----------
    data : str or Path
        A CSV/Parquet/JSONL file or a task folder.
    **options
        :class:`~alearn.session.options.LabelOptions` fields (``target``,
        ``classes``, ``batch``, ``strategy``, ``model``, ``store``, ``gold``,
        ``budget``, ``annotator``, ``start``, ``text``, ``id``, ``hide``).

    Returns
    -------
    ClassSession
    """
    return open_class_session(load_task(data), LabelOptions(**options))  # type: ignore[arg-type]


SESSION_TYPE = SessionType("classes", "one class per row, or whether a row is of a rare class",
                           (CLASSES, RARE_CLASS), open_class_session)
