"""Row identity for labeling: checking an id column, and finding one in a plain file.

A row's identity is what a label store records and what ``alearn labels``
exports, so labels join back to the user's rows. :func:`detect_id` offers a
column that can only be an identifier; :func:`with_id` makes it the row id of
a loaded :class:`~alearn.data.dataset.Dataset` (and never a feature).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable

import numpy as np
import pandas as pd

from alearn.data.cells import ID_MIN_ROWS
from alearn.data.dataset import Dataset
from alearn.data.numbertext import whole, with_written_text, written_text
from alearn.data.rowkeys import id_values, unique_ids
from alearn.errors import DataError

# Name parts that say "identifier" (the column must still be unique and id-shaped).
ID_WORDS = frozenset({"id", "ids", "key", "uuid", "guid"})
ID_MAX_LENGTH = 64  # longer cells are text, not identifiers
DETECT_SAMPLE = 1000
QUICK_SAMPLE = 8


def check_id_column(table: pd.DataFrame, column: str, where: str, flag: str = "--id"
                    ) -> np.ndarray:
    """The row ids in ``column``, refusing a column that is missing, has an empty cell
    or repeats a value (:func:`~alearn.data.rowkeys.unique_ids`).

    Raises
    ------
    DataError
        One line naming the file, the column and the first bad row.
    """
    if column not in table.columns:
        shown = ", ".join(map(str, table.columns[:12])) + (", ..." if table.shape[1] > 12
                                                          else "")
        raise DataError(f"{where}: {flag} names column {column!r}, which is not in the data "
                        f"(columns: {shown})")
    cells = table[column]
    empty = cells.isna().to_numpy() | (cells.astype(str).str.strip() == "").to_numpy()
    if empty.any():
        raise DataError(f"{where}: {flag} column {column!r} is empty in row "
                        f"{int(np.flatnonzero(empty)[0]) + 1}; every row needs an id")
    return unique_ids(cells, where, flag)


def _named_like_id(name: str) -> bool:
    """``ticket_id``, ``TicketID``, ``row key``, ``uuid``: a name part says identifier."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return any(part in ID_WORDS for part in re.split(r"[^a-z0-9]+", spaced.lower()))


def _may_be_ids(first: list[object]) -> bool:
    """A quick look at a column's first cells (a wide file has thousands of columns):
    distinct, present, short single tokens, and no number with a fraction."""
    seen: set[str] = set()
    for cell in first:
        if cell is None or (isinstance(cell, float) and not cell.is_integer()):
            return False
        text = str(cell).strip()
        if not text or text in seen or len(text) > ID_MAX_LENGTH or any(c.isspace()
                                                                         for c in text):
            return False
        seen.add(text)
        try:
            float(text)
        except ValueError:
            continue
        if not text.lstrip("+-").isdigit():
            return False  # a fraction, or written as a float ("3.0", "1e3")
    return True


def _token_kind(cells: pd.Series) -> str | None:
    """``"integer"`` for whole numbers written as such, ``"token"`` for short strings
    without spaces, ``None`` for anything else (fractions, text, a mix of both)."""
    text = cells.astype(str).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.notna().all():
        values = numbers.to_numpy(dtype=float)
        if not np.all(np.isfinite(values)) or not np.all(values == np.round(values)) or \
                text.str.contains(r"[.eE]", regex=True).any():
            return None  # a fraction, or written as a float: a measurement
        return "integer"
    if numbers.notna().any():
        return None
    if (text == "").any() or text.str.contains(r"\s", regex=True).any() or \
            text.str.len().max() > ID_MAX_LENGTH:
        return None
    return "token"


def _id_shaped(ids: pd.Series, name: str, kind: str) -> bool:
    """Whether a column's ids (all present, all distinct, its first rows of ``kind``)
    look like identifiers.

    Whole numbers are ids when the name says so or they count rows (``1..n`` in
    any order); numbers with a fraction never are (a unique measurement is a
    feature). Strings are ids when they are short single tokens and the name
    says so or the file has enough rows for uniqueness to mean something.
    """
    named = _named_like_id(name)
    if kind == "integer":
        if _token_kind(ids) != "integer":  # a later row holds a fraction or a word
            return False
        values = pd.to_numeric(ids).to_numpy(dtype=float)
        counter = values.max() - values.min() + 1 == len(values)
        return named or (counter and len(values) >= ID_MIN_ROWS)
    # Strings: the first rows showed single short tokens (checking every row for
    # spaces would cost a large file seconds for what its start already shows).
    return ids.str.len().max() <= ID_MAX_LENGTH and (named or len(ids) >= ID_MIN_ROWS)


def detect_id(table: pd.DataFrame, exclude: Iterable[str] = (),
              written: Collection[str] = ()) -> str | None:
    """The column to use as the row id of a file that declares none, or ``None``.

    A column qualifies when every row has a value, no value repeats, and the
    values look like identifiers (:func:`_id_shaped`; the shape of strings is
    judged on the first :data:`DETECT_SAMPLE` rows). A column whose name says
    identifier is preferred; otherwise the first in file order.

    Parameters
    ----------
    table : DataFrame
        The data as read.
    exclude : iterable of str
        Columns that may not be the id (the target, gold, goal, text and hidden ones).
    written : collection of str
        Columns of numbers held without their text
        (:attr:`alearn.data.dataset.Dataset.written`): judged by that text.

    Returns
    -------
    str or None
    """
    skip = set(exclude)
    found: list[str] = []
    if len(table) < 2:
        return None
    for column in table.columns:
        if column in skip:
            continue
        cells = table[column]
        if column in written and whole(cells.to_numpy()[:QUICK_SAMPLE]).all():
            cells = written_text(cells)  # whole numbers as written: maybe a key
        # Float and boolean columns are measurements and flags, never keys.
        if pd.api.types.is_float_dtype(cells.dtype) or pd.api.types.is_bool_dtype(cells.dtype):
            continue
        # The first rows decide the shape and rule most columns out cheaply (a big
        # file has many); every row must then have a value, and no value repeat.
        if not _may_be_ids(cells.iloc[:QUICK_SAMPLE].tolist()):
            continue
        head = cells.iloc[:DETECT_SAMPLE]
        if head.isna().any() or head.duplicated().any():
            continue
        kind = _token_kind(head)
        if kind is None or cells.isna().any():
            continue
        ids = pd.Series(id_values(cells))
        if (ids == "").any() or ids.duplicated().any():
            continue
        if _id_shaped(ids, str(column), kind):
            found.append(str(column))
    named = [c for c in found if _named_like_id(c)]
    return (named or found or [None])[0]


def with_id(data: Dataset, column: str) -> Dataset:
    """``data`` with ``column`` as its row id: the ids are its values, and it is no
    longer a feature (nor listed as a column left out of the features).

    Raises
    ------
    DataError
        The column is empty in a row or repeats a value (:func:`check_id_column`).
    """
    # The id's cells as written, when its numbers were held without their text.
    table = with_written_text(data.table, {column} & set(data.written))
    ids = check_id_column(table, column, data.source, "id")
    features = data.features.drop(columns=[column]) if column in data.features.columns \
        else data.features
    return dataclasses.replace(
        data, ids=ids, features=features, table=table,
        written=tuple(c for c in data.written if c != column),
        numeric=[c for c in data.numeric if c != column],
        categorical=[c for c in data.categorical if c != column],
        dropped={c: why for c, why in data.dropped.items() if c != column})
