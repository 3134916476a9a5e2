"""Row identities: id cells as ids, and stable ids and hashes from row content."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from alearn.data.cellhash import SLICE, hash_text_column
from alearn.data.numbertext import number_text, whole, written_text
from alearn.errors import DataError


def id_values(cells: pd.Series) -> np.ndarray:
    """An id column's cells as row ids: stripped strings."""
    return cells.astype(str).str.strip().to_numpy(dtype=object)


def unique_ids(cells: pd.Series, where: str, flag: str) -> np.ndarray:
    """An id column's cells as row ids (stripped strings), refusing a repeated value.

    Raises
    ------
    DataError
        One line naming the file, the column (as ``flag``, e.g. ``--id``) and the value.
    """
    ids = id_values(cells)
    repeated = pd.Series(ids).duplicated()
    if repeated.any():
        raise DataError(f"{where}: {flag} column {cells.name!r} repeats the value "
                        f"{ids[int(np.flatnonzero(repeated)[0])]!r}; ids must be unique")
    return ids


_NULL_HASH = np.uint64(np.iinfo(np.uint64).max)  # pandas' hash of a missing cell

THREADED_CELLS = 1 << 20  # tables of at least this many cells are hashed on every core

# How content ids read a cell, as stores made since record it (``StoreMeta.table["ids"]``):
# a whole number reads the same in an integer column and in a float one. Older
# stores read cells as ``astype(str)`` (``17.0`` in a float column), and keep doing so.
CONTENT_IDS = "cells-v2"


def cell_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Each cell as the text a row's content id is made of: ``astype(str)``, except that
    a whole number in a float column reads as in an integer one (``17``, not ``17.0``).

    A typed reader (JSON, Excel, Parquet) turns an integer column into floats as
    soon as one cell is empty, so appending a row with a gap would otherwise
    change every row's id. CSV columns are text and read exactly as before.
    """
    if frame.shape[1] == 0:
        return frame.astype(str)
    return pd.concat([_column_text(frame[name]) for name in frame.columns], axis=1)


def _column_text(column: pd.Series) -> pd.Series:
    """One column's cells as :func:`cell_text` reads them."""
    if column.dtype == np.float64:
        return written_text(column)
    out = column.astype(str)
    if not pd.api.types.is_float_dtype(column.dtype):
        return out
    values = column.to_numpy(dtype=float, na_value=np.nan)
    ints = whole(values)
    if ints.any():
        text = out.to_numpy(dtype=object, na_value=np.nan)
        text[ints] = values[ints].astype(np.int64).astype(str)
        out = pd.Series(text, index=column.index, dtype="str", name=column.name)
    return out


def text_hashes(cells: object) -> np.ndarray:
    """The hash of each cell of a pyarrow text column, as :func:`row_hashes` hashes
    it (a missing cell: pandas' number for one)."""
    hashed, missing = hash_text_column(cells)
    hashed[missing] = _NULL_HASH
    return hashed


def _float_hashes(values: np.ndarray) -> np.ndarray:
    """The hashes of a float64 column's cells as :func:`cell_text` reads them
    (:func:`row_hashes`' numbers of that text, made by
    :func:`~alearn.data.numbertext.number_text` a slice of rows at a time: the
    text of a whole 1M-row column is never held)."""
    out = np.empty(len(values), dtype=np.uint64)
    for at in range(0, len(values), SLICE):
        out[at:at + SLICE] = text_hashes(number_text(values[at:at + SLICE]))
    return out


def _content_cells(column: pd.Series) -> pd.Series | np.ndarray:
    """A column as content ids read it: a float64 one's cells hashed already
    (:func:`_float_hashes`), any other's text (:func:`_column_text`)."""
    if column.dtype == np.float64:
        return _float_hashes(column.to_numpy())
    return _column_text(column)


def content_ids(frame: pd.DataFrame, legacy: bool = False,
                known: Mapping[object, np.ndarray] | None = None,
                written: Collection[object] = ()) -> np.ndarray:
    """Stable row ids from row content: a hash, with ``-2``, ``-3``... for repeats.

    Parameters
    ----------
    frame : DataFrame
    legacy : bool
        Read cells as stores made before :data:`CONTENT_IDS` did (``astype(str)``).
    known : mapping, optional
        Columns whose cells' hashes are known already (a big CSV file's columns of
        numbers, hashed from their text as read while it was at hand).
    written : collection, optional
        Float64 columns that stand for text cells, each its number's text
        (:attr:`alearn.data.dataset.Dataset.written`): read as that text.

    Returns
    -------
    ndarray of str
    """
    import pyarrow as pa

    known = known or {}

    def read(column: pd.Series) -> pd.Series | np.ndarray:
        if column.name in known:
            return known[column.name]
        if column.name in written:  # numbers standing for their text as written
            return _float_hashes(column.to_numpy())
        return column.astype(str) if legacy else _content_cells(column)

    hashes = row_hashes(frame, read)
    out = _hex_ids(hashes)
    # Arrow's allocator keeps what the casts and the ids' text used for later; handed
    # back here (a 1M-row pool: ~20-30 MB less at the peak while the features are built).
    pa.default_memory_pool().release_unused()
    if len(hashes) and pd.Series(hashes).duplicated().any():  # repeats are counted only if any
        repeat = pd.Series(hashes).groupby(hashes, sort=False).cumcount().to_numpy() + 1
        for i in np.flatnonzero(repeat > 1):
            out[i] = f"{out[i]}-{repeat[i]}"
    return out


HEX_SLICE = 1 << 16  # ids written at a time: the digits' copies stay small


def _hex_ids(hashes: np.ndarray) -> np.ndarray:
    """Each hash as 16 hexadecimal digits, a ``str`` per row (object array): the
    digits of a slice of rows at once, cut into strings by pyarrow (no 4-byte-a-character
    array of them on the way)."""
    import pyarrow as pa

    out = np.empty(len(hashes), dtype=object)
    for at in range(0, len(hashes), HEX_SLICE):
        part = hashes[at:at + HEX_SLICE]
        digits = pa.py_buffer(part.astype(">u8").tobytes().hex().encode("ascii"))
        fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), len(part),
                                                     [None, digits])
        out[at:at + len(part)] = fixed.cast(pa.binary()).cast(pa.string()).to_numpy(
            zero_copy_only=False)
    return out


def row_hashes(frame: pd.DataFrame,
               read: Callable[[pd.Series], pd.Series | np.ndarray] | None = None
               ) -> np.ndarray:
    """``pd.util.hash_pandas_object(frame, index=False)``, the same numbers, faster.

    pandas first builds a dictionary of each text column's distinct values
    (``categorize``), which only pays when values repeat. Here every column is
    hashed value by value (:func:`pandas.util.hash_array` without
    ``categorize``, missing cells given pandas' hash for them) and the columns
    are combined as pandas combines them; text held by pyarrow is hashed from
    its buffers (:func:`alearn.data.cellhash.hash_text_column`). With ``read``,
    only one column's text is held at a time.
    ``tests/data/test_tables.py`` checks the numbers against pandas' own.

    Parameters
    ----------
    frame : DataFrame
    read : callable, optional
        Applied to each column first (as :func:`cell_text` reads cells): the hash
        is that of the frame of its results. It may give the column's cell hashes
        themselves (an array of uint64, missing cells given pandas' number).
    """
    def hashed_column(name: object) -> np.ndarray:
        column = frame[name] if read is None else read(frame[name])
        if isinstance(column, np.ndarray):  # hashed by the reader
            return column
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            # The same numbers from the Arrow buffers, without a str per cell.
            hashed = text_hashes(column.array.__arrow_array__())
        elif isinstance(column.dtype, pd.StringDtype):
            missing = column.isna().to_numpy()
            values = column.to_numpy(dtype=object, na_value="")
            hashed = pd.util.hash_array(values, categorize=False)
            hashed[missing] = _NULL_HASH
        else:
            hashed = pd.util.hash_pandas_object(column, index=False).to_numpy()
        return hashed

    mult = np.uint64(1000003)
    out = np.full(len(frame), 0x345678, dtype=np.uint64)
    count = frame.shape[1]
    # A big table's columns are hashed on every core (pyarrow's casts and NumPy's
    # loops let go of the interpreter), and combined in order as they come; only as
    # many columns are under way as there are cores (each holds its text for a while).
    workers = (os.cpu_count() or 1) if frame.size >= THREADED_CELLS else 1
    columns = list(frame.columns)
    with ThreadPoolExecutor(workers) as pool:
        under_way = deque(pool.submit(hashed_column, name) for name in columns[:workers])
        for i in range(count):
            hashed = under_way.popleft().result()
            if i + workers < count:
                under_way.append(pool.submit(hashed_column, columns[i + workers]))
            with np.errstate(over="ignore"):
                out ^= hashed
                out *= mult
                mult += np.uint64(82520 + 2 * (count - i))
    with np.errstate(over="ignore"):
        out += np.uint64(97531)
    return out
