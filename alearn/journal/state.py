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
    was undone (undo events themselves are not listed: ``undone`` says it).

    What a row held depends only on that row's events, so each row keeps its own
    stack of events in force (an undo pops its row's): linear in the journal."""
    kept = {e.seq for e in active_events(events)}
    stacks: dict[str, list[Event]] = {}
    entries: list[HistoryEntry] = []
    for event in events:
        stack = stacks.setdefault(event.row_id, [])
        if event.action == "undo":
            if stack:
                stack.pop()
            continue
        if event.action == "note":
            held = next((e for e in reversed(stack) if e.action == "note"), None)
            replaced = held.value if held is not None and held.value else None
        else:
            replaced = _held(stack)
        entries.append(HistoryEntry(event, replaced, event.seq not in kept))
        stack.append(event)
    return entries


def _held(stack: list[Event]) -> str | None:
    """What a row's events in force leave it holding: its label, ``(skipped)``,
    ``(unsure)``, or ``None`` (in the pool)."""
    last = next((e for e in reversed(stack) if e.action != "note"), None)
    if last is None or last.action == "unlabel":
        return None
    if last.action in ("label", "decide"):
        return str(last.value)
    return "(skipped)" if last.action == "skip" else "(unsure)"
