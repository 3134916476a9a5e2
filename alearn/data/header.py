"""A data file's column names, read from its header alone.

Light on purpose (pandas and pyarrow are imported only when a header is read):
task parsing reads it, and an error exit or ``--help`` must not load pandas.
The names are the ones the full read gives (:func:`alearn.data.names.unique_names`).
"""

from __future__ import annotations

from pathlib import Path

from alearn.data.formats import format_of
from alearn.data.names import unique_names
from alearn.errors import DataError
from alearn.files import DECODE_ERRORS


def peek_columns(path: Path | None) -> list[str] | None:
    """Column names of a task's data file, read from its header only.

    Returns ``None`` for data that is not a file (``sklearn:`` datasets) or
    cannot be read (the full read then reports the problem).
    """
    if path is None or not path.is_file():
        return None
    fmt = format_of(path)
    if fmt is None:
        return None
    try:
        cells = fmt.header(path)
    except (ValueError, UnicodeDecodeError, ImportError, KeyError, DataError, *DECODE_ERRORS):
        return None  # let the full read report the problem
    return unique_names(cells)[0]
