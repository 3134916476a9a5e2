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
    digest : str or None
        A hash of the row's content when the event was recorded
        (:class:`alearn.data.datachange.RowDigests`), so a row whose content changed
        later can be named; ``None`` for an undo and in older stores.
    """

    seq: int
    action: str
    row_id: str
    value: str | None
    time: str
    annotator: str
    audit: bool = False
    model: int | None = None
    digest: str | None = None


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
    table : dict or None
        The data's shape when the fingerprint was recorded: ``rows`` (count) and
        ``columns`` (names); ``None`` in older stores.
    team : dict or None
        A store merging several annotators' stores (``alearn merge``): its members
        and the rule that gives each row its label (:mod:`alearn.journal.team`);
        ``None`` for one person's store.
    """

    fingerprint: str
    source: str
    settings: dict[str, Any]
    created: str
    table: dict[str, Any] | None = None
    team: dict[str, Any] | None = None


def active_events(events: list[Event]) -> list[Event]:
    """The labels and skips still in force: each undo cancels the latest one left
    for its row (which, as sessions record undos, is the latest one left).

    Matching the row keeps a journal's meaning when some of its rows are no longer
    in the data: a session then undoes the latest answer among the rows it shows.

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
        if event.action != "undo":
            stack.append(event)
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k].row_id == event.row_id:
                del stack[k]
                break
        else:
            if stack:  # a hand-made journal: the old rule, the latest one left
                stack.pop()
    return stack
