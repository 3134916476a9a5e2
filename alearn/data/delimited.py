"""Delimited text (CSV, TSV): the separator found from the first lines, then read.

Files are saved with commas, tabs, semicolons (spreadsheets in locales whose
decimal mark is a comma) or bars whatever their suffix says, so the separator
is found, not assumed: each candidate splits the first lines, and the one that
gives every line the header's number of fields (more than one) wins; the
suffix's own separator wins a tie, and is kept for a file with ragged rows, so
pandas' reader names the ragged line. A big plain file is read by pyarrow's
reader, to the same cells as pandas' (``tests/data/test_tables.py``).

Light on import: pandas and pyarrow are imported when a file is read, since
the header peek (:mod:`alearn.data.header`) uses :func:`header_cells`.
"""

from __future__ import annotations

import codecs
import csv
import mmap
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from alearn.errors import DataError
from alearn.files import compression_of, open_decoded
from alearn.progress import Phase, Report

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SEPARATORS = (",", "\t", ";", "|")
SEPARATOR_NAMES = {",": "commas", "\t": "tabs", ";": "semicolons (';')", "|": "bars ('|')"}
SAMPLE_BYTES = 1 << 16  # the separator is found in this much of the file's start
SAMPLE_LINES = 200
MAX_HEADER_BYTES = 1 << 26  # a header line longer than this is not a header
MISSING_MARKERS = ["?"]
# pandas' default missing-value strings (``keep_default_na``) and ours: the fast
# reader must find exactly the cells pandas' reader finds.
PANDAS_NA = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
             "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")
# Files at least this big are read with pyarrow's reader when it reads them as
# pandas' would (:func:`_plain_csv`); smaller ones are not worth the check.
FAST_CSV_BYTES = 1 << 20
BLOCK_BYTES = 1 << 23  # pyarrow reads this much per step (one progress report each)


def _sample(path: Path) -> tuple[str, bool]:
    """The decoded start of the file (whole lines), and whether it is the whole file.

    Raises
    ------
    UnicodeDecodeError
        The start is not UTF-8.
    """
    size = SAMPLE_BYTES
    while True:
        with open_decoded(path) as fh:
            raw = fh.read(size + 1)
        whole = len(raw) <= size
        text = codecs.getincrementaldecoder("utf-8-sig")("strict").decode(raw[:size],
                                                                           final=whole)
        if whole:
            return text, True
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut >= 0 or size >= MAX_HEADER_BYTES:
            return text[:cut + 1], False
        size *= 4  # not one whole line yet: a very wide header


def _rows(text: str, sep: str, whole: bool = True) -> list[list[str]]:
    """The sample's rows split at ``sep`` (quotes as pandas reads them), blank ones left
    out as pandas leaves them out. When the sample is not the ``whole`` file, its
    last row may be cut short (inside a quoted cell that spans lines, the reader
    returns what it has), so it is not judged."""
    rows: list[list[str]] = []
    complete = True
    try:
        for row in csv.reader(text.splitlines(keepends=True), delimiter=sep,
                              skipinitialspace=True):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) > SAMPLE_LINES:
                break
        else:
            complete = whole
    except csv.Error:
        complete = False  # a quote left open at the sample's end
    return rows if complete or len(rows) < 3 else rows[:-1]


def sniff_separator(text: str, default: str, where: str, whole: bool = True
                    ) -> tuple[str, list[str]]:
    """The column separator of the sample ``text``, and its header cells.

    Parameters
    ----------
    text : str
        The file's first lines.
    default : str
        The separator the suffix names; it wins a tie, and stays for a file
        with one column or with ragged rows.
    where : str
        The file, for the message.
    whole : bool
        ``text`` is the whole file (else its last row may be cut short).

    Raises
    ------
    DataError
        No separator splits the lines evenly, and the suffix's own does not split
        the header at all.
    """
    split = {sep: _rows(text, sep, whole) for sep in SEPARATORS}
    scores: dict[str, tuple[float, int]] = {}
    for sep, rows in split.items():
        if rows and len(rows[0]) > 1:
            body = rows[1:]
            share = sum(len(r) == len(rows[0]) for r in body) / len(body) if body else 1.0
            scores[sep] = (share, len(rows[0]))
    even = [sep for sep, (share, _) in scores.items() if share == 1.0]
    if default in even or not scores:
        chosen = default
    elif even:
        chosen = max(even, key=lambda sep: scores[sep][1])  # ties: SEPARATORS' order
    elif default in scores:
        chosen = default  # ragged rows: pandas' reader names the first one
    else:
        tried = ", ".join(SEPARATOR_NAMES[s] for s in SEPARATORS)
        raise DataError(f"{where}: cannot tell what separates the columns: none of {tried} "
                        "splits the first lines into the header's number of fields; save "
                        "it again with one separator (a comma) and quotes around cells "
                        "that hold it")
    return chosen, (split[chosen][0] if split[chosen] else [])


def header_cells(path: Path, default: str) -> list[str]:
    """The header cells as written, split at the separator :func:`sniff_separator` finds
    (light: for the header peek)."""
    text, whole = _sample(path)
    return sniff_separator(text, default, str(path), whole)[1]


def _plain_csv(path: Path, sep: str) -> bool:
    """Whether pyarrow's reader reads ``path`` exactly as pandas' does here.

    They differ on quotes (an unclosed one, text after a closing one), on
    spaces pandas skips (``skipinitialspace``: after a separator or at the
    start of a line) and on lines pandas drops as blank (only whitespace, or a
    lone carriage return, or a blank line before the header). A file with none
    of those reads the same, cell for cell (``tests/data/test_tables.py``
    compares the two readers).
    """
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as raw:
        body = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
        if raw[body:body + 1] in (b" ", b"\t", b"\n", b"\r") or raw.find(b'"') >= 0:
            return False
        # One-byte searches are fast (memchr); the pairs are looked for only
        # when there is a space or a tab at all.
        if raw.find(b" ") >= 0 or (sep != "\t" and raw.find(b"\t") >= 0):
            spaced = (sep.encode() + b" ", b"\n ", b"\n\t", b"\r ", b"\r\t")
            if any(raw.find(mark) >= 0 for mark in spaced):
                return False
        if raw.find(b"\r") < 0:
            return True
        # Every carriage return ends a CRLF line: counted in blocks (one byte of
        # overlap, so a CRLF across two blocks counts once).
        lone = 0
        for start in range(0, len(raw), BLOCK_BYTES):
            block = raw[start:start + BLOCK_BYTES + 1]
            lone += block[:BLOCK_BYTES].count(b"\r") - block.count(b"\r\n")
        return lone == 0


def _line_blocks(path: Path) -> Iterator[tuple[int, bytes]]:
    """The rows after a plain file's header (:func:`_plain_csv`: no quotes, so every
    line ends a row), about :data:`BLOCK_BYTES` at a time, cut after a line's end;
    with the bytes read so far. One block is held at a time: pyarrow's streaming
    reader reads far ahead (about the file's size in memory for a file of numbers)."""
    with path.open("rb") as fh:
        fh.readline()
        rest = b""
        while True:
            chunk = fh.read(BLOCK_BYTES)
            block = rest + chunk
            if chunk:
                cut = block.rfind(b"\n") + 1
                block, rest = block[:cut], block[cut:]
            if block:
                yield fh.tell() - len(rest), block
            if not chunk:
                return


def _line_count(path: Path) -> int:
    """How many lines follow the header: at least the rows of a plain file (blank lines
    are counted, not read), so its columns can be filled in place."""
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        fh.readline()
        while chunk := fh.read(BLOCK_BYTES):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def read_fast(path: Path, sep: str, width: int, progress: Report
              ) -> tuple[pd.DataFrame, dict[int, np.ndarray]] | None:
    """A plain, uncompressed file (:func:`_plain_csv`) of ``width`` columns read by
    pyarrow, block by block, as the same text columns pandas' reader gives (columns
    numbered: the caller names them); ``None`` when pyarrow cannot read it (pandas'
    reader then reads it, or says what is wrong).

    A column whose every cell is a number written as its own text
    (:func:`alearn.data.numbertext.written_numbers`) is kept as float64 alone,
    each block's text let go once read: the text a 1M x 20 file's numbers would
    take (about 240 MB) is never held whole. Such columns come back with each
    cell's content hash (:func:`alearn.data.rowkeys.text_hashes` of the text as
    written, hashed while the text is at hand).

    Returns
    -------
    (DataFrame, dict) or None
        The cells, and the columns (by position) held as numbers -> their cells'
        hashes.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from alearn.data.memory import hand_back_memory
    from alearn.data.numbertext import number_text, written_numbers
    from alearn.data.rowkeys import text_hashes

    size = path.stat().st_size
    if compression_of(path) or size < FAST_CSV_BYTES or not _plain_csv(path, sep):
        return None
    # Numbered columns: the header's own names may repeat or be blank.
    names = [f"c{k}" for k in range(width)]
    # Each column as numbers and their cells' hashes (filled in place, one block after
    # another: no copies to join) while every block so far is numbers written as text;
    # its text from the first block that is not.
    rows = _line_count(path)
    numbers: list[np.ndarray | None] = [np.empty(rows) for _ in range(width)]
    hashes: list[np.ndarray | None] = [np.empty(rows, dtype=np.uint64) for _ in range(width)]
    text: list[list[pa.Array]] = [[] for _ in range(width)]
    read_options = pacsv.ReadOptions(column_names=names)
    parse_options = pacsv.ParseOptions(delimiter=sep)
    convert_options = pacsv.ConvertOptions(
        column_types={name: pa.large_string() for name in names},
        null_values=[*PANDAS_NA, *MISSING_MARKERS], strings_can_be_null=True)

    def as_numbers(cells: pa.Array) -> tuple[np.ndarray | None, np.ndarray | None]:
        values = written_numbers(cells)
        return values, (text_hashes(cells) if values is not None else None)

    at = 0
    try:
        # pyarrow's kernels and NumPy's loops let go of the interpreter: the columns
        # of a block are checked and hashed on every core.
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            for done, block in _line_blocks(path):
                table = pacsv.read_csv(pa.py_buffer(block), read_options=read_options,
                                       parse_options=parse_options,
                                       convert_options=convert_options)
                end = at + table.num_rows
                tried = [k for k in range(width) if numbers[k] is not None]
                for k, (values, hashed) in zip(tried, pool.map(
                        as_numbers, [table.column(k).combine_chunks() for k in tried]),
                        strict=True):
                    if values is not None and hashed is not None:
                        numbers[k][at:end] = values  # type: ignore[index]
                        hashes[k][at:end] = hashed  # type: ignore[index]
                    else:  # the first block that is not numbers: the column is text
                        text[k] = [number_text(numbers[k][:at])] if at else []  # type: ignore[index]
                        numbers[k] = hashes[k] = None
                for k in range(width):
                    if numbers[k] is None:
                        text[k].extend(table.column(k).chunks)
                at = end
                del table
                hand_back_memory()  # a block's text and casts: otherwise kept for later
                progress(Phase(f"reading {path.name}", done, size, "bytes"))
    except (pa.ArrowException, OSError):
        return None
    columns: dict[int, object] = {}
    written: dict[int, np.ndarray] = {}
    for k in range(width):
        kept, hashed = numbers[k], hashes[k]
        if kept is not None and hashed is not None:
            columns[k], written[k] = pd.Series(kept[:at], copy=False), hashed[:at]
        else:
            columns[k] = pd.array(pa.chunked_array(text[k], type=pa.large_string()),
                                  dtype="str")
            text[k] = []
    # One block per column, as read (a frame built from a dict copies floats into one).
    return pd.DataFrame(columns, copy=False), written


def read_delimited(path: Path, default: str, progress: Report
                   ) -> tuple[pd.DataFrame, str, dict[int, np.ndarray]]:
    """A CSV/TSV file (or its compressed copy) as text cells under its header as written.

    ``?`` and empty cells are missing. The columns carry the header cells, repeats
    and blanks included (:func:`alearn.data.names.unique_names` names them).

    Returns
    -------
    (DataFrame, str, dict)
        The cells, the separator found, and the columns held as numbers written as
        their own text (:func:`read_fast`) -> their cells' content hashes.

    Raises
    ------
    DataError
        No separator can be told (:func:`sniff_separator`).
    UnicodeDecodeError, ValueError, OSError
        For :func:`alearn.data.tables.read_table` to word.
    """
    import pandas as pd

    text, whole = _sample(path)
    sep, header = sniff_separator(text, default, str(path), whole)
    fast = read_fast(path, sep, len(header), progress) if len(header) > 1 else None
    frame, written = fast if fast is not None else (None, {})
    if frame is None:
        try:
            frame = pd.read_csv(path, sep=sep, dtype=str, na_values=MISSING_MARKERS,
                                skipinitialspace=True, encoding="utf-8",
                                encoding_errors="strict", compression=compression_of(path))
        except pd.errors.ParserError as exc:
            if sep == default:
                raise
            raise pd.errors.ParserError(f"{exc} (columns separated by "
                                        f"{SEPARATOR_NAMES[sep]})") from None
    if frame.shape[1] == len(header):
        frame.columns = header
    return frame, sep, written
