"""Reference files of literature searches (RIS, MEDLINE/``.nbib``, BibTeX) as tables.

Each record becomes one row of the same columns whatever the format
(:data:`REFERENCE_COLUMNS`): ``id, title, abstract, keywords, year, authors,
journal, doi``, plus ``decision`` when a file holds screening decisions alearn wrote
(:data:`DECISION_COLUMN`). The parsers are :mod:`.ris` (rispy), :mod:`.bibtex`
(bibtexparser) and :mod:`.medline`; this module holds what they share: the record,
its row id, the decision written into a record, and the columns a table of another
format maps to (:func:`find_roles`).

Light on import: the parsers and pandas load when a file is read or written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from alearn.errors import DataError
from alearn.files import open_decoded

if TYPE_CHECKING:
    import pandas as pd

REFERENCE_COLUMNS = ("id", "title", "abstract", "keywords", "year", "authors", "journal",
                     "doi")
DECISION_COLUMN = "decision"
# What a screen reads as text by default: the words of a paper's title and abstract
# (ASReview, Rayyan and the stopping studies read the same two).
TEXT_COLUMNS = ("title", "abstract")
# The decision written into a record: a note "alearn: included" (RIS N1, MEDLINE GN,
# BibTeX note) and a keyword "alearn:included" (a tag in Zotero, EndNote, JabRef).
DECISION_NOTE = "alearn: "
DECISION_KEYWORD = "alearn:"
PERSON_NOTE = "alearn note: "
# How a table's columns are found for the writers and duplicate grouping: the names a
# reference file's columns have, and the ones common exports of other tools give them
# (lower-case; the first column of the table matching one wins).
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "primary_title", "document_title", "article title", "ti"),
    "abstract": ("abstract", "notes_abstract", "ab"),
    "keywords": ("keywords", "keyword", "author keywords", "kw"),
    "year": ("year", "publication_year", "publication year", "py"),
    "authors": ("authors", "author", "first_authors", "au"),
    "journal": ("journal", "source", "source title", "journal_name", "secondary_title",
                "publication title", "so"),
    "doi": ("doi", "do"),
}
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/\S+)")


@dataclass
class Reference:
    """One record of a reference file, mapped to the table's columns.

    Attributes
    ----------
    line : int
        The line the record starts on (1-based), for messages.
    own_id : str or None
        The file's own identifier (RIS ``ID``, a BibTeX key, a PMID).
    title, abstract, year, journal, doi : str or None
    keywords, authors : list of str
    decision : str or None
        A decision alearn wrote into the record (``"included"``), read back.
    """

    line: int
    own_id: str | None = None
    title: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    year: str | None = None
    authors: list[str] = field(default_factory=list)
    journal: str | None = None
    doi: str | None = None
    decision: str | None = None


def first(*values: object) -> str | None:
    """The first value that holds text (a list's items joined), stripped."""
    for value in values:
        if isinstance(value, list | tuple):
            value = " ".join(str(v) for v in value if v)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def year_of(*values: object) -> str | None:
    """The first four-digit year in the values (``"2006///"``, ``"2019 Jan 5"``)."""
    for value in values:
        found = YEAR.search(str(value)) if value else None
        if found:
            return found.group(1)
    return None


def clean_doi(*values: object) -> str | None:
    """A DOI without its resolver prefix (``https://doi.org/``, ``doi:``), or the first DOI
    inside a link."""
    for value in values:
        text = first(value)
        if text is None:
            continue
        bare = DOI_PREFIX.sub("", text).strip()
        if bare.startswith("10."):
            return bare.split()[0]
        found = DOI_IN_TEXT.search(text)
        if found:
            return found.group(1)
    return None


def own_keywords(keywords: Iterable[str]) -> list[str]:
    """Keywords without the decision keywords alearn wrote (so a decision never becomes a
    feature of the next screening)."""
    return [k for k in (str(k).strip() for k in keywords)
            if k and not k.startswith(DECISION_KEYWORD)]


def decision_in(notes: Iterable[str]) -> str | None:
    """The decision among a record's notes (the last ``alearn: X``), or ``None``."""
    found = None
    for note in notes:
        for part in str(note).split(";"):
            part = part.strip()
            if part.startswith(DECISION_NOTE):
                found = part[len(DECISION_NOTE):].strip() or None
    return found


def without_alearn(notes: Iterable[str]) -> list[str]:
    """Notes without what alearn wrote (its decision and the person's note)."""
    return [n for n in notes
            if not str(n).strip().startswith((DECISION_NOTE, PERSON_NOTE))]


def read_text(path: Path) -> str:
    """A reference file's text (decoded when compressed; a byte-order mark dropped)."""
    with open_decoded(path) as fh:
        return fh.read().decode("utf-8-sig")


def record_ids(refs: Sequence[Reference]) -> list[str]:
    """A stable, unique id for each record.

    The file's own id when it has one (spaces made ``_``), else ``doi:`` and the DOI,
    else ``ref-`` and a hash of the title, year and authors. A repeat (the same record
    exported twice) gets ``-2``, ``-3``, ... in file order, so every row has its own id.
    """
    taken: set[str] = set()
    ids = []
    for ref in refs:
        if ref.own_id:
            base = re.sub(r"\s+", "_", ref.own_id.strip())
        elif ref.doi and len(ref.doi) <= 60 and not re.search(r"\s", ref.doi):
            base = f"doi:{ref.doi}"
        else:
            made = "\x1f".join([ref.title or "", ref.year or "", *ref.authors])
            base = "ref-" + hashlib.sha256(made.encode()).hexdigest()[:10]
        name, k = base, 1
        while name in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name)
        ids.append(name)
    return ids


def columns_of(refs: Sequence[Reference]) -> list[str]:
    """The table's columns: :data:`REFERENCE_COLUMNS`, and ``decision`` when a record
    holds one (the header peek and the full read agree)."""
    decided = any(ref.decision for ref in refs)
    return [*REFERENCE_COLUMNS, *([DECISION_COLUMN] if decided else [])]


def references_frame(refs: Sequence[Reference], path: Path) -> pd.DataFrame:
    """The records as a table of :func:`columns_of` (missing cells empty; keywords and
    authors joined by ``"; "``).

    Raises
    ------
    DataError
        The file holds no record.
    """
    import pandas as pd

    if not refs:
        raise DataError(f"{path}: the file holds no reference records")
    columns = columns_of(refs)
    rows = [[rid, ref.title, ref.abstract, "; ".join(ref.keywords) or None, ref.year,
             "; ".join(ref.authors) or None, ref.journal, ref.doi, ref.decision]
            for rid, ref in zip(record_ids(refs), refs, strict=True)]
    return pd.DataFrame([row[:len(columns)] for row in rows], columns=columns, dtype=object)


def find_roles(columns: Iterable[object]) -> dict[str, str]:
    """Role (``title``, ``doi``, ...) -> the column of a table that holds it, by name
    (:data:`ROLE_NAMES`, case and surrounding spaces ignored)."""
    by_name: dict[str, str] = {}
    for column in columns:
        by_name.setdefault(str(column).strip().lower(), str(column))
    roles = {}
    for role, names in ROLE_NAMES.items():
        found = next((by_name[n] for n in names if n in by_name), None)
        if found is not None:
            roles[role] = found
    return roles


@dataclass(frozen=True)
class Written:
    """What a writer puts into one record besides its own fields.

    Attributes
    ----------
    decision : str or None
        ``"included"``, ``"excluded"`` or a class name; ``None`` leaves the record's
        earlier decision as it was.
    note : str or None
        The person's note on the row.
    """

    decision: str | None = None
    note: str | None = None


def decision_notes(notes: Iterable[str], written: Written) -> list[str]:
    """A record's notes with ``written`` replacing what alearn wrote before."""
    notes = list(notes)
    if written.decision is None and written.note is None:
        return notes
    kept = [n for n in notes if not str(n).strip().startswith(PERSON_NOTE)]
    if written.decision is not None:
        kept = [n for n in kept if not str(n).strip().startswith(DECISION_NOTE)]
        kept.append(DECISION_NOTE + written.decision)
    if written.note:
        kept.append(PERSON_NOTE + " ".join(written.note.split()))
    return kept


def decision_keywords(keywords: Iterable[str], written: Written) -> list[str]:
    """A record's keywords with the decision's keyword replacing an earlier one."""
    keywords = [str(k) for k in keywords]
    if written.decision is None:
        return keywords
    return [*own_keywords(keywords), DECISION_KEYWORD + written.decision.replace(" ", "_")]


def row_cells(frame: pd.DataFrame) -> Callable[[int], dict[str, str]]:
    """Row position -> the row's cells by role (:func:`find_roles`) and, under
    ``"other"``-prefixed keys, every other present cell ``column: value``."""
    import pandas as pd

    roles = find_roles(frame.columns)
    used = set(roles.values()) | {DECISION_COLUMN, WRITTEN_NOTE}

    def cells(k: int) -> dict[str, str]:
        row = frame.iloc[k]
        out = {role: str(row[col]).strip() for role, col in roles.items()
               if not pd.isna(row[col]) and str(row[col]).strip()}
        for col in frame.columns:
            if str(col) not in used and not pd.isna(row[col]) and str(row[col]).strip():
                out[f"other:{col}"] = str(row[col]).strip()
        return out

    return cells


# The column of the table ``labels --out`` hands a writer: the person's note on a row.
WRITTEN_NOTE = "alearn_note"


def written_of(frame: pd.DataFrame) -> list[Written]:
    """Each row's :class:`Written` from the table's ``decision`` and note columns."""
    import pandas as pd

    def cell(col: str, k: int) -> str | None:
        if col not in frame.columns:
            return None
        value = frame[col].iloc[k]
        return None if pd.isna(value) or not str(value).strip() else str(value).strip()

    return [Written(cell(DECISION_COLUMN, k), cell(WRITTEN_NOTE, k))
            for k in range(len(frame))]


def split_list(text: str | None, separators: str = ";") -> list[str]:
    """A joined cell (``"a; b"``) as its items."""
    if not text:
        return []
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", text)
            if part.strip()]
