"""MEDLINE files (PubMed's "Send to: Citation manager", ``.nbib``), read and written here.

A record is a block of lines ``TAG - value`` (the tag padded to four characters),
a long value going on in lines indented by six spaces; a blank line ends the
record. The format is small and fixed, and neither PyPI parser fits: nbib (last
release 2021) drops the tags it does not know and cannot write, and Biopython's
``Bio.Medline`` (3 MB of a biology toolkit) cannot write either and reads a
broken line without a word. Here every tag is kept in order, so a record written
back is the record read, with the decision added.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

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

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")
CONTINUED = " " * 6

Record = list[tuple[str, str]]  # (tag, value) in file order


def parse(path: Path, text: str) -> list[tuple[int, Record]]:
    """The records of MEDLINE text, each with the line it starts on.

    Raises
    ------
    DataError
        A line that is neither ``TAG - value``, an indented continuation, nor blank
        (naming it and its record), or no record at all.
    """
    records: list[tuple[int, Record]] = []
    current: Record = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            current = []
            continue
        if line.startswith(CONTINUED) and current:
            tag, value = current[-1]
            current[-1] = (tag, f"{value} {line.strip()}")
            continue
        found = TAG_LINE.match(line) if line[4:6] == "- " or line[4:5] == "-" else None
        if found is None:
            where = (f"record {len(records)} (from line {records[-1][0]})" if current
                     else "a record")
            raise DataError(f"{path}: line {number}: {line[:30].strip()!r} in {where} is "
                            "neither 'TAG - value' (the tag padded to 4 characters) nor a "
                            "continuation indented by 6 spaces")
        if not current:
            records.append((number, current))
        current.append((found.group(1), found.group(2).strip()))
    if not records:
        raise DataError(f"{path}: no MEDLINE record (no line such as 'PMID- 12345')")
    return records


def _values(record: Record, *tags: str) -> list[str]:
    return [value for tag, value in record if tag in tags and value]


def _doi(record: Record) -> str | None:
    marked = [v[:-len("[doi]")].strip() for v in _values(record, "LID", "AID")
              if v.endswith("[doi]")]
    return clean_doi(*marked)


def reference(record: Record, line: int) -> Reference:
    """One record mapped to the table's columns (``FAU`` before ``AU``, ``JT`` before
    ``TA``, keywords from ``OT`` and MeSH ``MH``, the DOI from ``LID``/``AID``)."""
    return Reference(
        line=line, own_id=first(*_values(record, "PMID")),
        title=first(" ".join(_values(record, "TI")), " ".join(_values(record, "BTI"))),
        abstract=first(" ".join(_values(record, "AB"))),
        keywords=own_keywords(_values(record, "OT", "MH")),
        year=year_of(*_values(record, "DP", "DEP")),
        authors=_values(record, "FAU") or _values(record, "AU"),
        journal=first(*_values(record, "JT"), *_values(record, "TA")),
        doi=_doi(record), decision=decision_in(_values(record, "GN")))


def read_references(path: Path) -> list[Reference]:
    """The records of a MEDLINE file, mapped (:func:`reference`)."""
    return [reference(record, line) for line, record in parse(path, read_text(path))]


def _with_decision(record: Record, written: Written) -> Record:
    notes = decision_notes(_values(record, "GN"), written)
    terms = decision_keywords(_values(record, "OT"), written)
    out = [(t, v) for t, v in record if t not in ("GN", "OT")]
    return [*out, *(("OT", v) for v in terms), *(("GN", v) for v in notes)]


def _from_cells(cells: dict[str, str], written: Written) -> Record:
    record: Record = [("PMID", cells.get("id", ""))]
    record += [("TI", cells["title"])] if "title" in cells else []
    record += [("AB", cells["abstract"])] if "abstract" in cells else []
    record += [("FAU", a) for a in split_list(cells.get("authors"))]
    record += [("DP", cells["year"])] if "year" in cells else []
    record += [("JT", cells["journal"])] if "journal" in cells else []
    record += [("LID", f"{cells['doi']} [doi]")] if "doi" in cells else []
    record += [("OT", k) for k in decision_keywords(split_list(cells.get("keywords")),
                                                     written)]
    others = [f"{k.split(':', 1)[1]}: {v}" for k, v in cells.items() if k.startswith("other:")]
    return record + [("GN", n) for n in decision_notes(others, written)]


def _text(records: list[Record]) -> str:
    blocks = ["\n".join(f"{tag:<4}- {value}" for tag, value in record) for record in records]
    return "\n\n".join(blocks) + "\n"


def medline_text(frame: pd.DataFrame, source: Path | None = None) -> str:
    """MEDLINE text of a table: each row a record with its decision (``GN  - alearn:
    included`` and ``OT  - alearn:included``); from ``source``, every tag it had."""
    written = written_of(frame)
    if source is not None:
        records = [r for _, r in parse(source, read_text(source))]
        if len(records) != len(written):
            raise DataError(f"{source}: holds {len(records)} records, not the "
                            f"{len(written)} the labels were made for")
        return _text([_with_decision(r, w) for r, w in zip(records, written, strict=True)])
    cells = row_cells(frame)
    return _text([_from_cells(cells(k), w) for k, w in enumerate(written)])
