"""The data file formats alearn reads and writes, by suffix: the one place they are listed.

``read_table``, the header peek, task discovery ("is this a data file"),
``alearn label FILE`` and the writers of ``predict --out`` and ``labels --out``
all look a path up here (:func:`format_of`, :func:`output_format`). A text
format may be compressed: ``data.csv.gz``, ``x.tsv.bz2``, ``y.jsonl.xz`` or a zip
holding one file; the suffix before the compression suffix decides the format.

Light on import: pandas, pyarrow (alearn/data/parquet.py), openpyxl
(alearn/data/excel.py) and the reference parsers (alearn/data/references/) are
imported when a file is read or written, so an error exit never loads them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from alearn.data.delimited import header_cells, read_delimited
from alearn.data.excel import peek_excel, read_excel, write_excel
from alearn.data.parquet import parquet_header, read_parquet, write_parquet
from alearn.data.references import TEXT_COLUMNS, Reference, columns_of, references_frame
from alearn.data.references.bibtex import bibtex_text
from alearn.data.references.bibtex import read_references as read_bibtex
from alearn.data.references.medline import medline_text
from alearn.data.references.medline import read_references as read_medline
from alearn.data.references.ris import read_references as read_ris
from alearn.data.references.ris import ris_text
from alearn.errors import ConfigError, DataError
from alearn.files import COMPRESSIONS, compression_of, open_decoded
from alearn.progress import Report
from alearn.registry import Registry

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass
class RawTable:
    """A file's cells as read: the columns carry the header as written (repeats and
    blanks included); ``separator`` is the one a delimited file was found to use;
    ``text`` the columns the format says hold a record's words (a reference file's
    title and abstract), read as text when a task declares none; ``written`` the
    columns (by position) a delimited file's reader holds as numbers written as
    their own text (:mod:`alearn.data.numbertext`), with their cells' content hashes."""

    frame: pd.DataFrame
    separator: str | None = None
    notes: list[str] = field(default_factory=list)
    text: tuple[str, ...] = ()
    written: dict[int, np.ndarray] = field(default_factory=dict)


Writer = Callable[["pd.DataFrame", Path, "Packing | None"], None]
# A reference format's text of a table, each row a record with its decision; given the
# file the rows were read from, its records are written with every field they had.
RecordsText = Callable[["pd.DataFrame", "Path | None"], str]


@dataclass(frozen=True)
class Packing:
    """How a text output is compressed, byte for byte the same on every run: no
    time in a gzip header, a fixed date on a zip entry, and the entry named as
    the output without ``.zip`` (never the temporary file's name).

    Attributes
    ----------
    method : str
        ``gzip``, ``bz2``, ``zip`` or ``xz``.
    inner : str
        The zip entry's name (``labels.csv`` for ``labels.csv.zip``).
    """

    method: str
    inner: str

    def pack(self, data: bytes) -> bytes:
        """``data`` compressed."""
        if self.method == "gzip":
            import gzip

            return gzip.compress(data, mtime=0)
        if self.method == "bz2":
            import bz2

            return bz2.compress(data)
        if self.method == "xz":
            import lzma

            return lzma.compress(data)
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            entry = zipfile.ZipInfo(self.inner, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
        return buffer.getvalue()


def write_text(path: Path, text: str, packing: Packing | None) -> None:
    """Write ``text`` as UTF-8 to ``path``, compressed as ``packing`` says."""
    data = text.encode("utf-8")
    path.write_bytes(packing.pack(data) if packing is not None else data)


@dataclass(frozen=True)
class Format:
    """One file format: its suffixes, how it is read, its header peeked, and written.

    Attributes
    ----------
    name : str
        ``--format`` value and the word in messages (``cannot read as csv``).
    help : str
    suffixes : tuple of str
        Lower-case, with the dot; the first is the one written.
    read : callable
        ``(path, progress) -> RawTable``.
    header : callable
        ``path -> header cells as written``, reading as little as it can.
    write : callable or None
        ``(frame, path, compression) -> None``; ``None`` for a format only read.
    text : callable or None
        ``frame -> str``, for a text format printed to standard output.
    compressible : bool
        Read and written through ``.gz``/``.bz2``/``.zip``/``.xz`` too.
    separator : str or None
        A delimited format's own separator (written; found otherwise when read).
    records : callable or None
        A reference format (:mod:`alearn.data.references`): ``(frame, source) -> str``,
        one record a row with its decision; ``labels --out`` writes every record of
        the data with it.
    """

    name: str
    help: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, Report], RawTable]
    header: Callable[[Path], list[object]]
    write: Writer | None = None
    text: Callable[[pd.DataFrame], str] | None = None
    compressible: bool = True
    separator: str | None = None
    records: RecordsText | None = None


# -- delimited text ------------------------------------------------------------------
def _delimited(default: str) -> tuple[Callable[[Path, Report], RawTable],
                                       Callable[[Path], list[object]], Writer,
                                       Callable[[pd.DataFrame], str]]:
    def read(path: Path, progress: Report) -> RawTable:
        frame, sep, written = read_delimited(path, default, progress)
        return RawTable(frame, sep, written=written)

    def header(path: Path) -> list[object]:
        return list(header_cells(path, default))

    def text(frame: pd.DataFrame) -> str:
        return frame.to_csv(sep=default, index=False, lineterminator="\n")

    def write(frame: pd.DataFrame, path: Path, packing: Packing | None) -> None:
        write_text(path, text(frame), packing)

    return read, header, write, text


# -- JSON ------------------------------------------------------------------------------
def _is_array(path: Path) -> bool:
    """Whether a JSON file is one array (``[{...}, ...]``) rather than one object a line."""
    with open_decoded(path) as fh:
        start = fh.read(4096).decode("utf-8-sig", errors="replace").lstrip()
    return start.startswith("[")


def _read_json(path: Path, progress: Report) -> RawTable:
    import pandas as pd

    lines = not _is_array(path)
    frame = pd.read_json(path, lines=lines, orient=None if lines else "records", dtype=False,
                         compression=compression_of(path))
    return RawTable(frame)


JSON_PEEK_BYTES = 1 << 20  # the objects in this much of a JSON file name its columns


def _json_objects(text: str) -> list[object]:
    """The whole objects at the start of JSON text: an array's items, or one a line
    (an object cut off by the end of ``text`` is left out)."""
    decoder = json.JSONDecoder()
    found: list[object] = []
    if text.startswith("["):
        at = len(text) - len(text[1:].lstrip())
        while at < len(text):
            try:
                item, at = decoder.raw_decode(text, at)
            except ValueError:
                break
            found.append(item)
            at = len(text) - len(text[at:].lstrip().lstrip(",").lstrip())
        return found
    lines = text.splitlines()
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            found.append(json.loads(line))
        except ValueError:
            if k == 0:
                raise  # the first line is not JSON: let the full read say so
            break  # the sample's cut-off last line
    return found


def _json_header(path: Path) -> list[object]:
    """The keys of the objects at the file's start, in order of first appearance (as
    pandas makes columns of them: a key missing from the first object is one too)."""
    with open_decoded(path) as fh:
        text = fh.read(JSON_PEEK_BYTES).decode("utf-8-sig", errors="strict").lstrip()
    keys: dict[object, None] = {}
    for item in _json_objects(text):
        if isinstance(item, dict):
            keys.update(dict.fromkeys(item))
    return list(keys)


def _write_jsonl(frame: pd.DataFrame, path: Path, packing: Packing | None) -> None:
    write_text(path, frame.to_json(orient="records", lines=True, force_ascii=False),
                packing)


def _write_json(frame: pd.DataFrame, path: Path, packing: Packing | None) -> None:
    write_text(path, frame.to_json(orient="records", force_ascii=False, indent=1), packing)


# -- Parquet (alearn/data/parquet.py) -------------------------------------------------------
def _read_parquet(path: Path, progress: Report) -> RawTable:
    return RawTable(read_parquet(path, progress))


def _write_parquet(frame: pd.DataFrame, path: Path, packing: Packing | None) -> None:
    write_parquet(frame, path)


# -- Excel (alearn/data/excel.py) ---------------------------------------------------------
def _read_excel(path: Path, progress: Report) -> RawTable:
    frame, notes = read_excel(path)
    return RawTable(frame, notes=notes)


def _write_excel(frame: pd.DataFrame, path: Path, packing: Packing | None) -> None:
    write_excel(frame, path)


# -- reference files (RIS, MEDLINE, BibTeX) -----------------------------------------------
def _references(parse: Callable[[Path], list[Reference]], records: RecordsText
                ) -> dict[str, object]:
    def read(path: Path, progress: Report) -> RawTable:
        return RawTable(references_frame(parse(path), path), text=TEXT_COLUMNS)

    def header(path: Path) -> list[object]:
        return list(columns_of(parse(path)))  # a full parse: "decision" only when held

    def write(frame: pd.DataFrame, path: Path, packing: Packing | None) -> None:
        write_text(path, records(frame, None), packing)

    return {"read": read, "header": header, "write": write, "records": records,
            "text": lambda frame: records(frame, None)}


_csv_read, _csv_header, _csv_write, _csv_text = _delimited(",")
_tsv_read, _tsv_header, _tsv_write, _tsv_text = _delimited("\t")

FORMATS: Registry[Format] = Registry("file type", [
    Format("csv", "comma-separated text (the separator is found: tabs, semicolons, bars)",
           (".csv",), _csv_read, _csv_header, _csv_write, _csv_text, separator=","),
    Format("tsv", "tab-separated text (the separator is found, as for csv)", (".tsv", ".tab"),
           _tsv_read, _tsv_header, _tsv_write, _tsv_text, separator="\t"),
    Format("parquet", "Apache Parquet", (".parquet", ".pq"), _read_parquet, parquet_header,
           _write_parquet, compressible=False),
    Format("jsonl", "JSON lines, one object a line (a JSON array is read too)",
           (".jsonl", ".ndjson"), _read_json, _json_header, _write_jsonl,
           lambda frame: frame.to_json(orient="records", lines=True, force_ascii=False)),
    Format("json", "a JSON array of objects (JSON lines are read too)", (".json",),
           _read_json, _json_header, _write_json,
           lambda frame: frame.to_json(orient="records", force_ascii=False, indent=1)),
    Format("xlsx", "Excel workbook: its first sheet (openpyxl)", (".xlsx",),
           _read_excel, peek_excel, _write_excel, compressible=False),
    Format("xlsm", "Excel workbook with macros, read only: its first sheet (openpyxl)",
           (".xlsm",), _read_excel, peek_excel, compressible=False),
    Format("xls", "old Excel workbook, read only: its first sheet (xlrd)", (".xls",),
           _read_excel, peek_excel, compressible=False),
    Format("ris", "RIS references (Scopus, Web of Science, PubMed, Zotero, EndNote; rispy): "
           "a record a row", (".ris",), **_references(read_ris, ris_text)),
    Format("nbib", "MEDLINE references (PubMed's citation-manager export): a record a row",
           (".nbib", ".medline"), **_references(read_medline, medline_text)),
    Format("bib", "BibTeX references (bibtexparser): an entry a row", (".bib",),
           **_references(read_bibtex, bibtex_text)),
])
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS.values() for suffix in fmt.suffixes}


def split_suffix(path: Path) -> tuple[str, str | None]:
    """A path's format suffix (lower-case) and compression: ``data.CSV.gz`` -> ``(".csv",
    "gzip")``."""
    compression = compression_of(path)
    return (path.with_suffix("") if compression else path).suffix.lower(), compression


def format_of(path: Path) -> Format | None:
    """The format a path's suffix names (``None``: not a data file alearn reads)."""
    suffix, compression = split_suffix(path)
    fmt = _BY_SUFFIX.get(suffix)
    return None if fmt is None or (compression and not fmt.compressible) else fmt


def is_data_file(path: Path) -> bool:
    """Whether ``path`` is a file whose suffix names a format alearn reads."""
    return path.is_file() and format_of(path) is not None


def data_name(path: Path) -> str:
    """A data file's name without its format and compression suffixes (``data.csv.gz``
    -> ``data``): the task name of a bare file."""
    suffix, compression = split_suffix(path)
    stem = path.with_suffix("") if compression else path
    return stem.name[:len(stem.name) - len(suffix)] if suffix else stem.name


def _accepted(formats: list[Format]) -> str:
    suffixes = [s for fmt in formats for s in fmt.suffixes]
    return (f"{', '.join(suffixes[:-1])} or {suffixes[-1]} (text ones also compressed: "
            f"{', '.join(COMPRESSIONS)})")


def _shown_suffix(path: Path) -> str:
    suffix, compression = split_suffix(path)
    if compression:
        return suffix + path.suffix.lower()
    return suffix or "(none)"


def unknown_type_error(path: Path) -> DataError:
    """The one line for a data file whose suffix names no format alearn reads."""
    return DataError(f"{path}: unknown file type {_shown_suffix(path)!r}; expected "
                     f"{_accepted(list(FORMATS.values()))}")


def output_format(out: Path | None, name: str | None = None,
                  option: str = "--out") -> tuple[Format, Packing | None]:
    """The format and compression a table is written in: ``name`` (``--format``) if
    given, else ``out``'s suffix, else CSV (compressed as its suffix says).

    Raises
    ------
    ConfigError
        An unknown ``--format``, a format that is only read, or a suffix that names no
        format alearn writes (when ``name`` is not given).
    """
    writable = [fmt for fmt in FORMATS.values() if fmt.write is not None]
    compression = None if out is None else split_suffix(out)[1]
    if name is not None:
        fmt = FORMATS.get(name, key="--format")
        if fmt.write is None:
            raise ConfigError(f"--format {name!r} is only read; expected one of "
                              f"{', '.join(f.name for f in writable)}")
    elif out is None:
        return FORMATS["csv"], None
    else:
        found = format_of(out)
        if found is None or found.write is None:
            raise ConfigError(f"{out}: {option} has an unknown file type "
                              f"{_shown_suffix(out)!r}; expected {_accepted(writable)}")
        fmt = found
    if compression and not fmt.compressible:
        raise ConfigError(f"{out}: {option}: {fmt.name} cannot be written compressed; "
                          f"drop the {out.suffix} suffix")
    if not compression or out is None:
        return fmt, None
    return fmt, Packing(compression, out.with_suffix("").name)
