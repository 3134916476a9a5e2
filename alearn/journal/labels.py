"""The labels a store holds now, as a table (undone ones excluded).

Read without the store's lock: the journal is append-only, so a reader sees a
consistent prefix of it. pandas is imported when the table is built, so a
store that cannot be read is refused at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alearn.journal.events import active_events
from alearn.journal.goals import decode_goals, store_goals
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
        (the data's id column, or a content hash when it has none). For an
        optimize session's store, one float column per goal instead of ``label``.
    """
    meta, events = read_store(store_path)  # a store that cannot be read: before pandas
    import pandas as pd

    labels = [e for e in active_events(events) if e.action == "label"]
    goals = store_goals(meta)
    if goals is not None:
        frame = pd.DataFrame([(e.row_id, *decode_goals(e.value, goals), e.annotator, e.time)
                              for e in labels], columns=["id", *goals, "annotator", "time"])
        return frame.astype({"id": object, **{g: float for g in goals}})
    rows = [(e.row_id, e.value, e.annotator, e.time) for e in labels]
    return pd.DataFrame(rows, columns=LABEL_COLUMNS, dtype=object)
