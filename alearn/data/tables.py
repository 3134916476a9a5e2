"""Reading tables: every format :mod:`alearn.data.formats` lists, and scikit-learn's
bundled datasets.

Every read error becomes one :class:`DataError` naming the file; nothing here
knows about column roles (that is :mod:`alearn.data.dataset`). Repeated column
names are made unique (:mod:`alearn.data.names`) and decimal commas of a
``;``-separated file read as numbers, each said in a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alearn.data.delimited import SEPARATOR_NAMES
from alearn.data.formats import format_of, split_suffix, unknown_type_error
from alearn.data.names import renamed_note, unique_names
from alearn.data.numbertext import with_written_text
from alearn.errors import ConfigError, DataError
from alearn.files import DECODE_ERRORS, open_decoded
from alearn.progress import Phase, Report, silent

SKLEARN_DATASETS = ("iris", "wine", "breast_cancer", "digits")
# A number written with a decimal comma (and maybe '.' between thousands), as
# spreadsheets in many locales save it: only read so in a ';'-separated file.
DECIMAL_COMMA = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?:[eE][+-]?\d+)?"


@dataclass
class Table:
    """A file read: its cells, notes on what reading it changed or chose, the columns
    its format reads as text by default (:attr:`alearn.data.formats.RawTable.text`),
    and the columns of text held as numbers (only when asked: ``numbers=True``) ->
    their cells' content hashes (:attr:`alearn.data.formats.RawTable.written`)."""

    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    text: tuple[str, ...] = ()
    written: dict[str, np.ndarray] = field(default_factory=dict)


def _undecodable_line(path: Path) -> tuple[int, int]:
    """The first line (1-based) that is not UTF-8, and the byte within it."""
    with open_decoded(path) as fh:
        for number, line in enumerate(fh, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, exc.start + 1
    return 0, 0


def decimal_commas(frame: pd.DataFrame) -> list[str]:
    """Read the decimal commas of text columns as points, in place; the columns changed.

    A column changes only when every cell it has is a number written that way and
    one at least has a comma (``1.234,5`` -> ``1234.5``).
    """
    changed = []
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object and not isinstance(column.dtype, pd.StringDtype):
            continue
        cells = column.dropna().astype(str).str.strip()
        if cells.empty or not cells.str.contains(",", regex=False).any() \
                or not cells.str.fullmatch(DECIMAL_COMMA).all():
            continue
        frame.loc[cells.index, name] = (cells.str.replace(".", "", regex=False)
                                        .str.replace(",", ".", regex=False))
        changed.append(str(name))
    return changed


def _read_error(path: Path, exc: Exception) -> DataError:
    fmt = format_of(path)
    _, compression = split_suffix(path)
    what = fmt.name if fmt is not None else "data"
    what = f"{compression}-compressed {what}" if compression else what
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DataError(f"{path}: cannot read as {what} ({first})")


def read_data(path: str | Path, progress: Report = silent, numbers: bool = False) -> Table:
    """Read a data file (any format :data:`alearn.data.formats.FORMATS` lists).

    Delimited text is read as text cells (so declared types are checked, not
    guessed by pandas) with its separator found from its first lines; ``?`` and
    empty cells are missing; column names are stripped, and repeated ones made
    unique. A big plain CSV file is read by pyarrow's faster reader, to the same
    cells.

    Parameters
    ----------
    path : str or Path
    progress : Report, optional
        Told how many bytes are read (big CSV files).
    numbers : bool
        Keep a big CSV file's columns of numbers written as their own text as
        float64 (:attr:`Table.written`; a third of the memory); otherwise every
        cell of a delimited file is text.

    Returns
    -------
    Table
        The cells, and notes (repeated names renamed, the separator found,
        decimal commas, the sheet read).

    Raises
    ------
    DataError
        The file is missing, of an unknown type, unreadable, not UTF-8,
        malformed or empty.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such data file")
    fmt = format_of(path)
    if fmt is None:
        raise unknown_type_error(path)
    progress(Phase(f"reading {path.name}", 0, path.stat().st_size, "bytes"))
    try:
        raw = fmt.read(path, progress)
    except DataError:
        raise
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; expected a header row and data rows") from None
    except UnicodeDecodeError:
        try:
            line, byte = _undecodable_line(path)
        except DECODE_ERRORS as exc:
            raise _read_error(path, exc) from None
        at = f"line {line}, byte {byte}" if line else "somewhere"
        raise DataError(f"{path}: not UTF-8 text ({at}); re-save it as UTF-8") from None
    except (ValueError, ImportError, KeyError, *DECODE_ERRORS) as exc:
        raise _read_error(path, exc) from None
    frame = raw.frame
    names, renamed = unique_names(list(frame.columns))
    frame.columns = names
    written = {names[k]: hashes for k, hashes in raw.written.items()}
    if not numbers:
        frame, written = with_written_text(frame, written), {}
    notes = [*raw.notes, *filter(None, [renamed_note(renamed)])]
    if raw.separator is not None and raw.separator != fmt.separator:
        changed = decimal_commas(frame) if raw.separator == ";" else []
        commas = (f"; decimal commas read as points in {', '.join(map(repr, changed))}"
                  if changed else "")
        notes.append(f"columns separated by {SEPARATOR_NAMES[raw.separator]}{commas}")
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise DataError(f"{path}: the file has no data rows; expected a header row and data rows")
    return Table(frame, notes, raw.text, written)


def read_table(path: str | Path, progress: Report = silent) -> pd.DataFrame:
    """The cells of :func:`read_data` (its notes dropped).

    Returns
    -------
    DataFrame
    """
    return read_data(path, progress).frame


def load_sklearn(name: str) -> pd.DataFrame:
    from sklearn import datasets

    if name not in SKLEARN_DATASETS:
        raise ConfigError(f"data = 'sklearn:{name}' is not known; expected one of "
                          + ", ".join(f"sklearn:{n}" for n in SKLEARN_DATASETS))
    bunch = getattr(datasets, f"load_{name}")(as_frame=True)
    frame = bunch.frame.copy()
    names = np.asarray(bunch.target_names).astype(str)
    frame["target"] = names[bunch.target.to_numpy()]
    return frame
