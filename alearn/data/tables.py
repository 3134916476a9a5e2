"""Reading tables: CSV/TSV, Parquet and JSONL files, and scikit-learn's bundled datasets.

Every read error becomes one :class:`DataError` naming the file; nothing here
knows about column roles (that is :mod:`alearn.data.dataset`).
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np
import pandas as pd

from alearn.errors import ConfigError, DataError
from alearn.progress import Phase, Report, silent

SKLEARN_DATASETS = ("iris", "wine", "breast_cancer", "digits")
MISSING_MARKERS = ["?"]
# pandas' default missing-value strings (``keep_default_na``) and ours: the fast
# reader must find exactly the cells pandas' reader finds.
PANDAS_NA = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
             "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")
# Files at least this big are read with pyarrow's reader when it reads them as
# pandas' would (:func:`_plain_csv`); smaller ones are not worth the check.
FAST_CSV_BYTES = 1 << 20
BLOCK_BYTES = 1 << 24  # pyarrow reads this much per step (one progress report each)


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


def _plain_csv(path: Path, sep: str) -> bool:
    """Whether pyarrow's reader reads ``path`` exactly as pandas' does here.

    They differ on quotes (an unclosed one, text after a closing one), on
    spaces pandas skips (``skipinitialspace``: after a separator or at the
    start of a line) and on lines pandas drops as blank (only whitespace, or a
    lone carriage return). A file with none of those reads the same, cell for
    cell (``tests/data/test_tables.py`` compares the two readers).
    """
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as raw:
        body = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
        if raw[body:body + 1] in (b" ", b"\t") or raw.find(b'"') >= 0:
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


def _read_csv_fast(path: Path, sep: str, progress: Report) -> pd.DataFrame | None:
    """A plain CSV file (:func:`_plain_csv`) read by pyarrow, block by block, as the
    same text columns pandas' reader gives; ``None`` when pyarrow cannot read it
    (pandas' reader then reads it, or says what is wrong)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    size = path.stat().st_size
    if size < FAST_CSV_BYTES or not _plain_csv(path, sep):
        return None
    try:
        header = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16),
                                parse_options=pacsv.ParseOptions(delimiter=sep)).schema.names
        if len(set(header)) != len(header) or "" in header:
            return None  # pandas renames repeats (the header check names them) and blanks
        reader = pacsv.open_csv(
            path, read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=sep),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.large_string() for name in header},
                null_values=[*PANDAS_NA, *MISSING_MARKERS], strings_can_be_null=True))
        batches = []
        for batch in reader:
            batches.append(batch)
            # Rows read so far, as bytes of the file (a block is about BLOCK_BYTES).
            progress(Phase(f"reading {path.name}", min(len(batches) * BLOCK_BYTES, size),
                           size, "bytes"))
        table = pa.Table.from_batches(batches, schema=reader.schema)
    except (pa.ArrowException, OSError):
        return None
    return pd.DataFrame({name: pd.array(table.column(name), dtype="str")
                         for name in header})


def read_table(path: str | Path, progress: Report = silent) -> pd.DataFrame:
    """Read a CSV/TSV, Parquet or JSONL file into a DataFrame.

    CSV cells are read as text (so declared types are checked, not guessed by
    pandas), ``?`` and empty cells are missing, and column names are stripped.
    A big plain CSV file is read by pyarrow's faster reader, to the same cells.

    Parameters
    ----------
    path : str or Path
    progress : Report, optional
        Told how many bytes are read (big CSV files).

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
    progress(Phase(f"reading {path.name}", 0, path.stat().st_size, "bytes"))
    fast = _read_csv_fast(path, "\t" if suffix == ".tsv" else ",", progress) \
        if suffix in (".csv", ".tsv") else None
    try:
        if fast is not None:
            frame = fast
        elif suffix in (".csv", ".tsv"):
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
