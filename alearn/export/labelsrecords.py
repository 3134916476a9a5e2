"""Every record of a store's data with its screening decision, and duplicates' labels.

What ``alearn labels STORE --out decisions.ris`` writes (every record, the decision in
a field reference managers show: :mod:`alearn.data.references`), and what the
tabular export adds for a screening store whose data has duplicate records
(:mod:`alearn.data.duplicates`): each record of a decided group, with the group's
label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alearn.counting import counted
from alearn.data.dataset import cells_as_read
from alearn.data.duplicates import Duplicates, find_duplicates
from alearn.data.formats import format_of
from alearn.data.references import DECISION_COLUMN, WRITTEN_NOTE
from alearn.errors import StoreError
from alearn.export.storelabels import LoadedStoreData, store_data
from alearn.journal.store import read_store

SCREEN = "screen"


def decision_word(label: str, positive: str | None) -> str:
    """A label as the decision written: ``included``/``excluded`` for a screening
    store (its positive class, any other), else the class itself."""
    if positive is None:
        return label
    return "included" if label == positive else "excluded"


@dataclass
class Decisions:
    """Every row of a store's data with its decision.

    Attributes
    ----------
    frame : DataFrame
        The data as read (the target column replaced by ``decision``), a note column
        (:data:`~alearn.data.references.WRITTEN_NOTE`) and, when the data has
        duplicate records, ``duplicate_of``.
    source : Path
        The data file the rows were read from, in its order.
    notes : list of str
    """

    frame: pd.DataFrame
    source: Path
    notes: list[str]


def _screening(settings: dict[str, Any]) -> tuple[bool, str | None]:
    task = settings.get("task") or {}
    screen = task.get("kind") == SCREEN
    return screen, (str(task["positive"]) if screen and task.get("positive") else None)


def _group_labels(labels: pd.DataFrame, ids: np.ndarray, found: Duplicates
                  ) -> dict[int, int]:
    """Row -> the row of ``labels`` whose label its group takes (the first given, in
    labeling order), for every row of a decided group without a label of its own."""
    position = {str(i): k for k, i in enumerate(ids)}
    own = {position[i] for i in labels["id"].astype(str) if i in position}
    taken: dict[int, int] = {}
    for k, row_id in enumerate(labels["id"].astype(str)):
        if row_id not in position or pd.isna(labels["label"].iloc[k]):
            continue
        for member in found.members(position[row_id]):
            if int(member) not in own:
                taken.setdefault(int(member), k)
    return taken


def _fill_groups(decision: list[str | None], order: list[int], found: Duplicates) -> None:
    """Give each undecided record of a group its group's decision, in place: that of the
    first decided member in ``order`` (the store's labels in labeling order, then the
    data's own in file order)."""
    for row in order:
        if decision[row] is None:
            continue
        for member in found.members(row):
            if decision[int(member)] is None:
                decision[int(member)] = decision[row]


def record_decisions(store_path: str | Path, labels: pd.DataFrame,
                     data: str | Path | None = None) -> Decisions:
    """Every record of the store's data with its decision: the store's label, else the
    label the data already held (the task's target), else its duplicate group's.

    Parameters
    ----------
    store_path : str or Path
    labels : DataFrame
        :func:`alearn.journal.labels.current_labels` of the store.
    data : str or Path, optional
        The data file, when it is no longer where it was labeled.

    Raises
    ------
    StoreError
        The data is gone, is another file, or is not a file.
    """
    meta, events = read_store(store_path)
    got: LoadedStoreData = store_data(Path(store_path), meta, events, data)
    if got.spec.data_path is None:
        raise StoreError(f"{store_path}: its data ({meta.source}) is no file of records")
    screen, positive = _screening(dict(meta.settings))
    table, ids = cells_as_read(got.data), got.data.ids
    decision: list[str | None] = [None] * len(table)
    note: list[str | None] = [None] * len(table)
    target = got.data.target
    if target is not None and got.data.labels is not None:
        for k, value in enumerate(got.data.labels):
            if isinstance(value, str):
                decision[k] = decision_word(value, positive)
    position = {str(i): k for k, i in enumerate(ids)}
    stored = [position[i] for i in labels["id"].astype(str) if i in position]
    unsure = labels["unsure"] if "unsure" in labels else pd.Series(False, index=labels.index)
    for k, row_id in enumerate(labels["id"].astype(str)):
        row = position.get(row_id)
        if row is None:
            continue
        label = labels["label"].iloc[k]
        if label is not None and not pd.isna(label):
            decision[row] = decision_word(str(label), positive)
        parts = ["unsure"] if bool(unsure.iloc[k]) else []
        if "note" in labels and isinstance(labels["note"].iloc[k], str):
            parts.append(labels["note"].iloc[k])
        note[row] = "; ".join(parts) or None
    frame = table.drop(columns=[c for c in (target, DECISION_COLUMN) if c in table.columns])
    found = find_duplicates(table) if screen else None
    notes = list(got.notes)
    if found is not None and found.count:
        _fill_groups(decision, [*stored, *range(len(ids))], found)
        shown = ids[found.group]
        frame = frame.assign(duplicate_of=[None if shown[k] == ids[k] else str(shown[k])
                                           for k in range(len(ids))])
    frame = frame.assign(**{DECISION_COLUMN: decision, WRITTEN_NOTE: note})
    return Decisions(frame.reset_index(drop=True), got.spec.data_path, notes)


def same_format_source(decisions: Decisions, out_format: str) -> Path | None:
    """The data file, when it is in the format written: its records are then written
    with every field they had."""
    fmt = format_of(decisions.source)
    return decisions.source if fmt is not None and fmt.name == out_format else None


def with_duplicates(labels: pd.DataFrame, store_path: str | Path,
                    data: str | Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """A screening store's labels with a row for each duplicate of a labeled record
    (the group's label, who gave it and when) and a ``duplicate_of`` column naming
    the labeled record it takes the label of; other stores' labels unchanged.

    A store whose data cannot be found keeps its labels as they are, and a note says
    the duplicates are not listed.
    """
    meta, events = read_store(store_path)
    screen, _ = _screening(dict(meta.settings))
    if not screen or labels.empty:
        return labels, []
    try:
        got = store_data(Path(store_path), meta, events, data)
    except StoreError as exc:
        return labels, [f"duplicates of labeled records are not listed: {exc}"]
    found = find_duplicates(got.data.table, got.data.written)
    if found is None or not found.count:
        return labels, []
    ids = got.data.ids
    taken = _group_labels(labels, ids, found)
    if not taken:
        return labels, []
    rows = sorted(taken)
    extra = labels.iloc[[taken[row] for row in rows]].copy()
    extra["duplicate_of"] = extra["id"].astype(str).to_numpy()  # whose label it takes
    extra["id"] = [str(ids[row]) for row in rows]
    if "note" in extra:
        extra["note"] = None
    out = pd.concat([labels.assign(duplicate_of=None), extra], ignore_index=True)
    note = (f"{counted(len(extra), 'duplicate record')} of labeled records listed with "
            "their group's label (duplicate_of names the record labeled)")
    return out, [note]
