"""What every labeling session shares: the journal, replay, undo, skip, the budget.

A session joins a dataset and a :class:`~alearn.journal.store.Store`. Its state
is a pure function of the data, the settings and the journal: opening a store
replays the journal (rows found by their id, never by position), and ``undo``
journals an undo event and rebuilds the state by replaying what is left, so a
session that was interrupted suggests exactly the rows it would have suggested
without the interruption.

Every action is written to the store (and committed) before the state
changes. A session type (:class:`~alearn.session.classes.ClassSession`,
:class:`~alearn.session.measure.MeasureSession`) adds only what differs: how
its state is rebuilt, which row comes next, how an answer is recorded and what
is shown. Nothing here prints or reads the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Generic, Self, TypeVar

import numpy as np
import pandas as pd

from alearn.data.datachange import RowDigests, digest_columns
from alearn.data.dataset import Dataset
from alearn.journal.events import Event, active_events
from alearn.journal.state import JournalState, journal_state
from alearn.journal.store import Store
from alearn.session.settings import SessionSettings
from alearn.session.views import RowReader, Step, View
from alearn.spec import TaskSpec

SettingsT = TypeVar("SettingsT", bound=SessionSettings)
ViewT = TypeVar("ViewT", bound=View)
StepT = TypeVar("StepT", bound=Step)


class Session(Generic[SettingsT, ViewT, StepT]):
    """A labeling session over a dataset, journaled in a store.

    Subclasses name their settings, view and step types (``Session[Settings,
    ClassView, ClassStep]``), set the class attributes and implement the ``_``
    hooks and :meth:`current`.

    Attributes
    ----------
    type_name : str
        The name of its session type in
        :data:`~alearn.session.types.SESSION_TYPES` (``"classes"`` or
        ``"goals"``): the renderer picks how rows are asked by it.
    reads : frozenset of str
        The :class:`~alearn.session.options.LabelOptions` this session reads;
        any other one given is refused (:func:`alearn.session.opening.steps.refuse_unread`).
    measures : bool
        Whether its stores record measured goal values (``kind = "optimize"``
        in the stored settings); a store of the other type is refused.
    resumed : bool
        The store already had events when the session opened.
    gone : set of str
        Rows the journal names that are no longer in the data (the data changed
        since; :mod:`alearn.data.datachange`): their answers stay in the store, and
        the session leaves them out.
    notes : list of str
        What the person should know as the session opens (how the data changed).
    """

    type_name: ClassVar[str]
    reads: ClassVar[frozenset[str]]
    measures: ClassVar[bool]

    def __init__(self, data: Dataset, settings: SettingsT, store: Store,
                 hidden: Iterable[str]) -> None:
        self.data = data
        self.settings = settings
        self.store = store
        self.hidden = {c for c in hidden if c}
        self._reader = RowReader(data, self.hidden)
        self.ids = np.asarray(data.ids, dtype=object)
        # The ids as they are (no copy of a million strings into pandas' text type;
        # looked up by the same equality).
        self._index = pd.Index(self.ids, dtype=object, copy=False)
        self._positions: dict[str, int] = {}
        self._events: list[Event] = store.events()
        self.gone: set[str] = set()
        self.notes: list[str] = []
        self._locate(e.row_id for e in self._events)
        self._active = [e for e in active_events(self._events) if e.row_id not in self.gone]
        self._state: tuple[tuple[int, int], JournalState] = ((-1, -1), JournalState())
        self._digest = RowDigests(data, digest_columns(store.meta, data))
        self.resumed = bool(self._events)
        # A store set up by this session (no events when it opened, and no meta before).
        self.created = not self._events and store.new
        self._next: int | None = None
        self._next_known = False  # whether _next is computed for the current state

    def fields(self, row: int) -> list[tuple[str, object, bool]]:
        """A row's columns to show (hidden ones left out): name, value, whether numeric."""
        return self._reader.fields(row)

    # -- hooks ---------------------------------------------------------------
    def _rebuild(self) -> None:
        """Rebuild the state from the active events (after an undo)."""
        raise NotImplementedError

    def _suggest(self) -> int | None:
        """The next row (computed once per action), ``None`` when none is left."""
        raise NotImplementedError

    def _skipped(self, row: int, event: Event) -> None:
        """Update the state for a skip of ``row`` (already journaled)."""
        raise NotImplementedError

    def current(self) -> ViewT:
        """What to show now: the next row, or why there is none."""
        raise NotImplementedError

    def _undone(self, event: Event) -> StepT:
        """The step returned for an undo of ``event`` (already journaled and replayed)."""
        raise NotImplementedError

    @staticmethod
    def refusal(flag: str, task: TaskSpec) -> str:
        """The error for an option this session does not read."""
        raise NotImplementedError

    @staticmethod
    def foreign_store(path: object) -> str:
        """The error for a store made by the other type of session."""
        raise NotImplementedError

    def _step(self, action: str, row_id: str | None = None, message: str = "") -> StepT:
        """A step of this session's type with only the common fields."""
        raise NotImplementedError

    # -- rows and events -----------------------------------------------------
    def _locate(self, row_ids: Iterable[str]) -> None:
        """Find the positions of journaled rows by their id (all at once: fast); ids
        not in the data are :attr:`gone` (the opening compared the data and said so)."""
        wanted = [r for r in dict.fromkeys(row_ids) if r not in self._positions]
        if not wanted:
            return
        found = self._index.get_indexer(wanted)
        self.gone.update(r for r, f in zip(wanted, found, strict=True) if f < 0)
        self._positions.update((r, int(f)) for r, f in zip(wanted, found, strict=True)
                               if f >= 0)

    def position(self, row_id: str) -> int:
        """The position in the data of a journaled row."""
        return self._positions[row_id]

    def active(self) -> list[Event]:
        """The labels and skips still in force, in journal order."""
        return list(self._active)

    def _current_is_audit(self) -> bool:
        """Whether the current row is an audit row (marked in the journal)."""
        return False

    def answer_promptly(self) -> None:
        """A person is waiting for each row: a session that retrains may then go on
        before a retrain finishes (see :attr:`ClassSession.wait`). Does nothing here."""

    def _next_model(self, action: str) -> int | None:
        """The model version to record with an event of ``action`` about to be journaled:
        the labels the model that makes the next suggestion is fitted on (``None``:
        this session type does not record one; see :class:`~alearn.journal.events.Event`)."""
        return None

    def _record(self, action: str, row_id: str, value: str | None, audit: bool = False,
                model: int | None = None, row: int | None = None) -> Event:
        """Journal an event (about ``row``, whose content digest it records)."""
        if model is None:
            model = self._next_model(action)
        digest = self._digest(row) if row is not None else None
        event = self.store.append(action, row_id, value, self.settings.annotator, audit, model,
                                  digest)
        self._events.append(event)
        self._next_known = False
        return event

    def _answer_current(self, value: str, model: int | None = None) -> tuple[int, Event]:
        """Journal ``value`` as the current row's answer (a ``label`` event)."""
        row = self._current_row()
        assert row is not None
        row_id = str(self.ids[row])
        event = self._record("label", row_id, value, self._current_is_audit(), model, row)
        self._active.append(event)
        self._positions[row_id] = row
        return row, event

    # -- counts --------------------------------------------------------------
    def journal(self) -> JournalState:
        """Each row's state after the events in force (:mod:`alearn.journal.state`;
        computed once per change)."""
        key = (len(self._active), self._active[-1].seq if self._active else 0)
        if self._state[0] != key:
            self._state = (key, journal_state(self._active))
        return self._state[1]

    @property
    def n_answered(self) -> int:
        """Rows answered (labeled, measured) in this store, each once however often
        it was relabeled."""
        return len(self.journal().labels)

    @property
    def n_skipped(self) -> int:
        """Rows skipped by hand (still in force)."""
        return sum(not e.value for e in self.journal().skipped.values())

    @property
    def n_failed(self) -> int:
        """Rows skipped because measuring them failed (a skip event with the error)."""
        return sum(bool(e.value) for e in self.journal().skipped.values())

    @property
    def n_unsure(self) -> int:
        """Rows marked unsure (still in force)."""
        return len(self.journal().unsure)

    def budget_reached(self) -> bool:
        """Whether this store holds as many answers as ``--budget`` asks."""
        budget = self.settings.budget
        return budget is not None and self.n_answered >= budget

    def _current_row(self) -> int | None:
        if not self._next_known:
            self._next = None if self.budget_reached() else self._suggest()
            self._next_known = True
        return self._next

    # -- acting --------------------------------------------------------------
    def _skip_current(self, value: str | None = None, action: str = "skip") -> str | None:
        """Journal a skip (or another way of setting the current row aside, such as
        ``"unsure"``); its id, or ``None`` when none is left."""
        row = self._current_row()
        if row is None:
            return None
        row_id = str(self.ids[row])
        event = self._record(action, row_id, value, self._current_is_audit(), row=row)
        self._active.append(event)
        self._positions[row_id] = row
        self._skipped(row, event)
        return row_id

    def skip(self) -> StepT:
        """Skip the current row: it is not suggested again (undo brings it back)."""
        row_id = self._skip_current()
        if row_id is None:
            return self._step("none", message="nothing left to skip")
        return self._step("skip", row_id, message=f"row {row_id}: skipped")

    def undo(self) -> StepT:
        """Cancel the latest answer or skip still in force (repeatable).

        The state is rebuilt by replaying the remaining journal, so the next
        suggestion is the one made before the cancelled action.
        """
        if not self._active:
            return self._step("none", message="nothing to undo")
        target = self._active[-1]
        self._record("undo", target.row_id, target.action)
        self._active.pop()
        self._rebuild()
        return self._undone(target)

    def close(self) -> None:
        """Close the store (every event is already saved). A store this session
        created is removed when there was nothing to label in it: no event, and
        no row left to suggest (a store kept only its settings otherwise)."""
        if self.created and not self._events and self._current_row() is None:
            self.store.discard()
        else:
            self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
