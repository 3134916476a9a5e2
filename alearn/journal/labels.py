"""The labels a store holds now, as a table (undone ones excluded).

Read without the store's lock: the journal is append-only, so a reader sees a
consistent prefix of it. pandas is imported when the table is built, so a
store that cannot be read is refused at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alearn.journal.events import Event, StoreMeta, active_events
from alearn.journal.goals import decode_goals, store_goals
from alearn.journal.merged import team_state
from alearn.journal.state import journal_state
from alearn.journal.store import read_store

if TYPE_CHECKING:
    import pandas as pd

LABEL_COLUMNS = ["id", "label", "annotator", "time"]


def current_labels(store_path: str | Path) -> pd.DataFrame:
    """The labels a store holds now: undone ones excluded, in labeling order.

    Parameters
    ----------
    store_path : str or Path

    Returns
    -------
    DataFrame
        Columns ``id, label, annotator, time``; ``id`` is the row identity
        (the data's id column, or a content hash when it has none); a relabeled
        row has its label in force, who gave it and when. When the store has
        them, rows marked unsure follow with no label and an ``unsure`` column
        says which, and a ``note`` column holds each row's note. For an optimize
        session's store, one float column per goal instead of ``label``. For a
        merged store (``alearn merge``), the label in force by its rule, then one
        column per annotator with their answer, ``status`` and ``note``.
    """
    meta, events = read_store(store_path)  # a store that cannot be read: before pandas
    import pandas as pd

    if meta.team:
        return _team_labels(meta, events, store_path)
    state = journal_state(active_events(events))
    goals = store_goals(meta)
    if goals is not None:
        labels = [held.last for held in state.labels.values()]
        frame = pd.DataFrame([(e.row_id, *decode_goals(e.value, goals), e.annotator, e.time)
                              for e in labels], columns=["id", *goals, "annotator", "time"])
        return frame.astype({"id": object, **{g: float for g in goals}})
    rows = [(e.row_id, e.value, e.annotator, e.time)
            for e in (held.last for held in state.labels.values())]
    frame = pd.DataFrame(rows, columns=LABEL_COLUMNS, dtype=object)
    if state.unsure:
        # Rows marked unsure: listed with no label, after the labels.
        unsure = pd.DataFrame([(e.row_id, None, e.annotator, e.time)
                               for e in state.unsure.values()], columns=LABEL_COLUMNS,
                              dtype=object)
        frame = pd.concat([frame, unsure], ignore_index=True)
        frame["unsure"] = [False] * len(state.labels) + [True] * len(state.unsure)
    if state.notes:
        # A note on a row with no answer is listed too (no label).
        listed = set(frame["id"])
        extra = [e for i, e in state.notes.items() if i not in listed]
        if extra:
            frame = pd.concat([frame, pd.DataFrame(
                [(e.row_id, None, e.annotator, e.time) for e in extra],
                columns=LABEL_COLUMNS, dtype=object)], ignore_index=True)
            if "unsure" in frame:
                frame["unsure"] = frame["unsure"].fillna(False).astype(bool)
        frame["note"] = [state.notes[i].value if i in state.notes else None
                         for i in frame["id"]]
    return frame


def _team_labels(meta: StoreMeta, events: list[Event], path: str | Path) -> pd.DataFrame:
    """A merged store's rows (:func:`alearn.journal.merged.team_state`): the label in
    force, who gave it and when, one column per member with their answer, the row's
    status, and the notes (``who: text``), in the team's order."""
    import pandas as pd

    state = team_state(meta, events, path)
    members = [m.name for m in state.team.members]
    taken = {*LABEL_COLUMNS, "status", "note"}
    columns = [f"{n} (answer)" if n in taken else n for n in members]
    rows = []
    for row in state.rows.values():
        given = row.given
        rows.append((row.row_id, row.label, given.annotator if given else None,
                     given.time if given else None, *(row.answers.get(n) for n in members),
                     row.status, "; ".join(f"{who}: {text}" for who, text in row.notes.items())
                     or None))
    return pd.DataFrame(rows, columns=[*LABEL_COLUMNS, *columns, "status", "note"],
                        dtype=object)
