"""Opening (or resuming) a class labeling session: options, store, data, features.

``SESSION_TYPES`` opens :func:`open_class_session` for the classify and screen
kinds; :func:`open_session` loads a task first (scripts and tests).
"""

from __future__ import annotations

from pathlib import Path

from alearn.engine.featuremap import text_block
from alearn.engine.features import fitted_matrix, preprocessor_for, text_options
from alearn.estimates.gold import gold_labels
from alearn.kinds import KINDS
from alearn.kinds.base import RARE_CLASS
from alearn.progress import Phase, silent
from alearn.session.class_policy import ClassPolicy
from alearn.session.classes import ClassSession
from alearn.session.columns import choose_id, hidden_setting, parse_hide, settle_columns
from alearn.session.fieldorder import output_columns
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
from alearn.session.plain_classes import PlainClasses
from alearn.session.screening import Screening
from alearn.session.settings import (
    class_task,
    load_for_labeling,
    parse_classes,
    resolve_settings,
    task_settings,
)
from alearn.spec import TaskSpec
from alearn.tasks import load_task


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
    refuse_unread(ClassSession, task, options)
    task = class_task(task, options.text, options.text_features)
    policy_type: type[Screening] | type[PlainClasses] = (
        Screening if KINDS[task.kind].answer == RARE_CLASS else PlainClasses)
    task = policy_type.take_options(task, options)
    check_values(task.kind, options, ("strategy", "model", "start"))
    given: dict[str, object] = {k: v for k, v in {
        "target": options.target, "classes": parse_classes(options.classes),
        "batch": options.batch, "strategy": options.strategy, "model": options.model,
        "gold": options.gold, "budget": options.budget, "start": options.start,
        "audit": options.audit}.items()
        if v is not None}
    given["annotator"] = options.annotator or default_annotator()
    hide = parse_hide(options.hide)
    with opening_store(store_path(task, options)) as opened:
        check_owner(opened, ClassSession)
        task = choose_id(task, opened, options.id)
        settings = resolve_settings(task, opened, given)
        progress = options.progress or silent
        dataset, gold_column, gold_is_target = load_for_labeling(task, settings, progress)
        opened.check_data(dataset.fingerprint, dataset.source)
        dataset, task, hidden = settle_columns(dataset, task, opened, hide, options.id,
                                               exclude=[gold_column] if gold_column else [])
        if opened.meta is None:
            initialise(opened, task, dataset, {**settings.fixed(), "task": task_settings(task),
                                               **hidden_setting(hidden)})
        truth = None
        if settings.gold is not None:
            truth = gold_labels(dataset, settings.gold, gold_column, task)
        policy: ClassPolicy = policy_type.for_task(task, settings, truth)
        progress(Phase("preparing the features"))
        pre = preprocessor_for(dataset, settings.model,
                               text_options(task, dataset, store_path(task, options).parent),
                               n_rows=len(dataset.features), counts_as_words=policy.counts_as_words,
                               quick=True)
        X = fitted_matrix(pre, dataset.features)
        events = len(opened.events())
        progress(Phase(f"replaying {events} journal events" if events else
                       "choosing the first row (cold start)"))
        session = ClassSession(dataset, settings, opened, X, policy,
                               seed_labels=not gold_is_target, terms=text_block(pre),
                               hide=hidden, columns=output_columns(pre, dataset))
        try:
            session.current()  # the cold start and the first suggestion, while progress shows
        except BaseException:
            session._retrainer.close()
            raise
        return session


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
