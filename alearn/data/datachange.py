"""A label store's data as it is now: rows added, removed or changed since labeling.

Labels belong to row ids (the id column, or a hash of the row's content), not to
the file's bytes. When the data file changed since the store recorded it, the
labeled rows are looked up by id: new rows simply join the pool, labeled rows no
longer there keep their labels in the store (but cannot train a model), and a
labeled row whose content changed is named, so its label can be checked. Only
what makes the labels' meaning doubtful is refused: another file, or data in
which none of the labeled rows can be found.

``alearn label``, ``alearn labels --fields`` and ``alearn export`` all use
:func:`compare_data`, so the same change gets the same notes everywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from alearn.counting import counted
from alearn.data.dataset import Dataset
from alearn.data.rowkeys import CONTENT_IDS, content_ids
from alearn.errors import StoreError
from alearn.journal.events import Event, StoreMeta, active_events
from alearn.journal.storedata import other_data_error

SHOWN_IDS = 3  # ids named in a note; the rest are counted


def digest_columns(meta: StoreMeta | None, data: Dataset) -> list[str]:
    """The columns a row's digest covers: those the store recorded when it was made
    that are still there (all of them for a new store), but the target.

    The target is left out because labeling fills it in; a change anywhere else
    (a feature, a hidden column) is a change to what was labeled. A column added
    later is left out, so adding one does not make every row look changed.
    """
    now = list(data.table.columns)
    recorded = (meta.table or {}).get("columns") if meta is not None else None
    chosen = [c for c in now if str(c) in recorded] if recorded else now
    return [c for c in chosen if c != data.target]


class RowDigests:
    """A hash of a row's content over ``columns`` (:func:`digest_columns`), 16 hex
    digits: what a journal event records, and what a later comparison recomputes.

    Each column's cells are looked up once, so a session pays microseconds per
    answer, not a pandas row lookup (milliseconds on a wide or long table). A
    cell reads as :func:`~alearn.data.rowkeys.cell_text` reads it, every missing
    cell alike: a typed file whose integer column gains a gap is not a change.
    """

    def __init__(self, data: Dataset, columns: Sequence[str]) -> None:
        self._cells = [data.table[c].array for c in columns]  # no copy: a 1M-row pool

    @staticmethod
    def _text(cell: object) -> str:
        if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell is pd.NA:
            return "nan"
        if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2.0**53:
            return str(int(cell))
        return str(cell)

    def __call__(self, row: int) -> str:
        text = "\x1f".join(self._text(cells[row]) for cells in self._cells)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def table_shape(data: Dataset, meta: StoreMeta | None = None) -> dict[str, Any]:
    """What a store records about the data besides its fingerprint
    (:attr:`alearn.journal.events.StoreMeta.table`): the rows now, the columns when
    it was made (kept, so digests keep covering the same columns), and how its
    content ids read cells (a new store: :data:`CONTENT_IDS`; an older one keeps
    its way)."""
    recorded = (meta.table or {}) if meta is not None else {"ids": CONTENT_IDS}
    shape: dict[str, Any] = {
        "rows": len(data.table),
        "columns": list(recorded.get("columns") or [str(c) for c in data.table.columns])}
    if recorded.get("ids"):
        shape["ids"] = recorded["ids"]
    return shape


def with_store_ids(data: Dataset, meta: StoreMeta | None, id_column: str | None) -> Dataset:
    """``data`` with the row ids a store names its rows by: a store made before
    :data:`CONTENT_IDS` (no ``ids`` in its table record) and without an id column
    keeps reading cells its way, so its journal's ids still name its rows."""
    if meta is None or id_column is not None or (meta.table or {}).get("ids"):
        return data
    table = data.table.drop(columns=[data.target] if data.target in data.table else [])
    return dataclasses.replace(data, ids=content_ids(table, legacy=True, written=data.written),
                               legacy_ids=True)


def _ids(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


def _rows(n: int) -> str:
    return counted(n, "row")


def _columns_changed(added: Sequence[str], removed: Sequence[str]) -> str:
    """``new 'a'; gone 'b'`` (empty when nothing changed)."""
    return "; ".join(p for p in (f"new {', '.join(map(repr, added))}" if added else "",
                                 f"gone {', '.join(map(repr, removed))}" if removed else "")
                     if p)


@dataclass(frozen=True)
class DataChange:
    """How the data differs from what a store recorded.

    Attributes
    ----------
    source : str
        The data file.
    rows_now : int
    rows_before : int or None
        Rows when the store last recorded the data (``None``: an older store).
    gone : list of str
        Ids of rows answered in the store (labels and skips in force) that are
        no longer in the data.
    changed : list of str
        Ids of answered rows whose content changed since they were answered.
    added_columns, removed_columns : list of str
    """

    source: str
    rows_now: int
    rows_before: int | None
    gone: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)
    removed_columns: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """One line per kind of change, for the person using the store."""
        name = Path(self.source).name
        before = f", {self.rows_before} before" if self.rows_before is not None else ""
        notes = [f"{name} changed since this store last used it ({_rows(self.rows_now)} now"
                 f"{before}); answers stay with their row ids"]
        if self.added_columns or self.removed_columns:
            notes.append("columns changed: "
                         + _columns_changed(self.added_columns, self.removed_columns))
        if self.gone:
            notes.append(f"{_rows(len(self.gone))} answered in the store "
                         f"{'is' if len(self.gone) == 1 else 'are'} no longer in {name} "
                         f"({_ids(self.gone)}); "
                         f"{'its answer stays' if len(self.gone) == 1 else 'their answers stay'}"
                         " in the store, but no model learns from "
                         f"{'it' if len(self.gone) == 1 else 'them'}")
        if self.changed:
            notes.append(f"{_rows(len(self.changed))} changed since "
                         f"{'it was' if len(self.changed) == 1 else 'they were'} labeled "
                         f"({_ids(self.changed)}); check "
                         f"{'its label' if len(self.changed) == 1 else 'their labels'}")
        return notes


def check_same_source(store: str | Path, meta: StoreMeta, data: Dataset) -> None:
    """Refuse data from another file (another name) whose bytes differ from the
    store's: its row ids would name other rows. A file moved or renamed with
    the same bytes is the same data.

    Raises
    ------
    StoreError
    """
    if meta.fingerprint != data.fingerprint and \
            Path(meta.source).name != Path(data.source).name:
        raise other_data_error(store, meta.source, meta.fingerprint, data.source,
                               data.fingerprint)


def compare_data(store: str | Path, meta: StoreMeta, events: list[Event], data: Dataset
                 ) -> DataChange | None:
    """How ``data`` differs from the data ``meta`` records, ``None`` when it does not.

    Parameters
    ----------
    store : str or Path
        The store (named in errors).
    meta : StoreMeta
    events : list of Event
        The store's journal.
    data : Dataset
        The data as the session loads it (row ids settled).

    Returns
    -------
    DataChange or None

    Raises
    ------
    StoreError
        Another file, or none of the rows answered in the store is in ``data``.
    """
    check_same_source(store, meta, data)
    if meta.fingerprint == data.fingerprint:
        return None
    answered = [e for e in active_events(events) if e.action in ("label", "skip")]
    index = pd.Index(data.ids)
    where = index.get_indexer([e.row_id for e in answered]) if answered else []
    gone = list(dict.fromkeys(e.row_id for e, k in zip(answered, where, strict=True) if k < 0))
    before = meta.table or {}
    columns_before = [str(c) for c in before.get("columns", [])]
    columns_now = [str(c) for c in data.table.columns]
    added = [c for c in columns_now if columns_before and c not in columns_before]
    removed = [c for c in columns_before if c not in columns_now]
    if answered and len(gone) == len({e.row_id for e in answered}):
        hint = f" (its columns changed: {_columns_changed(added, removed)})" \
            if added or removed else ""
        id_column = (meta.settings.get("task") or {}).get("id")
        how = (f"no value of its id column {id_column!r} matches" if id_column else
               "rows without an id column are known by a hash of their content")
        raise StoreError(f"{store}: none of the {_rows(len(gone))} answered in this store is "
                         f"in {data.source} any more{hint}; {how}, so restore the file, or "
                         "start a new store with --store")
    present = [(e, int(k)) for e, k in zip(answered, where, strict=True)
               if k >= 0 and e.digest is not None]
    changed: list[str] = []
    if present and not removed:  # a removed column changes every digest: nothing to compare
        digest = RowDigests(data, digest_columns(meta, data))
        changed = list(dict.fromkeys(e.row_id for e, k in present if digest(k) != e.digest))
    return DataChange(source=data.source, rows_now=len(data.table),
                      rows_before=before.get("rows"), gone=gone, changed=changed,
                      added_columns=added, removed_columns=removed)
