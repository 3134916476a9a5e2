"""A data file's column names, read from its header alone.

Light on purpose (pandas and pyarrow are imported only when a header is read):
task parsing reads it, and an error exit or ``--help`` must not load pandas.
"""

from __future__ import annotations

import json
from pathlib import Path


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
            import pandas as pd

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
