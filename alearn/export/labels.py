"""Reading a label store's current labels, and exporting them to a file.

The journal itself is :mod:`alearn.journal.store`; this module turns it into a table
of the labels that stand (undone ones excluded) and writes it in the format its
suffix names (:func:`alearn.data.formats.output_format`), atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alearn.data.formats import output_format
from alearn.errors import ConfigError, StoreError
from alearn.files import check_output_file, write_atomic
from alearn.journal.labels import current_labels
from alearn.journal.store import read_store
from alearn.journal.storedata import check_same_data, locate_data

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported when labels are read: a store that cannot be read, or an option
# refused, answers at once.


def _check_data(store_path: str | Path) -> None:
    """Refuse a store whose data file is still there but changed, as ``alearn label`` does:
    its row ids may no longer name the rows that were labeled. Data that is gone is no
    obstacle (the labels live in the store)."""
    meta, _ = read_store(store_path)
    try:
        found = locate_data(store_path, meta.source)
    except StoreError:
        return
    if found is not None:
        check_same_data(store_path, meta.source, meta.fingerprint, found)


def parse_fields(values: Sequence[str] | None) -> tuple[str, ...]:
    """``--fields a,b --fields c`` -> ``("a", "b", "c")`` (repeats dropped)."""
    names = [n.strip() for v in values or () for n in str(v).split(",")]
    if values and not any(names):
        raise ConfigError("--fields names no column; expected e.g. --fields ticket,title")
    return tuple(dict.fromkeys(n for n in names if n))


def with_fields(frame: pd.DataFrame, store_path: str | Path, fields: Sequence[str],
                data: str | Path | None = None) -> pd.DataFrame:
    """The labels with columns of the data added, matched by row id.

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
        The data is gone or changed, or a labeled row is not in it.
    """
    import pandas as pd

    from alearn.export.storelabels import store_data

    meta, _ = read_store(store_path)
    clash = [f for f in fields if f in frame.columns]
    if clash:
        raise ConfigError(f"--fields {clash[0]!r} has the name of a column the export already "
                          f"has ({', '.join(map(str, frame.columns))}); leave it out")
    loaded, _, _ = store_data(Path(store_path), meta, data)
    columns = [str(c) for c in loaded.table.columns]
    missing = [f for f in fields if f not in columns]
    if missing:
        shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
        raise ConfigError(f"--fields {missing[0]!r} is not a column of {loaded.source} "
                          f"(columns: {shown})")
    found = pd.Index(loaded.ids).get_indexer(frame["id"].astype(str))
    if (found < 0).any():
        first = frame["id"].iloc[int((found < 0).argmax())]
        raise StoreError(f"{store_path}: {int((found < 0).sum())} labeled rows are not in "
                         f"{loaded.source} (first: {first!r})")
    added = loaded.table[list(fields)].iloc[found].reset_index(drop=True)
    return pd.concat([frame.reset_index(drop=True), added], axis=1)


def export_labels(store_path: str | Path, fmt: str | None = None,
                  out: str | Path | None = None, fields: Sequence[str] = (),
                  data: str | Path | None = None) -> tuple[pd.DataFrame, str | None]:
    """Write a store's current labels to a file, or render them as text.

    Parameters
    ----------
    store_path : str or Path
    fmt : str, optional
        A format of :data:`alearn.data.formats.FORMATS` that is written (``csv``,
        ``tsv``, ``jsonl``, ``json``, ``parquet``, ``xlsx``). Default: from ``out``'s
        suffix (``labels.csv.gz`` is compressed CSV), else ``csv``.
    out : str or Path, optional
        File to write; without it the labels are returned as text (a text
        format: Parquet and Excel need a file).
    fields : sequence of str
        Columns of the data to add after the label columns (:func:`with_fields`).
    data : str or Path, optional
        With ``fields``: the data file, when it is no longer where it was labeled.

    Returns
    -------
    (DataFrame, str or None)
        The labels, and their text when ``out`` is not given.

    Raises
    ------
    ConfigError
        Unknown format or ``out`` suffix, a binary format without ``out``, or a
        field that is not a column.
    StoreError
        The store cannot be read, or its data file changed since labeling (or,
        with ``fields``, is gone).
    """
    form, compression = output_format(None if out is None else Path(out), fmt)
    if form.text is None and out is None:
        raise ConfigError(f"--format {form.name} needs --out FILE ({form.name} is binary)")
    if out is not None:
        check_output_file(out, "--out")
    _check_data(store_path)
    frame = current_labels(store_path)
    if fields:
        frame = with_fields(frame, store_path, fields, data)
    if out is None:
        assert form.text is not None
        return frame, form.text(frame)
    write = form.write
    assert write is not None
    write_atomic(Path(out), lambda tmp: write(frame, tmp, compression))
    return frame, None
