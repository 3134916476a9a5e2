"""Row identities: id cells as ids, and stable ids and hashes from row content."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alearn.data.cellhash import hash_text_column
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
    out = frame.astype(str)
    for name in frame.columns:
        column = frame[name]
        if not pd.api.types.is_float_dtype(column.dtype):
            continue
        values = column.to_numpy(dtype=float, na_value=np.nan)
        whole = np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 2.0**53)
        if whole.any():
            text = out[name].to_numpy(dtype=object, na_value=np.nan)
            text[whole] = values[whole].astype(np.int64).astype(str)
            out[name] = pd.Series(text, index=frame.index, dtype="str")
    return out


def content_ids(frame: pd.DataFrame, legacy: bool = False) -> np.ndarray:
    """Stable row ids from row content: a hash, with ``-2``, ``-3``... for repeats.

    Parameters
    ----------
    frame : DataFrame
    legacy : bool
        Read cells as stores made before :data:`CONTENT_IDS` did (``astype(str)``).

    Returns
    -------
    ndarray of str
    """
    hashes = row_hashes(frame.astype(str) if legacy else cell_text(frame))
    # Hexadecimal, 16 digits, all rows at once.
    out = np.frombuffer(hashes.astype(">u8").tobytes().hex().encode("ascii"),
                        dtype="S16").astype(str).astype(object)
    repeat = pd.Series(hashes).groupby(hashes, sort=False).cumcount().to_numpy() + 1
    for i in np.flatnonzero(repeat > 1):
        out[i] = f"{out[i]}-{repeat[i]}"
    return out


_NULL_HASH = np.uint64(np.iinfo(np.uint64).max)


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """``pd.util.hash_pandas_object(frame, index=False)``, the same numbers, faster.

    pandas first builds a dictionary of each text column's distinct values
    (``categorize``), which only pays when values repeat. Here every column is
    hashed value by value (:func:`pandas.util.hash_array` without
    ``categorize``, missing cells given pandas' hash for them) and the columns
    are combined as pandas combines them; text held by pyarrow is hashed from
    its buffers (:func:`alearn.data.cellhash.hash_text_column`).
    ``tests/data/test_tables.py`` checks the numbers against pandas' own.
    """
    mult = np.uint64(1000003)
    out = np.full(len(frame), 0x345678, dtype=np.uint64)
    count = frame.shape[1]
    for i, name in enumerate(frame.columns):
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            # The same numbers from the Arrow buffers, without a str per cell.
            hashed, missing = hash_text_column(column.array.__arrow_array__())
            hashed[missing] = _NULL_HASH
        elif isinstance(column.dtype, pd.StringDtype):
            missing = column.isna().to_numpy()
            values = column.to_numpy(dtype=object, na_value="")
            hashed = pd.util.hash_array(values, categorize=False)
            hashed[missing] = _NULL_HASH
        else:
            hashed = pd.util.hash_pandas_object(column, index=False).to_numpy()
        with np.errstate(over="ignore"):
            out ^= hashed
            out *= mult
            mult += np.uint64(82520 + 2 * (count - i))
    with np.errstate(over="ignore"):
        out += np.uint64(97531)
    return out
