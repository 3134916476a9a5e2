"""One way to open (or resume) a labeling session, whatever its type.

:class:`Opening` runs the steps every session type shares, in this order: the
options it does not read refused, its own checks, the store opened (and removed
again if opening fails), the store's owner checked, the id column chosen, the
data loaded (another file refused), the id and hidden columns settled, the
data compared with what the store recorded (:mod:`alearn.data.datachange`: rows
added, removed or changed are noted, not refused), the settings a store keeps
set up or checked on resume, and the session built. A session type fills in the steps that differ
(:meth:`Opening.check`, :meth:`Opening.load`, :meth:`Opening.kept_settings`,
:meth:`Opening.build`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from alearn.data.datachange import (
    check_same_source,
    compare_data,
    table_shape,
    with_store_ids,
)
from alearn.data.dataset import Dataset
from alearn.journal.store import Store
from alearn.progress import Report, silent
from alearn.session.core import Session
from alearn.session.opening.class_settings import task_settings
from alearn.session.opening.columns import (
    choose_exclude,
    choose_id,
    exclusion_note,
    hidden_setting,
    parse_hide,
    settle_columns,
    stage_exclusions,
)
from alearn.session.opening.steps import (
    check_owner,
    initialise,
    opening_store,
    refuse_unread,
    store_path,
)
from alearn.session.options import LabelOptions
from alearn.spec import TaskSpec

S = TypeVar("S", bound=Session)


@dataclass(frozen=True)
class SessionType:
    """A kind of labeling session: the answers it takes and how it opens.

    Attributes
    ----------
    name, help : str
    answers : tuple of str
        The :data:`alearn.kinds.base.ANSWERS` it asks a person for.
    open : callable
        ``open(task, options)`` -> an open session (raises ConfigError,
        DataError, StoreError, StoreBusyError).
    """

    name: str
    help: str
    answers: tuple[str, ...]
    open: Callable[[TaskSpec, LabelOptions], Session]


class Opening(Generic[S]):
    """The opening of one session of type ``S``; :meth:`open` is the template.

    Parameters
    ----------
    task : TaskSpec
        As loaded (:func:`alearn.tasks.load_task`); the steps may revise it.
    options : LabelOptions
        What the user gave ``alearn label``.

    Attributes
    ----------
    session_type : type
        The session class (its ``reads``, refusals and store ownership).
    detect_id : bool
        Whether a new store may detect an id column in the data (the
        suggestions of a session whose features must stay the simulation's do
        not depend on one).
    """

    session_type: ClassVar[type[Session]]
    detect_id: ClassVar[bool] = True

    def __init__(self, task: TaskSpec, options: LabelOptions) -> None:
        self.task = task
        self.options = options
        self.progress: Report = options.progress or silent

    # -- the steps a session type fills in ------------------------------------
    def check(self) -> None:
        """Refuse option values this session type cannot take (before the store
        is touched); may revise :attr:`task`."""

    def load(self, store: Store) -> Dataset:
        """The data to label (with the settings that decide how it is loaded)."""
        raise NotImplementedError

    def never_id(self) -> list[str]:
        """Columns that may never be detected as the id column."""
        return []

    def kept_settings(self, store: Store, data: Dataset) -> dict[str, object]:
        """The settings the store keeps fixed: checked against the store's when
        resuming (raise StoreError), written to a new store otherwise."""
        raise NotImplementedError

    def build(self, store: Store, data: Dataset, hidden: tuple[str, ...]) -> S:
        """The session, ready to show its first row."""
        raise NotImplementedError

    # -- the template ---------------------------------------------------------
    def open(self) -> S:
        """Open (or resume) the session.

        Raises
        ------
        ConfigError, DataError, StoreError, StoreBusyError
            Nothing is left behind: a store this call created is removed.
        """
        refuse_unread(self.session_type, self.task, self.options)
        self.check()
        hide = parse_hide(self.options.hide)
        with opening_store(store_path(self.task, self.options)) as store:
            check_owner(store, self.session_type)
            self.task = choose_id(self.task, store, self.options.id)
            self.task, excluded = choose_exclude(self.task, store, self.options.exclude)
            if excluded:
                stage_exclusions(store, self.task)
            data = self.load(store)
            if store.meta is not None:
                check_same_source(store.path, store.meta, data)
            data, self.task, hidden = settle_columns(data, self.task, store, hide,
                                                     self.options.id, detect=self.detect_id,
                                                     exclude=self.never_id())
            data = with_store_ids(data, store.meta, self.task.id)
            # Only a changed file is compared (the journal read, the rows looked up).
            change = None if store.meta is None or store.meta.fingerprint == data.fingerprint \
                else compare_data(store.path, store.meta, store.events(), data)
            kept = self.kept_settings(store, data)
            if store.meta is None:
                initialise(store, self.task, data, {**kept, "task": task_settings(self.task),
                                                    **hidden_setting(hidden)})
            session = self.build(store, data, hidden)
            assert store.meta is not None
            if change is not None or store.meta.table is None:
                # Said once: the store now records the data as it is.
                store.update_data(data.fingerprint, table_shape(data, store.meta))
            session.notes = [*session.notes, *(change.notes() if change is not None else [])]
            if excluded:  # staged in memory above; written now the session is open
                store.update_settings({"task": store.meta.settings["task"]})
                session.notes.append(exclusion_note(excluded, session.n_answered))
            return session
