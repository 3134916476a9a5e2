"""Loading a task's data into a typed :class:`Dataset`.

Reads data files (:mod:`alearn.data.formats`) and scikit-learn's bundled datasets,
applies the MOOT header conventions (``!`` class column, uppercase-initial =
numeric, ``X`` suffix = ignored, ``?`` = missing) when a file uses them, lets
explicit task keys override them, and leaves out id-like columns with a notice.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alearn.counting import counted
from alearn.data.cells import (
    as_free_text,
    as_number,
    as_text,
    id_like,
    looks_like_text,
    looks_numeric,
    not_numeric_note,
    plain_numbers,
)
from alearn.data.memory import hand_back_memory
from alearn.data.numbertext import with_written_text, written_text
from alearn.data.rowkeys import content_ids, unique_ids
from alearn.data.tables import load_sklearn, read_data
from alearn.data.text import has_terms, join_text, text_feature_name
from alearn.errors import DataError
from alearn.files import data_digest
from alearn.progress import Phase, Report, silent

if TYPE_CHECKING:
    from alearn.spec import TaskSpec

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
        SHA-256 of the data source (file content, decoded when compressed; or the
        dataset name).
    source : str
        Where the data came from.
    text_notes, read_notes : list of str
        Notes on text columns, and on reading the file (repeated names renamed,
        the separator found, decimal commas, the sheet read).
    legacy_ids : bool
        Content ids read cells as stores made before
        :data:`~alearn.data.rowkeys.CONTENT_IDS` did (a resumed older store).
    written : tuple of str
        Numeric feature columns of a text file that :attr:`table` holds as float64
        (the same array as :attr:`features`), each cell written as its number's
        own text (:mod:`alearn.data.numbertext`): read as text with
        :func:`cells_as_read`, never with ``astype(str)``.
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
    read_notes: list[str] = field(default_factory=list)
    legacy_ids: bool = False
    written: tuple[str, ...] = ()

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
            unlabeled = int((~keep).sum())
            notices.append(f"{self.name}: {counted(unlabeled, 'row')} without a label in "
                           f"{self.target!r} {'is' if unlabeled == 1 else 'are'} left out of "
                           "the simulation")
        return keep, self.labels[keep].astype(str), notices

    def notices(self) -> list[str]:
        """Human-readable notes on columns left out of the features."""
        return [*(f"{self.name}: {note}" for note in self.read_notes),
                *(f"{self.name}: column {col!r} left out ({why})"
                  for col, why in self.dropped.items()),
                *(f"{self.name}: {note}" for note in self.text_notes)]


def cells_as_read(data: Dataset, columns: list[str] | None = None) -> pd.DataFrame:
    """The table's ``columns`` (all by default) as read from the file: a column of
    numbers held without its text (:attr:`Dataset.written`) as that text again."""
    return with_written_text(data.table if columns is None else data.table[list(columns)],
                             data.written)


def uses_moot_header(columns: list[str]) -> bool:
    """True when column names follow the MOOT convention (a ``!``, ``+`` or ``-`` suffix)."""
    return any(c.endswith(("!", "+", "-")) for c in columns)


def _numeric_hint(column: str, task: TaskSpec) -> str:
    """How to fix a numeric column that holds words, for the way it was made numeric."""
    if column in task.numeric:
        return ("fix the value, or take the column out of features.numeric in "
                f"{task.source or 'task.toml'}")
    # The MOOT header convention: a name starting upper-case is numeric.
    return (f"a name starting upper-case marks a numeric column, so fix the value, or rename "
            f"the column to {column[:1].lower() + column[1:]!r} in the file's header to make "
            "it categorical (or list it in features.categorical in a task.toml)")


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
        values = as_number(data.table[col], col, data.source, strict=True,
                           hint="goal values must be numbers")
        present = values.dropna()
        if present.empty or present.min() == present.max():
            raise DataError(f"{data.source}: goal column {col!r} has the same value on every "
                            "row; a goal must vary to be optimised")
        out[:, j] = values.to_numpy()
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
            task = dataclasses.replace(task, target="target")
        fingerprint = hashlib.sha256(task.data.encode()).hexdigest()
        read_notes: list[str] = []
        written = {}
        format_text: tuple[str, ...] = ()
    else:
        read = read_data(path, progress, numbers=True)
        table, read_notes, format_text = read.frame, read.notes, read.text
        written = read.written
        del read
        where = str(path)
        fingerprint = data_digest(path)
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
    # The text columns: the task's, else the ones the file's format names (a reference
    # file's title and abstract) that hold words in some row.
    declared = tuple(task.text) or tuple(
        c for c in format_text if c in chosen and table[c].notna().any()
        and table[c].astype(str).str.strip().ne("").any())
    if declared and not task.text:
        text_notes.append(f"{' and '.join(map(repr, declared))} read as text, as a reference "
                          "file's words; declare text = [...] in task.toml (or --text) to "
                          "choose")
    for done, col in enumerate(chosen):
        progress(Phase("typing the columns", done, len(chosen), "columns"))
        series = table[col]
        plain = None
        if col in written and (col in declared or (col not in task.numeric and (
                col in task.categorical or (moot and not col[:1].isupper())))):
            series = table[col] = written_text(series)  # typed as text: its cells' text
        elif col in written:
            plain = series.to_numpy()  # what plain_numbers reads from the text
        elif col not in declared and col not in task.categorical:
            plain = plain_numbers(series)
        if col in declared:
            typed[col], note = as_free_text(series, col, where)
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
            note = not_numeric_note(series, col, plain) if is_num else None
            if note:
                is_num = False
                text_notes.append(note)
        else:
            is_num, strict = looks_numeric(series, plain), False
        typed[col] = (as_number(series, col, where, strict, _numeric_hint(col, task), plain)
                      if is_num else as_text(series))
        if not is_num and col not in task.categorical and looks_like_text(typed[col]):
            if declared:
                dropped[col] = ("looks like free text; add it to text = [...] "
                                "in task.toml (or --text) to use it")
                continue
            typed[col] = typed[col].fillna("").astype(object)
            text.append(col)
            text_notes.append(f"column {col!r} looks like free text and is used as text; "
                              f"declare text = [...] in task.toml (or --text) to choose")
            continue
        reason = None if col in task.include else id_like(typed[col], is_num)
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
    # The typed columns as they are (no copy into one block: a pool fewer in memory).
    features = pd.DataFrame({c: typed[c] for c in numeric + categorical}, index=table.index,
                            copy=False)
    weights = {c: w for c, w in task.text_weights if c in text}
    if text:
        features[text_feature_name(text)] = join_text(pd.DataFrame(typed), text, weights)

    # Only the numeric features stay numbers without their text; every other column
    # (the target, the id, goals, columns left out) is text, as it was read.
    table = with_written_text(table, [c for c in written if c not in numeric
                                      and table[c].dtype == np.float64])
    labels = None
    if target is not None:
        labels = as_text(table[target]).to_numpy(dtype=object)
    if task.id is not None:
        ids = unique_ids(table[task.id], where, "id")
    else:
        progress(Phase("row ids (a hash of each row)", None, None, ""))
        ids = content_ids(table.drop(columns=[target] if target else []), known=written)
    written_numbers = tuple(c for c in written if c in numeric)
    del written  # a big file's cell hashes, and what reading it freed, handed back
    hand_back_memory()
    return Dataset(name=task.name, table=table, features=features, numeric=numeric,
                   categorical=categorical, target=target, labels=labels, ids=ids,
                   fingerprint=fingerprint, source=where, dropped=dropped, goals=goals,
                   text=text, text_weights=weights, text_notes=text_notes,
                   read_notes=read_notes, written=written_numbers)
