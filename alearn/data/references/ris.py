"""RIS files (Scopus, Web of Science, PubMed, IEEE Xplore, Zotero, EndNote) through rispy.

rispy reads the records and writes them back with every tag they had. It skips
what it cannot place without a word (a record missing its ``ER`` line is merged
into the next or lost at the end of the file), so :func:`check_records` first
walks the lines and names the first broken record.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from alearn.data.references import (
    Reference,
    Written,
    clean_doi,
    decision_in,
    decision_keywords,
    decision_notes,
    first,
    own_keywords,
    read_text,
    row_cells,
    split_list,
    written_of,
    year_of,
)
from alearn.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

START, END = "TY", "ER"


def _tag(line: str) -> str | None:
    """A line's tag as rispy reads one (``"AU  - Smith"`` -> ``"AU"``), else ``None``."""
    if line[2:5] == "  -" and line[:2].isupper() and line[:1].isalpha():
        return line[:2]
    return None


def check_records(path: Path, text: str) -> None:
    """Refuse a file whose records rispy would merge, drop or misread.

    Each record runs from a ``TY  - `` line to an ``ER  - `` line; blank lines and
    other untagged lines between records (a numbering such as ``1.``) are skipped.

    Raises
    ------
    DataError
        Naming the line and the record: a record without its ``ER`` line (another
        ``TY`` or the end of the file comes first), a tag outside a record, or no
        record at all.
    """
    opened: tuple[int, int] | None = None  # (record number, its first line)
    records = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        tag = _tag(line)
        if opened is None:
            if tag == START:
                records += 1
                opened = (records, number)
            elif tag is not None or line.startswith(START):
                raise DataError(f"{path}: line {number}: {line[:20].strip()!r} is outside a "
                                f"record (after record {records}'s 'ER  - ' line, no "
                                "'TY  - ' line starts one); each record runs from 'TY  - ' "
                                "to 'ER  - '")
        elif tag == START:
            raise DataError(f"{path}: line {number}: record {opened[0]} (from line "
                            f"{opened[1]}) has no 'ER  - ' line before the next 'TY  - '; "
                            "each record runs from 'TY  - ' to 'ER  - '")
        elif tag == END:
            opened = None
    if opened is not None:
        raise DataError(f"{path}: record {opened[0]} (from line {opened[1]}) has no "
                        "'ER  - ' line: the file ends inside it (cut short?)")
    if records == 0:
        raise DataError(f"{path}: no RIS record (no line starts with 'TY  - ')")


def _parse(path: Path) -> list[dict[str, Any]]:
    import rispy

    text = read_text(path).replace("\r\n", "\n")
    check_records(path, text)
    return rispy.loads(text, enforce_list_tags=False)


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def reference(entry: dict[str, Any], line: int) -> Reference:
    """One rispy record mapped to the table's columns."""
    get = entry.get
    authors = [*_listed(get("authors")), *_listed(get("first_authors"))]
    return Reference(
        line=line, own_id=first(get("id"), get("accession_number")),
        title=first(get("title"), get("primary_title")),
        abstract=first(get("abstract"), get("notes_abstract")),
        keywords=own_keywords(_listed(get("keywords"))),
        year=year_of(first(get("year")), first(get("publication_year")), first(get("date"))),
        authors=[a.strip() for a in authors if a.strip()],
        journal=first(get("secondary_title"), get("journal_name"), get("alternate_title3"),
                      get("alternate_title1"), get("alternate_title2")),
        doi=clean_doi(get("doi"), *_listed(get("urls"))),
        decision=decision_in(_listed(get("notes"))))


def _starts(path: Path) -> list[int]:
    lines = read_text(path).replace("\r\n", "\n").split("\n")
    return [k for k, line in enumerate(lines, 1) if _tag(line) == START]


def read_references(path: Path) -> list[Reference]:
    """The records of a RIS file, mapped (:func:`reference`).

    Raises
    ------
    DataError
        A broken record (:func:`check_records`).
    """
    entries = _parse(path)
    return [reference(e, line) for e, line in zip(entries, _starts(path), strict=True)]


def _with_decision(entry: dict[str, Any], written: Written) -> dict[str, Any]:
    out = {k: v for k, v in entry.items() if k != "unknown_tag"}
    unknown = {t: v for t, v in (entry.get("unknown_tag") or {}).items() if t}
    if unknown:
        out["unknown_tag"] = unknown
    notes = decision_notes(_listed(entry.get("notes")), written)
    keywords = decision_keywords(_listed(entry.get("keywords")), written)
    if notes:
        out["notes"] = notes
    if keywords:
        out["keywords"] = keywords
    return out


def _from_cells(cells: dict[str, str], written: Written) -> dict[str, Any]:
    entry: dict[str, Any] = {"type_of_reference": "JOUR"}
    for role, key in (("id", "id"), ("title", "title"), ("abstract", "abstract"),
                      ("year", "year"), ("journal", "secondary_title"), ("doi", "doi")):
        if role in cells:
            entry[key] = cells[role]
    if "authors" in cells:
        entry["authors"] = split_list(cells["authors"])
    others = [f"{k.split(':', 1)[1]}: {v}" for k, v in cells.items() if k.startswith("other:")]
    keywords = decision_keywords(split_list(cells.get("keywords")), written)
    notes = decision_notes(others, written)
    if keywords:
        entry["keywords"] = keywords
    if notes:
        entry["notes"] = notes
    return entry


def _dumps(entries: list[dict[str, Any]]) -> str:
    import warnings

    import rispy

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # no "1." line before each record: the file is plain RIS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "label not exported": rispy skips what it cannot
        return rispy.dumps(entries, implementation=Writer)


def ris_text(frame: pd.DataFrame, source: Path | None = None) -> str:
    """RIS text of a table: each row a record with its decision (``N1  - alearn:
    included`` and ``KW  - alearn:included``).

    Parameters
    ----------
    frame : DataFrame
        One row a record: columns found by :func:`~alearn.data.references.find_roles`,
        ``decision`` and the note column; any other column becomes an ``N1`` note
        ``column: value``.
    source : Path, optional
        The RIS file the rows were read from (in order): its records are written with
        every tag they had, the decision added.
    """
    written = written_of(frame)
    if source is not None:
        entries = _parse(source)
        if len(entries) != len(written):
            raise DataError(f"{source}: holds {len(entries)} records, not the "
                            f"{len(written)} the labels were made for")
        return _dumps([_with_decision(e, w) for e, w in zip(entries, written, strict=True)])
    cells = row_cells(frame)
    return _dumps([_from_cells(cells(k), w) for k, w in enumerate(written)])
