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


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


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
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); re-save it as UTF-8") from None
    except (ValueError, OSError, ImportError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot read as {suffix[1:]} ({first})") from None
    frame.columns = _dedupe([str(c).strip() for c in frame.columns])
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
