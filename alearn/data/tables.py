"""Reading tables: CSV/TSV, Parquet and JSONL files, and scikit-learn's bundled datasets.

Every read error becomes one :class:`DataError` naming the file; nothing here
knows about column roles (that is :mod:`alearn.data.dataset`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from alearn.errors import ConfigError, DataError

SKLEARN_DATASETS = ("iris", "wine", "breast_cancer", "digits")
MISSING_MARKERS = ["?"]


def _check_unique(path: Path, names: list[str]) -> None:
    """Refuse a header that names a column twice.

    Renaming (``a``, ``a.1``) would make a feature of a column the user may not
    know is there, and ``task.toml`` could not say which of the two it means.
    """
    positions: dict[str, list[int]] = {}
    for k, name in enumerate(names, 1):
        positions.setdefault(name, []).append(k)
    for name, where in positions.items():
        if len(where) > 1:
            raise DataError(f"{path}: column name {name!r} appears {len(where)} times "
                            f"(columns {', '.join(map(str, where))}); column names must be "
                            "unique: rename or remove the extra ones")


def _raw_header(path: Path, sep: str) -> list[str]:
    """The CSV header as written (pandas renames repeated names to ``a.1``)."""
    first = pd.read_csv(path, sep=sep, header=None, nrows=1, dtype=str, encoding="utf-8",
                        skipinitialspace=True, keep_default_na=False)
    return [str(c).strip() for c in first.iloc[0]] if len(first) else []


def _undecodable_line(path: Path) -> tuple[int, int]:
    """The first line (1-based) that is not UTF-8, and the byte within it."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, exc.start + 1
    return 0, 0


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV/TSV, Parquet or JSONL file into a DataFrame.

    CSV cells are read as text (so declared types are checked, not guessed by
    pandas), ``?`` and empty cells are missing, and column names are stripped.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        The file is missing, unreadable, not UTF-8, malformed or empty.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such data file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            frame = pd.read_csv(
                path,
                sep="\t" if suffix == ".tsv" else ",",
                dtype=str,
                na_values=MISSING_MARKERS,
                skipinitialspace=True,
                encoding="utf-8",
                encoding_errors="strict",
            )
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        elif suffix in (".jsonl", ".ndjson", ".json"):
            frame = pd.read_json(path, lines=True, dtype=False)
        else:
            raise DataError(f"{path}: unknown file type {suffix!r}; expected .csv, .tsv, "
                            ".parquet or .jsonl")
    except DataError:
        raise
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; expected a header row and data rows") from None
    except UnicodeDecodeError:
        line, byte = _undecodable_line(path)
        at = f"line {line}, byte {byte}" if line else "somewhere"
        raise DataError(f"{path}: not UTF-8 text ({at}); re-save it as UTF-8") from None
    except (ValueError, OSError, ImportError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot read as {suffix[1:]} ({first})") from None
    names = [str(c).strip() for c in frame.columns]
    if suffix in (".csv", ".tsv"):
        _check_unique(path, _raw_header(path, "\t" if suffix == ".tsv" else ","))
    _check_unique(path, names)
    frame.columns = names
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise DataError(f"{path}: the file has no data rows; expected a header row and data rows")
    return frame


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


def peek_columns(path: Path | None) -> list[str] | None:
    """Column names of a task's data file, read from its header only.

    Returns ``None`` for data that is not a file (``sklearn:`` datasets) or
    cannot be read (the full read then reports the problem).
    """
    if path is None or not path.is_file():
        return None
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            names = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", nrows=0,
                                encoding="utf-8").columns
        elif suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
        else:
            with path.open(encoding="utf-8") as fh:
                first = fh.readline()
            names = list(json.loads(first)) if first.strip() else []
    except (ValueError, OSError, UnicodeDecodeError, ImportError):
        return None  # let the full read report the problem
    return [str(n).strip() for n in names]
