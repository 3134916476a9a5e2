"""BibTeX files (Google Scholar, DBLP, Zotero, JabRef, Mendeley) through bibtexparser 2.

A key used twice and a block the parser gave up on (an unclosed brace, say) are
refused with the line they start on: bibtexparser keeps them aside as failed
blocks, and reading on would lose or misplace a record.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
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


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each failed block as a warning; the error here says it once."""
    logger = logging.getLogger("bibtexparser")  # its modules' loggers inherit the level
    was = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(was)


def parse(path: Path, decode: bool) -> Any:
    """The library of a BibTeX file (LaTeX such as ``{\\'e}`` decoded when ``decode``).

    Raises
    ------
    DataError
        A key used twice, a block the parser could not read, or no entry at all.
    """
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware
    from bibtexparser.model import DuplicateBlockKeyBlock

    text = read_text(path)
    with _quiet():
        library = bibtexparser.parse_string(
            text, append_middleware=[LatexDecodingMiddleware()] if decode else None)
    failed = sorted(library.failed_blocks, key=lambda b: b.start_line or 0)
    if failed:
        block = failed[0]
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            earlier = block.previous_block.start_line
            raise DataError(f"{path}: line {line}: the key {block.key!r} is used again (first "
                            f"on line {(earlier or 0) + 1}); each entry needs a key of its own")
        why = str(block.error).strip().splitlines()
        raise DataError(f"{path}: line {line}: an entry bibtexparser cannot read"
                        f"{f' ({why[-1].strip()})' if why else ''}")
    if not library.entries:
        raise DataError(f"{path}: no BibTeX entry (no '@article{{key, ...}}' or the like)")
    return library


def _field(entry: Any, *names: str) -> str | None:
    fields = {f.key.lower(): f.value for f in entry.fields}
    return first(*(fields.get(n) for n in names))


def reference(entry: Any) -> Reference:
    """One entry mapped to the table's columns (``author`` split at ``and``, the year
    from ``year`` or ``date``, the journal from ``journal``, ``booktitle`` or
    ``journaltitle``)."""
    authors = _field(entry, "author")
    keywords = split_list(_field(entry, "keywords"), ",;")
    return Reference(
        line=(entry.start_line or 0) + 1, own_id=entry.key,
        title=_clean(_field(entry, "title")), abstract=_clean(_field(entry, "abstract")),
        keywords=own_keywords(keywords),
        year=year_of(_field(entry, "year"), _field(entry, "date")),
        authors=[_clean(a) or a for a in re.split(r"\s+and\s+", authors or "") if a.strip()],
        journal=_clean(_field(entry, "journal", "booktitle", "journaltitle")),
        doi=clean_doi(_field(entry, "doi"), _field(entry, "url")),
        decision=decision_in([_field(entry, "note") or ""]))


def _clean(text: str | None) -> str | None:
    """Braces that only protect case (``{Bayesian}``) dropped, spaces collapsed."""
    if text is None:
        return None
    return " ".join(text.replace("{", "").replace("}", "").split()) or None


def read_references(path: Path) -> list[Reference]:
    """The entries of a BibTeX file, mapped (:func:`reference`)."""
    return [reference(e) for e in parse(path, decode=True).entries]


def _set(entry: Any, key: str, value: str | None) -> None:
    from bibtexparser.model import Field

    if value:
        entry.set_field(Field(key, value))
    elif key in entry.fields_dict:
        entry.pop(key)


def _add_decision(entry: Any, written: Written) -> None:
    fields = {f.key.lower(): f for f in entry.fields}
    note = fields["note"].value if "note" in fields else ""
    notes = decision_notes([n.strip() for n in str(note).split(";") if n.strip()], written)
    words = split_list(str(fields["keywords"].value) if "keywords" in fields else "", ",;")
    _set(entry, fields["note"].key if "note" in fields else "note", "; ".join(notes))
    _set(entry, fields["keywords"].key if "keywords" in fields else "keywords",
         ", ".join(decision_keywords(words, written)))


def _key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9:._-]+", "_", text) or "ref"


def _from_cells(cells: dict[str, str], written: Written) -> Any:
    from bibtexparser.model import Entry, Field

    fields = [Field(name, cells[role]) for role, name in
              (("title", "title"), ("abstract", "abstract"), ("year", "year"),
               ("journal", "journal"), ("doi", "doi")) if role in cells]
    if "authors" in cells:
        fields.append(Field("author", " and ".join(split_list(cells["authors"]))))
    entry = Entry("article", _key(cells.get("id", "ref")), fields)
    others = [f"{k.split(':', 1)[1]}: {v}" for k, v in cells.items() if k.startswith("other:")]
    _set(entry, "keywords", ", ".join(split_list(cells.get("keywords"), ",;")))
    _set(entry, "note", "; ".join(others))
    _add_decision(entry, written)
    return entry


def bibtex_text(frame: pd.DataFrame, source: Path | None = None) -> str:
    """BibTeX text of a table: each row an entry with its decision (``note = {alearn:
    included}`` and the keyword ``alearn:included``); from ``source``, every field and
    block it had, as it wrote them."""
    import bibtexparser
    from bibtexparser.library import Library

    written = written_of(frame)
    if source is not None:
        library = parse(source, decode=False)
        if len(library.entries) != len(written):
            raise DataError(f"{source}: holds {len(library.entries)} entries, not the "
                            f"{len(written)} the labels were made for")
        for entry, w in zip(library.entries, written, strict=True):
            _add_decision(entry, w)
    else:
        cells = row_cells(frame)
        library = Library([_from_cells(cells(k), w) for k, w in enumerate(written)])
    with _quiet():
        return str(bibtexparser.write_string(library))
