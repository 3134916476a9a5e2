"""Loading a task's data into a typed :class:`Dataset`.

Reads CSV/TSV, Parquet and JSONL files and scikit-learn's bundled datasets,
applies the MOOT header conventions (``!`` class column, uppercase-initial =
numeric, ``X`` suffix = ignored, ``?`` = missing) when a file uses them, lets
explicit task keys override them, and leaves out id-like columns with a notice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alearn.data.tables import load_sklearn, read_table
from alearn.data.text import has_terms, join_text, text_feature_name
from alearn.errors import DataError
from alearn.files import file_digest
from alearn.progress import Phase, Report, silent

if TYPE_CHECKING:
    from alearn.tasks import TaskSpec

# Columns with at least this many rows and this share of distinct values are
# identifiers (names, case numbers, timestamps), not features.
ID_MIN_ROWS = 20
ID_DISTINCT_SHARE = 0.9
# A string column whose cells have at least this median number of words, and
# mostly distinct values, is free text (suggested as a text column).
TEXT_MIN_WORDS = 6
TEXT_DISTINCT_SHARE = 0.5
TEXT_SAMPLE = 1000  # cells looked at to decide whether a column is free text


@dataclass
class Dataset:
    """A loaded table split into typed features, labels and row ids.

    Attributes
    ----------
    name : str
        Task name.
    table : DataFrame
        Every column as read (names stripped), for display and export.
    features : DataFrame
        Feature columns only: numeric ones as float64, categorical ones as
        object strings; missing values are NaN.
    numeric, categorical : list of str
        Feature columns by type.
    text : list of str
        Free-text columns; :attr:`features` holds them joined into one
        document column named :attr:`text_feature`.
    text_weights : dict
        Text column -> how many times its words count in the document.
    target : str or None
        Name of the label column.
    labels : ndarray of object or None
        Labels as strings, NaN where a row is unlabeled.
    ids : ndarray of str
        Row identity: the id column, or a content hash (never the position).
    dropped : dict
        Column -> why it is not a feature.
    goals : dict
        Goal column -> ``"max"`` or ``"min"`` (optimize tasks; values stay in
        :attr:`table` and are read through :func:`goal_values`).
    fingerprint : str
        SHA-256 of the data source (file bytes, or the dataset name).
    source : str
        Where the data came from.
    """

    name: str
    table: pd.DataFrame
    features: pd.DataFrame
    numeric: list[str]
    categorical: list[str]
    target: str | None
    labels: np.ndarray | None
    ids: np.ndarray
    fingerprint: str
    source: str
    dropped: dict[str, str] = field(default_factory=dict)
    goals: dict[str, str] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)
    text_weights: dict[str, int] = field(default_factory=dict)
    text_notes: list[str] = field(default_factory=list)

    @property
    def text_feature(self) -> str | None:
        """The joined document column of :attr:`features` (``None`` without text)."""
        return text_feature_name(self.text) if self.text else None

    @property
    def classes(self) -> list[str]:
        """Sorted distinct labels present in the data."""
        if self.labels is None:
            return []
        return sorted({v for v in self.labels if isinstance(v, str)})

    @property
    def labeled(self) -> np.ndarray:
        """Boolean mask of rows that carry a label."""
        if self.labels is None:
            return np.zeros(len(self.table), dtype=bool)
        return np.array([isinstance(v, str) for v in self.labels], dtype=bool)

    def labeled_part(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """What a simulation can use: the labeled-row mask, their labels, and notices
        (columns left out, unlabeled rows dropped)."""
        keep = self.labeled
        notices = self.notices()
        if (~keep).any():
            notices.append(f"{self.name}: {int((~keep).sum())} rows without a label in "
                           f"{self.target!r} are left out of the simulation")
        return keep, self.labels[keep].astype(str), notices

    def notices(self) -> list[str]:
        """Human-readable notes on columns left out of the features."""
        return [*(f"{self.name}: column {col!r} left out ({why})"
                  for col, why in self.dropped.items()),
                *(f"{self.name}: {note}" for note in self.text_notes)]


def uses_moot_header(columns: list[str]) -> bool:
    """True when column names follow the MOOT convention (a ``!``, ``+`` or ``-`` suffix)."""
    return any(c.endswith(("!", "+", "-")) for c in columns)


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


def _plain_numbers(series: pd.Series) -> np.ndarray | None:
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


def _as_number(series: pd.Series, column: str, where: str, strict: bool,
               hint: str = "fix the value or declare it in features.categorical",
               plain: np.ndarray | None = None) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    if plain is not None:
        return pd.Series(plain, index=series.index, name=series.name)
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() & series.notna()
    if bad.any() and strict:
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{where}: column {column!r} is numeric but row {row + 1} holds "
            f"{series.iloc[row]!r}; {hint}"
        )
    return values.astype(float)


def _numeric_hint(column: str, task: TaskSpec) -> str:
    """How to fix a numeric column that holds words, for the way it was made numeric."""
    if column in task.numeric:
        return ("fix the value, or take the column out of features.numeric in "
                f"{task.source or 'task.toml'}")
    # The MOOT header convention: a name starting upper-case is numeric.
    return (f"a name starting upper-case marks a numeric column, so fix the value, or rename "
            f"the column to {column[:1].lower() + column[1:]!r} in the file's header to make "
            "it categorical (or list it in features.categorical in a task.toml)")


def _looks_numeric(series: pd.Series, plain: np.ndarray | None = None) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    if plain is not None:
        return bool((~np.isnan(plain)).any())
    present = series.dropna()
    return len(present) > 0 and bool(pd.to_numeric(present, errors="coerce").notna().all())


def _not_numeric_note(series: pd.Series, column: str,
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
            f"{bad.iloc[0]!r} (and {len(bad) - 1} more non-numbers); used as categorical "
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


def _as_free_text(series: pd.Series, column: str, where: str) -> tuple[pd.Series, str | None]:
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
    note = (f"text column {column!r} is empty in {missing} of {len(text)} rows "
            "(read as no words)") if missing else None
    return text.fillna("").astype(object), note


def _id_like(values: pd.Series, numeric: bool) -> str | None:
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
        return f"id-like: {distinct} distinct values in {n} rows"
    return None


def _check_columns(where: str, key: str, names: tuple[str, ...] | list[str],
                   columns: list[str]) -> None:
    missing = [n for n in names if n not in columns]
    if missing:
        shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
        raise DataError(f"{where}: {key} names column {missing[0]!r}, which is not in the data "
                        f"(columns: {shown})")


def _find_target(task: TaskSpec, columns: list[str], where: str, required: bool) -> str | None:
    if task.target is not None:
        _check_columns(where, "target", [task.target], columns)
        return task.target
    marked = [c for c in columns if c.endswith("!")]
    if len(marked) > 1:
        raise DataError(f"{where}: several class columns end in '!' ({', '.join(marked)}); "
                        "set target = \"...\" in task.toml")
    if marked:
        return marked[0]
    if required:
        raise DataError(f"{where}: no target column; set target = \"...\" in task.toml "
                        "or name the class column with a trailing '!'")
    return None


def _find_goals(task: TaskSpec, columns: list[str], where: str, moot: bool) -> dict[str, str]:
    if task.maximize or task.minimize:
        _check_columns(where, "maximize", task.maximize, columns)
        _check_columns(where, "minimize", task.minimize, columns)
        return {**{c: "max" for c in task.maximize}, **{c: "min" for c in task.minimize}}
    if not task.measures_goals:
        return {}
    goals = {c: ("max" if c.endswith("+") else "min") for c in columns
             if moot and c.endswith(("+", "-"))}
    if not goals:
        raise DataError(f"{where}: no goal columns; name them with a trailing '+' (maximise) "
                        "or '-' (minimise), or set maximize/minimize in task.toml")
    return goals


def goal_values(data: Dataset) -> np.ndarray:
    """The goal columns as a float matrix (rows x goals), checked.

    Raises
    ------
    DataError
        A goal value is not a number, or a goal is the same on every row.
    """
    out = np.empty((len(data.table), len(data.goals)))
    for j, col in enumerate(data.goals):
        values = _as_number(data.table[col], col, data.source, strict=True,
                            hint="goal values must be numbers")
        present = values.dropna()
        if present.empty or present.min() == present.max():
            raise DataError(f"{data.source}: goal column {col!r} has the same value on every "
                            "row; a goal must vary to be optimised")
        out[:, j] = values.to_numpy()
    return out


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


def content_ids(frame: pd.DataFrame) -> np.ndarray:
    """Stable row ids from row content: a hash, with ``-2``, ``-3``... for repeats.

    Parameters
    ----------
    frame : DataFrame

    Returns
    -------
    ndarray of str
    """
    hashes = row_hashes(frame.astype(str))
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
    are combined as pandas combines them; ``tests/data/test_dataset.py`` checks
    the numbers against pandas' own.
    """
    mult = np.uint64(1000003)
    out = np.full(len(frame), 0x345678, dtype=np.uint64)
    count = frame.shape[1]
    for i, name in enumerate(frame.columns):
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype):
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


def load_dataset(task: TaskSpec, require_target: bool = True,
                 progress: Report = silent) -> Dataset:
    """Load a task's data, type its columns and pick its features.

    Parameters
    ----------
    task : TaskSpec
    require_target : bool
        Whether a missing target column is an error (simulations need one;
        labeling unlabeled data does not).
    progress : Report, optional
        Told each phase (reading, typing the columns, the row ids) as it starts.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError, ConfigError
        With the file and column named.
    """
    path = task.data_path
    if path is None:
        table = load_sklearn(task.data.split(":", 1)[1])
        where = task.data
        if task.target is None:
            task = task.replace(target="target")
        fingerprint = hashlib.sha256(task.data.encode()).hexdigest()
    else:
        table = read_table(path, progress)
        where = str(path)
        fingerprint = file_digest(path)
    columns = list(table.columns)
    required = require_target and not task.measures_goals
    target = _find_target(task, columns, where, required)
    for key in ("include", "exclude", "numeric", "categorical"):
        _check_columns(where, f"features.{key}", getattr(task, key), columns)
    _check_columns(where, "text", task.text, columns)
    if task.id is not None:
        _check_columns(where, "id", [task.id], columns)

    moot = uses_moot_header(columns)
    goals = _find_goals(task, columns, where, moot)
    dropped: dict[str, str] = {}
    candidates = list(task.include) if task.include else columns
    chosen: list[str] = []
    for col in candidates:
        if col in (target, task.id) or col in goals:
            continue
        if col in task.exclude:
            dropped[col] = "excluded in task.toml"
        elif moot and col not in task.include and col.endswith(("X", "+", "-", "!")):
            dropped[col] = "ignored by its name's suffix"
        else:
            chosen.append(col)

    numeric, categorical, text, typed = [], [], [], {}
    text_notes: list[str] = []
    for done, col in enumerate(chosen):
        progress(Phase("typing the columns", done, len(chosen), "columns"))
        series = table[col]
        plain = None if col in task.text or col in task.categorical else _plain_numbers(series)
        if col in task.text:
            typed[col], note = _as_free_text(series, col, where)
            text.append(col)
            text_notes.extend([note] if note else [])
            continue
        if col in task.numeric:
            is_num, strict = True, True
        elif col in task.categorical:
            is_num, strict = False, False
        elif moot:
            # The header convention is a guess, not a declaration: words in an
            # upper-case column make it categorical, said in a note.
            is_num, strict = col[:1].isupper(), False
            note = _not_numeric_note(series, col, plain) if is_num else None
            if note:
                is_num = False
                text_notes.append(note)
        else:
            is_num, strict = _looks_numeric(series, plain), False
        typed[col] = (_as_number(series, col, where, strict, _numeric_hint(col, task), plain)
                      if is_num else as_text(series))
        if not is_num and col not in task.categorical and looks_like_text(typed[col]):
            if task.text:
                dropped[col] = ("looks like free text; add it to text = [...] "
                                "in task.toml (or --text) to use it")
                continue
            typed[col] = typed[col].fillna("").astype(object)
            text.append(col)
            text_notes.append(f"column {col!r} looks like free text and is used as text; "
                              f"declare text = [...] in task.toml (or --text) to choose")
            continue
        reason = None if col in task.include else _id_like(typed[col], is_num)
        if reason:
            dropped[col] = reason
            continue
        (numeric if is_num else categorical).append(col)
    stop_words = str(getattr(task, "stop_words", "") or "english")
    for col in [c for c in text if not has_terms(typed[c], int(task.ngrams), stop_words)]:
        # TF-IDF would keep no word of it (all stop words, or in nearly every row).
        text.remove(col)
        text_notes[:] = [n for n in text_notes if f"{col!r}" not in n]
        dropped[col] = ("text with no usable words: each is a stop word, or appears in "
                        "almost every row or in only one")
    if not numeric and not categorical and not text:
        raise DataError(f"{where}: no usable feature columns left (left out: "
                        + ("; ".join(f"{c!r}, {why}" for c, why in dropped.items()) or "none")
                        + ")")
    features = pd.DataFrame({c: typed[c] for c in numeric + categorical}, index=table.index)
    weights = {c: w for c, w in task.text_weights if c in text}
    if text:
        features[text_feature_name(text)] = join_text(pd.DataFrame(typed), text, weights)

    labels = None
    if target is not None:
        labels = as_text(table[target]).to_numpy(dtype=object)
    if task.id is not None:
        ids = unique_ids(table[task.id], where, "id")
    else:
        progress(Phase("row ids (a hash of each row)", None, None, ""))
        ids = content_ids(table.drop(columns=[target] if target else []))
    return Dataset(name=task.name, table=table, features=features, numeric=numeric,
                   categorical=categorical, target=target, labels=labels, ids=ids,
                   fingerprint=fingerprint, source=where, dropped=dropped, goals=goals,
                   text=text, text_weights=weights, text_notes=text_notes)
