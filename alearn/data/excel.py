"""Excel workbooks: the first sheet read, its header peeked, a table written the same
bytes every time (the formats :mod:`alearn.data.formats` lists as ``xlsx``, ``xlsm``,
``xls``).

Light on import: pandas, openpyxl and xlrd load when a workbook is read or written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alearn.data.delimited import MISSING_MARKERS

if TYPE_CHECKING:
    import pandas as pd


def _excel_header(book: pd.ExcelFile) -> list[object]:
    """The first sheet's header row as written (pandas renames repeats to ``a.1``)."""
    import pandas as pd

    first = pd.read_excel(book, sheet_name=0, header=None, nrows=1, dtype=object)
    return list(first.iloc[0]) if len(first) else []


def _workbook(path: Path) -> pd.ExcelFile:
    """The workbook, opened by the engine its suffix names (pandas' guess from the bytes
    words a damaged file as "format cannot be determined")."""
    import zipfile

    import pandas as pd

    try:
        return pd.ExcelFile(path, engine="xlrd" if path.suffix.lower() == ".xls"
                            else "openpyxl")
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise ValueError(f"not an Excel workbook, or a damaged one: {exc}") from None


def read_excel(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The first sheet's cells (the header as written), and a note naming the other
    sheets, if any."""
    import pandas as pd

    with _workbook(path) as book:
        header = _excel_header(book)
        frame = pd.read_excel(book, sheet_name=0, na_values=MISSING_MARKERS)
        sheets = list(book.sheet_names)
    if frame.shape[1] == len(header):
        frame.columns = header
    notes = []
    if len(sheets) > 1:
        notes.append(f"{path.name}: read its first sheet, {sheets[0]!r}, of {len(sheets)} "
                     f"({', '.join(map(repr, sheets))}); to use another, save that sheet "
                     "as its own file or move it first")
    return frame, notes


def peek_excel(path: Path) -> list[object]:
    """The first sheet's header row."""
    with _workbook(path) as book:
        return _excel_header(book)


# A workbook records when it was made, in its properties and in each zip entry;
# a fixed time keeps the same command's output the same bytes.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def write_excel(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as a workbook whose bytes depend on the cells alone."""
    import datetime
    import io
    import re
    import zipfile

    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False)
        fixed = datetime.datetime(*FIXED_TIME)
        writer.book.properties.created = fixed
    with zipfile.ZipFile(path) as made:
        entries = [(info, made.read(info)) for info in made.infolist()]
    buffer = io.BytesIO()
    stamp = f"{fixed.isoformat()}Z".encode()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as steady:
        for info, data in entries:
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            steady.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
