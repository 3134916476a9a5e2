"""What a column's cells hold: numbers, labels, free text or identifiers.

The checks :func:`~alearn.data.dataset.load_dataset` runs on each column to
type it, and the conversions it applies, with one clear line naming the file,
column and row when a cell does not fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alearn.counting import counted
from alearn.errors import DataError

# Columns with at least this many rows and this share of distinct values are
# identifiers (names, case numbers, timestamps), not features.
ID_MIN_ROWS = 20
ID_DISTINCT_SHARE = 0.9
# A string column whose cells have at least this median number of words, and
# mostly distinct values, is free text (suggested as a text column).
TEXT_MIN_WORDS = 6
TEXT_DISTINCT_SHARE = 0.5
TEXT_SAMPLE = 1000  # cells looked at to decide whether a column is free text


def as_text(series: pd.Series) -> pd.Series:
    """Categorical values or labels as stripped strings, NaN for missing or empty."""
    if isinstance(series.dtype, pd.StringDtype):
        # CSV cells are read as strings: strip them vectorised (the common, large case).
        out = series.str.strip().astype(object)
        out[out.isna()] = np.nan
    else:
        out = series.astype(object)
        mask = out.notna()
        out[mask] = out[mask].map(str).str.strip()
    out[out == ""] = np.nan
    return out.astype(object)


def plain_numbers(series: pd.Series) -> np.ndarray | None:
    """A text column in which every cell is a plain number, as floats (NaN where
    missing), converted by pyarrow in one vectorised pass; ``None`` otherwise.

    It gives exactly what ``pd.to_numeric`` gives when every present cell
    parses to a number that is neither NaN nor a negative zero (``pd.to_numeric``
    reads ``"-0"`` as the integer 0); any other column takes the slower path,
    which also finds and names the cells that are not numbers.
    """
    if not isinstance(series.dtype, pd.StringDtype) or series.dtype.storage != "pyarrow":
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    column = series.array.__arrow_array__()
    try:
        values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    missing = series.isna().to_numpy()
    if (np.isnan(values) & ~missing).any() or ((values == 0) & np.signbit(values)).any():
        return None
    return np.where(missing, np.nan, values)  # a new, writable array


def as_number(series: pd.Series, column: str, where: str, strict: bool,
              hint: str = "fix the value or declare it in features.categorical",
              plain: np.ndarray | None = None) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    if pd.api.types.is_numeric_dtype(series):
        out = series.astype(float)
    elif plain is not None:
        out = pd.Series(plain, index=series.index, name=series.name)
    else:
        values = pd.to_numeric(series, errors="coerce")
        bad = values.isna() & series.notna()
        if bad.any() and strict:
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                f"{where}: column {column!r} is numeric but row {row + 1} holds "
                f"{series.iloc[row]!r}; {hint}"
            )
        out = values.astype(float)
    # No model takes an infinite feature: named here, not as scikit-learn's refusal.
    infinite = np.isinf(out.to_numpy())
    if infinite.any():
        row = int(np.flatnonzero(infinite)[0])
        raise DataError(f"{where}: column {column!r} holds an infinite number in row "
                        f"{row + 1} ({series.iloc[row]!r}); give a finite value, or leave "
                        "the cell empty (a missing value)")
    return out


def looks_numeric(series: pd.Series, plain: np.ndarray | None = None) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    if plain is not None:
        return bool((~np.isnan(plain)).any())
    present = series.dropna()
    return len(present) > 0 and bool(pd.to_numeric(present, errors="coerce").notna().all())


def not_numeric_note(series: pd.Series, column: str,
                     plain: np.ndarray | None = None) -> str | None:
    """The note for a column numeric by its name whose values are not all numbers."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series) \
            or plain is not None:
        return None
    present = series.dropna()
    bad = present[pd.to_numeric(present, errors="coerce").isna()]
    if bad.empty:
        return None
    return (f"column {column!r} is numeric by its upper-case name but holds "
            f"{bad.iloc[0]!r} (and {counted(len(bad) - 1, 'more non-number')}); used as "
            "categorical "
            f"(declare it in features.numeric or features.categorical to choose)")


def looks_like_text(values: pd.Series) -> bool:
    """Whether a string column holds free text (many words per cell, mostly distinct)."""
    present = values.dropna()
    if len(present) < 2:
        return False
    # An evenly spaced sample decides: splitting every cell of a large file is slow.
    present = present.iloc[:: max(1, len(present) // TEXT_SAMPLE)].astype(str)
    words = present.str.split().str.len()
    return bool(words.median() >= TEXT_MIN_WORDS
                and present.nunique() / len(present) >= TEXT_DISTINCT_SHARE)


def as_free_text(series: pd.Series, column: str, where: str) -> tuple[pd.Series, str | None]:
    """A declared text column as strings (``""`` where missing), checked.

    Returns the strings and a note when some rows have no text.

    Raises
    ------
    DataError
        The column is numbers, or has no text in any row.
    """
    text = as_text(series)
    present = text.dropna()
    if present.empty:
        raise DataError(f"{where}: text column {column!r} is empty in every row; "
                        "remove it from text = [...] or fill it in")
    if pd.to_numeric(present, errors="coerce").notna().all():
        raise DataError(f"{where}: text column {column!r} holds numbers (e.g. "
                        f"{present.iloc[0]!r}), not text; declare it in features.numeric "
                        "instead of text")
    missing = int(text.isna().sum())
    note = (f"text column {column!r} is empty in {missing} of {counted(len(text), 'row')} "
            "(read as no words)") if missing else None
    return text.fillna("").astype(object), note


def id_like(values: pd.Series, numeric: bool) -> str | None:
    present = values.dropna()
    n = len(present)
    if numeric:
        # Continuous measurements are often unique too; only a counter is an id.
        # (Counting distinct values is the slow part on a big file: done last.)
        as_int = present.to_numpy(dtype=float)
        if n == 0 or as_int.min() == as_int.max():
            return "constant"
        if n < ID_MIN_ROWS or as_int.max() - as_int.min() + 1 != n \
                or not np.all(as_int == np.round(as_int)):
            return None
        return "a row counter" if present.nunique() == n else None
    distinct = present.nunique()
    if distinct <= 1:
        return "constant"
    if n < ID_MIN_ROWS:
        return None
    if distinct / n >= ID_DISTINCT_SHARE:
        return f"id-like: {counted(distinct, 'distinct value')} in {counted(n, 'row')}"
    return None
