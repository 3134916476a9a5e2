"""What a label journal holds, as plain data: its events and what it records about its
session (read and written by :mod:`alearn.journal.store`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    """One journal entry.

    Attributes
    ----------
    seq : int
        Position in the journal (1, 2, ...).
    action : str
        ``"label"``, ``"skip"`` or ``"undo"`` (the store's ``kind`` column).
    row_id : str
        The row's identity (id column or content hash). For an undo, the row
        whose label or skip was cancelled.
    value : str or None
        The class for a label; for an undo, the action it cancelled.
    time : str
        UTC time, ISO 8601.
    annotator : str
    audit : bool
        A label or skip of an audit row.
    model : int or None
        Labels the model that makes the next suggestion was fitted on (class
        sessions); ``None`` in older stores: the model due after this event.
    """

    seq: int
    action: str
    row_id: str
    value: str | None
    time: str
    annotator: str
    audit: bool = False
    model: int | None = None


@dataclass(frozen=True)
class StoreMeta:
    """What a store records about the session it belongs to.

    Attributes
    ----------
    fingerprint : str
        SHA-256 of the data the store was made for.
    source : str
        The data (or task) it was made from.
    settings : dict
        Session settings that decide which rows are suggested.
    created : str
        UTC time the store was created.
    """

    fingerprint: str
    source: str
    settings: dict[str, Any]
    created: str


def active_events(events: list[Event]) -> list[Event]:
    """The labels and skips still in force: each undo cancels the latest one left.

    Parameters
    ----------
    events : list of Event
        In journal order.

    Returns
    -------
    list of Event
        Label and skip events, in journal order.
    """
    stack: list[Event] = []
    for event in events:
        if event.action == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(event)
    return stack
