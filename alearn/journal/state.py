"""What a journal says about each row now: its label, skip or "unsure" mark, and note.

The journal only grows. Its events, read in order after undos are taken out
(:func:`~alearn.journal.events.active_events`), give each row a state:

* ``label`` gives the row a label; on a row that has one it is a *relabel*
  (the label changes, the row keeps its place in labeling order);
* ``unlabel`` takes a row's answer back (a label, a skip or an "unsure" mark):
  the row returns to the pool;
* ``unsure`` marks a row the person cannot decide: no label, kept out of
  training, offered again on request;
* ``skip`` sets a row aside (a failed measurement, for optimize sessions);
* ``note`` attaches free text to a row (an empty note removes it); it never
  changes the label.

An undo cancels the latest event still in force for its row, so undoing a
relabel brings the earlier label back. ``decide`` (the label in force of a
merged store, chosen by adjudication) is reserved for several annotators'
stores and read like a label here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from alearn.journal.events import Event, active_events

ROW_STATES = ("label", "skip", "unlabel", "unsure", "decide")


@dataclass(frozen=True)
class RowLabel:
    """A row's label in force.

    Attributes
    ----------
    first : Event
        The label event that gave the row its place in labeling order (its
        ``audit`` flag says how the row was chosen).
    last : Event
        The label event in force (a relabel's, or ``first``).
    """

    first: Event
    last: Event

    @property
    def value(self) -> str:
        """The label."""
        return str(self.last.value)


@dataclass
class JournalState:
    """Each row's state, from a journal's events in force.

    Attributes
    ----------
    labels : dict
        Row id -> :class:`RowLabel`, in labeling order.
    skipped, unsure, notes : dict
        Row id -> the event in force (a note's ``value`` is its text).
    """

    labels: dict[str, RowLabel] = field(default_factory=dict)
    skipped: dict[str, Event] = field(default_factory=dict)
    unsure: dict[str, Event] = field(default_factory=dict)
    notes: dict[str, Event] = field(default_factory=dict)

    def status(self, row_id: str) -> str | None:
        """``"label"``, ``"skip"``, ``"unsure"`` or ``None`` (in the pool)."""
        if row_id in self.labels:
            return "label"
        if row_id in self.skipped:
            return "skip"
        return "unsure" if row_id in self.unsure else None


def journal_state(active: Iterable[Event]) -> JournalState:
    """Each row's state after the events in force, in journal order.

    Parameters
    ----------
    active : iterable of Event
        :func:`~alearn.journal.events.active_events` of a journal.

    Returns
    -------
    JournalState
    """
    state = JournalState()
    for event in active:
        _apply(state, event)
    return state


def _apply(state: JournalState, event: Event) -> None:
    """``state`` after one more event in force (not an undo)."""
    row = event.row_id
    if event.action == "note":
        if event.value:
            state.notes[row] = event
        else:
            state.notes.pop(row, None)
        return
    if event.action in ("label", "decide"):
        state.skipped.pop(row, None)
        state.unsure.pop(row, None)
        held = state.labels.get(row)
        state.labels[row] = RowLabel(held.first if held else event, event)
        return
    state.labels.pop(row, None)
    state.skipped.pop(row, None)
    state.unsure.pop(row, None)
    if event.action == "skip":
        state.skipped[row] = event
    elif event.action == "unsure":
        state.unsure[row] = event


@dataclass(frozen=True)
class HistoryEntry:
    """One answer of a journal, as ``alearn labels --history`` lists it.

    Attributes
    ----------
    event : Event
    replaced : str or None
        What the row held before it: a label, ``"(skipped)"``, ``"(unsure)"``,
        or ``None`` (nothing: the row was in the pool).
    undone : bool
        A later undo cancelled it.
    """

    event: Event
    replaced: str | None
    undone: bool


def history(events: list[Event]) -> list[HistoryEntry]:
    """Every answer and note in journal order, with what it replaced and whether it
    was undone (undo events themselves are not listed: ``undone`` says it)."""
    kept = {e.seq for e in active_events(events)}
    entries: list[HistoryEntry] = []
    state = JournalState()
    running: list[Event] = []
    for event in events:
        if event.action == "undo":
            # Replay what is in force so far, so "replaced" reads the state at the time.
            running = [e for e in running if e.seq != _cancelled(running, event)]
            state = journal_state(running)
            continue
        before = state.status(event.row_id)
        replaced = (state.labels[event.row_id].value if before == "label" else
                    f"({'skipped' if before == 'skip' else before})" if before else None)
        if event.action == "note":
            held = state.notes.get(event.row_id)
            replaced = held.value if held is not None else None
        entries.append(HistoryEntry(event, replaced, event.seq not in kept))
        running.append(event)
        _apply(state, event)
    return entries


def _cancelled(running: list[Event], undo: Event) -> int | None:
    """The seq an undo cancels among the events in force (as :func:`active_events`)."""
    for event in reversed(running):
        if event.row_id == undo.row_id:
            return event.seq
    return running[-1].seq if running else None
