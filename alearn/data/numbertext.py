"""Numbers and the text they are written as.

A CSV file is text, and what alearn records about a row (its content id, the
digest of what was labeled) is made of each cell's text as written. A column of
numbers need not keep that text, though, when every cell is written as its
number's own text (:func:`number_text`: Python's shortest ``repr``, a whole
number without ``.0``, as :func:`alearn.data.rowkeys.cell_text` reads cells):
its text is then made from the numbers, exactly, whenever it is needed. A big
file's reader (:func:`alearn.data.delimited.read_fast`) keeps such columns as
float64 alone (:func:`written_numbers`), about a third of the memory of their text.

Light on import: pyarrow is imported when a column is converted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

# Between these magnitudes, a number with a fraction is written by pyarrow's cast as
# by Python's ``str`` (shortest round trip, no exponent): checked on millions of
# random values (tests/data/test_cellhash.py checks a spread of them).
PLAIN_FLOATS = (1e-4, 1e9)


def whole(values: np.ndarray) -> np.ndarray:
    """Which floats are written as whole numbers (``17``, not ``17.0``)."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 2.0**53)


def number_text(values: np.ndarray) -> pa.Array:
    """Each float's text as content ids read it (``large_string``, null where NaN),
    without a Python object per cell: pyarrow writes the numbers with a fraction in
    :data:`PLAIN_FLOATS` and the whole ones below 1e9, Python the few others
    (bigger whole numbers, exponents, inf, ``-0``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = np.asarray(values, dtype=np.float64)
    text = pc.cast(pa.array(values), pa.large_string())
    ints = whole(values)
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        # Whole numbers pyarrow writes as Python does (17, not 17.0) below 1e9, but -0.
        big_ints = ints & ((size >= PLAIN_FLOATS[1]) | ((values == 0) & np.signbit(values)))
        other = ~ints & ~np.isnan(values) & ~((size >= PLAIN_FLOATS[0])
                                               & (size < PLAIN_FLOATS[1]))
    fix = big_ints | other
    if fix.any():  # one replacement pass: each pass copies the column's text
        picked = values[fix]
        text = pc.replace_with_mask(text, pa.array(fix), pa.array(
            [_python_text(v) for v in picked.tolist()], type=pa.large_string()))
    missing = np.isnan(values)
    if missing.any():
        text = pc.if_else(pa.array(missing), pa.scalar(None, pa.large_string()), text)
    return text


def _python_text(value: float) -> str:
    """One number's text as :func:`number_text` writes it."""
    return str(int(value)) if value.is_integer() and abs(value) < 2.0**53 else str(value)


def written_numbers(cells: pa.Array) -> np.ndarray | None:
    """A text column's cells as float64 (NaN where missing) when every present cell is
    written as its number's own text (:func:`number_text`) and none is infinite;
    ``None`` otherwise (``1.50``, ``007``, ``+3``, ``-0``, ``1e3``, ``inf``, a word).

    The numbers are those :func:`alearn.data.cells.plain_numbers` gives the
    column, and :func:`number_text` gives back its cells exactly. Checked
    without a Python object per cell: a cell equal to pyarrow's text of its number,
    in :data:`PLAIN_FLOATS`, is its number's text; the few others are compared
    with Python's (a column with many, say of big whole numbers, in full).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        # A copy NumPy owns: the cast's buffer goes back to Arrow's allocator now.
        values = np.array(pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    present = ~cells.is_null().to_numpy(zero_copy_only=False)
    if not present.any() or np.isinf(values).any() or np.isnan(values[present]).any():
        return None  # an infinite number is named with its text by cells.as_number
    same = pc.equal(cells, pc.cast(pa.array(values), cells.type)).fill_null(False) \
        .to_numpy(zero_copy_only=False)
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        trusted = same & (size >= PLAIN_FLOATS[0]) & (size < PLAIN_FLOATS[1])
    doubt = np.flatnonzero(present & ~trusted)
    if len(doubt) > max(64, len(values) // 100):
        return values if pc.all(pc.equal(cells, number_text(values))).as_py() else None
    if len(doubt):
        written = cells.take(pa.array(doubt)).to_pylist()
        if any(_python_text(v) != t for v, t in zip(values[doubt].tolist(), written,
                                                    strict=True)):
            return None
    return values


def written_text(column: pd.Series) -> pd.Series:
    """A float64 column as text cells (pandas' ``str``, missing where NaN), each its
    number's :func:`number_text`: for a column :func:`written_numbers` kept, exactly
    the cells as they were read."""
    import pandas as pd

    return pd.Series(pd.array(number_text(column.to_numpy()), dtype="str"),
                     index=column.index, name=column.name)


def with_written_text(table: pd.DataFrame, columns: Iterable[object]) -> pd.DataFrame:
    """``table`` with those of ``columns`` it has (columns of numbers held without their
    text) as their text cells again (:func:`written_text`); the others as they are."""
    again = [c for c in columns if c in table.columns]
    return table.assign(**{str(c): written_text(table[c]) for c in again}) if again else table
