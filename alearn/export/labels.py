"""Reading a label store's current labels, and exporting them to a file.

The journal itself is :mod:`alearn.journal.store`; this module turns it into a table
of the labels that stand (undone ones excluded) and writes it in the format its
suffix names (:func:`alearn.data.formats.output_format`), atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alearn.data.formats import Format, Packing, output_format, write_text
from alearn.errors import ConfigError
from alearn.files import check_output_file, write_atomic
from alearn.journal.events import Event, StoreMeta
from alearn.journal.labels import current_labels
from alearn.journal.merged import Team
from alearn.journal.state import HistoryEntry, history
from alearn.journal.store import read_store

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported when labels are read: a store that cannot be read, or an option
# refused, answers at once.


HISTORY_COLUMNS = ["seq", "time", "annotator", "id", "action", "value", "replaced", "undone"]


def answer_history(store_path: str | Path) -> pd.DataFrame:
    """Every answer and note of a store, in journal order: who gave it and when, what it
    replaced, and whether it was undone (:func:`alearn.journal.state.history`)."""
    meta, events = read_store(store_path)  # a store that cannot be read: before pandas
    import pandas as pd

    rows = [(e.event.seq, e.event.time, e.event.annotator, e.event.row_id, e.event.action,
             e.event.value, e.replaced, e.undone) for e in _histories(meta, events, store_path)]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS).astype(
        {"seq": int, "undone": bool, "id": object, "value": object, "replaced": object})


def _histories(meta: StoreMeta, events: list[Event], path: str | Path) -> list[HistoryEntry]:
    """The history of a store; of a merged one, each member's (and the team's decisions)
    replayed alone, so an answer replaces only what the same person had given."""
    if not meta.team:
        return history(events)
    team = Team.of(meta, path)
    blocks: dict[str, list[Event]] = {}
    for event in events:
        member = team.member_of(event.seq)
        blocks.setdefault(member.name if member else "", []).append(event)
    return sorted((h for block in blocks.values() for h in history(block)),
                  key=lambda h: h.event.seq)


def parse_fields(values: Sequence[str] | None) -> tuple[str, ...]:
    """``--fields a,b --fields c`` -> ``("a", "b", "c")`` (repeats dropped)."""
    names = [n.strip() for v in values or () for n in str(v).split(",")]
    if values and not any(names):
        raise ConfigError("--fields names no column; expected e.g. --fields ticket,title")
    return tuple(dict.fromkeys(n for n in names if n))


def with_fields(frame: pd.DataFrame, store_path: str | Path, fields: Sequence[str],
                data: str | Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The labels with columns of the data added, matched by row id, and notes on how
    the data changed since labeling (a labeled row no longer in it gets empty fields).

    Parameters
    ----------
    frame : DataFrame
        :func:`current_labels` of the store.
    store_path : str or Path
    fields : sequence of str
        Columns of the data, added after the label columns, as read from the file.
    data : str or Path, optional
        The data file, when it is no longer where it was labeled.

    Raises
    ------
    ConfigError
        A field is not a column of the data, or has the name of a label column.
    StoreError
        The data is gone, another file, or holds none of the labeled rows.
    """
    import pandas as pd

    from alearn.data.dataset import cells_as_read
    from alearn.export.storelabels import store_data

    meta, events = read_store(store_path)
    clash = [f for f in fields if f in frame.columns]
    if clash:
        raise ConfigError(f"--fields {clash[0]!r} has the name of a column the export already "
                          f"has ({', '.join(map(str, frame.columns))}); leave it out")
    got = store_data(Path(store_path), meta, events, data)
    loaded = got.data
    columns = [str(c) for c in loaded.table.columns]
    missing = [f for f in fields if f not in columns]
    if missing:
        shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
        raise ConfigError(f"--fields {missing[0]!r} is not a column of {loaded.source} "
                          f"(columns: {shown})")
    found = pd.Index(loaded.ids).get_indexer(frame["id"].astype(str))
    # A row no longer in the data gets empty fields (the notes name it).
    added = cells_as_read(loaded, list(fields)).reset_index(drop=True).reindex(found) \
        .reset_index(drop=True)
    return pd.concat([frame.reset_index(drop=True), added], axis=1), got.notes


def _screening_store(store_path: str | Path) -> bool:
    """Whether a store is a screening session's: only those group duplicate records (and
    only they load the data for a plain export)."""
    meta, _ = read_store(store_path)
    return (meta.settings.get("task") or {}).get("kind") == "screen"


def _export_records(store_path: str | Path, labels: pd.DataFrame, form: Format, out: str |
                    Path | None, compression: Packing | None, data: str | Path | None
                    ) -> tuple[pd.DataFrame, str | None, list[str]]:
    """Every record of the store's data with its decision, in a reference format."""
    from alearn.export.labelsrecords import record_decisions, same_format_source

    assert form.records is not None
    got = record_decisions(store_path, labels, data)
    text = form.records(got.frame, same_format_source(got, form.name))
    if out is None:
        return got.frame, text, got.notes
    write_atomic(Path(out), lambda tmp: write_text(tmp, text, compression))
    return got.frame, None, got.notes


def export_labels(store_path: str | Path, fmt: str | None = None,
                  out: str | Path | None = None, fields: Sequence[str] = (),
                  data: str | Path | None = None, history: bool = False
                  ) -> tuple[pd.DataFrame, str | None, list[str]]:
    """Write a store's current labels (or, with ``history``, every answer) to a file,
    or render them as text.

    The labels live in the store: only ``fields`` needs the data file.

    Parameters
    ----------
    store_path : str or Path
    fmt : str, optional
        A format of :data:`alearn.data.formats.FORMATS` that is written (``csv``,
        ``tsv``, ``jsonl``, ``json``, ``parquet``, ``xlsx``; or a reference format,
        ``ris``, ``nbib``, ``bib``: every record of the data with its decision,
        :mod:`alearn.export.labelsrecords`). Default: from ``out``'s suffix
        (``labels.csv.gz`` is compressed CSV), else ``csv``. A screening store's
        table lists each duplicate of a labeled record too.
    out : str or Path, optional
        File to write; without it the labels are returned as text (a text
        format: Parquet and Excel need a file).
    fields : sequence of str
        Columns of the data to add after the label columns (:func:`with_fields`).
    data : str or Path, optional
        With ``fields``: the data file, when it is no longer where it was labeled.

    Returns
    -------
    (DataFrame, str or None, list of str)
        The labels, their text when ``out`` is not given, and notes on how the
        data changed since labeling (with ``fields``).

    Raises
    ------
    ConfigError
        Unknown format or ``out`` suffix, a binary format without ``out``, or a
        field that is not a column.
    StoreError
        The store cannot be read (or, with ``fields``, its data is gone, another
        file, or holds none of the labeled rows).
    """
    form, compression = output_format(None if out is None else Path(out), fmt)
    if form.text is None and out is None:
        raise ConfigError(f"--format {form.name} needs --out FILE ({form.name} is binary)")
    if form.records is not None and (history or fields):
        raise ConfigError(f"--format {form.name} writes every record of the data with its "
                          f"decision; {'--history' if history else '--fields'} needs a table "
                          "format (csv, tsv, jsonl, json, parquet, xlsx)")
    if out is not None:
        check_output_file(out, "--out")
    frame = answer_history(store_path) if history else current_labels(store_path)
    notes: list[str] = []
    if form.records is not None:
        return _export_records(store_path, frame, form, out, compression, data)
    if not history and _screening_store(store_path):
        from alearn.export.labelsrecords import with_duplicates

        frame, notes = with_duplicates(frame, store_path, data)
    if fields:
        frame, more = with_fields(frame, store_path, fields, data)
        notes += more
    if out is None:
        assert form.text is not None
        return frame, form.text(frame), notes
    write = form.write
    assert write is not None
    write_atomic(Path(out), lambda tmp: write(frame, tmp, compression))
    return frame, None, notes
