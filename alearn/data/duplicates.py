"""Duplicate records of a literature search: the same paper exported by several databases.

Two records are one paper when their DOIs are the same (``https://doi.org/``
and case ignored), or when their titles are the same once case, accents,
punctuation and spacing are ignored and their years are the same, unless both
have a DOI and the DOIs differ (two papers titled "Editorial" in one year).
Grouping is a pure function of the table: no model, no threshold, the same groups
on every run. A screening session shows one record of each group (its first in
the file) and applies the decision to all of them; ``alearn labels`` lists every
record of a group with the group's decision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from alearn.counting import counted
from alearn.data.numbertext import with_written_text
from alearn.data.references import DOI_PREFIX, find_roles, year_of

if TYPE_CHECKING:
    import pandas as pd


def doi_key(value: object) -> str | None:
    """A DOI as compared: without ``https://doi.org/`` or ``doi:``, lower-case, no
    trailing punctuation; ``None`` when the cell holds none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = DOI_PREFIX.sub("", str(value)).strip().lower().rstrip(".,;")
    return text if text.startswith("10.") and "/" in text else None


def title_key(value: object) -> str | None:
    """A title as compared: accents dropped, case folded, every run of punctuation and
    spaces one space (``"Deep-Learning: A Survey."`` -> ``"deep learning a survey"``)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", text).split()
    return " ".join(words) or None


@dataclass(frozen=True)
class Duplicates:
    """Records grouped as one paper.

    Attributes
    ----------
    group : ndarray of int
        Per row, the row number of its group's first record (``group[i] == i`` for a
        record shown; a record with no duplicate is its own group).
    columns : dict
        Role -> the column it was read from (``doi``, ``title``, ``year``).
    """

    group: np.ndarray
    columns: dict[str, str]

    @property
    def count(self) -> int:
        """Records that are a duplicate of an earlier one (rows minus groups)."""
        return int((self.group != np.arange(self.group.size)).sum())

    @property
    def shown(self) -> np.ndarray:
        """The row numbers a session shows: the first record of each group."""
        return np.flatnonzero(self.group == np.arange(self.group.size))

    def members(self, row: int) -> np.ndarray:
        """Every row of ``row``'s group (``row`` included), in file order."""
        return np.flatnonzero(self.group == self.group[row])

    def note(self) -> str | None:
        """The line a session shows (``"20 duplicates grouped ..."``), ``None`` without any."""
        if not self.count:
            return None
        by = ", or ".join(f"same {what}" for what in
                          (("DOI",) if "doi" in self.columns else ())
                          + (("title and year",) if "title" in self.columns else ()))
        return (f"{counted(self.count, 'duplicate')} grouped ({by}): each group is shown "
                "once and its decision applies to every record in it")


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[i] != root:  # path halving keeps later finds short
            self.parent[i], i = root, int(self.parent[i])
        return root

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:  # the earlier row stays the root: it is the record shown
            self.parent[max(ra, rb)] = min(ra, rb)


def group_duplicates(dois: list[str | None], titles: list[str | None],
                     years: list[str | None]) -> np.ndarray:
    """Group rows by DOI, and by title and year (:mod:`alearn.data.duplicates`).

    Parameters
    ----------
    dois, titles, years : list
        Per row, the :func:`doi_key`, :func:`title_key` and year (``None``: missing).

    Returns
    -------
    ndarray of int
        Per row, the row number of its group's first record.
    """
    n = len(dois)
    union = _Union(n)
    first_of: dict[str, int] = {}
    for row, key in enumerate(dois):
        if key is not None:
            union.join(first_of.setdefault(key, row), row)
    buckets: dict[tuple[str, str], list[int]] = {}
    for row, (title, year) in enumerate(zip(titles, years, strict=True)):
        if title is not None and year is not None:
            buckets.setdefault((title, year), []).append(row)
    for rows in buckets.values():
        if len(rows) < 2:
            continue
        distinct = {dois[r] for r in rows if dois[r] is not None}
        if len(distinct) <= 1:
            for row in rows[1:]:
                union.join(rows[0], row)
            continue
        # Papers with different DOIs under one title: only the records without a DOI
        # are one paper with each other (which DOI's they are cannot be told).
        bare = [r for r in rows if dois[r] is None]
        for row in bare[1:]:
            union.join(bare[0], row)
    return np.array([union.find(i) for i in range(n)], dtype=int)


def find_duplicates(table: pd.DataFrame, written: Collection[str] = ()) -> Duplicates | None:
    """The duplicate groups of a table of records, or ``None`` when it has neither a DOI
    column nor both a title and a year column (found by name:
    :func:`alearn.data.references.find_roles`: a reference file's ``doi``, ``title``
    and ``year``, or ``DOI``, ``document_title``, ``Publication Year`` ... of a CSV).

    Parameters
    ----------
    table : DataFrame
        The data as read (:attr:`alearn.data.dataset.Dataset.table`).
    written : collection of str
        Its columns of numbers held without their text
        (:attr:`alearn.data.dataset.Dataset.written`): a year is read from that text.
    """
    roles = find_roles(table.columns)
    columns = {r: roles[r] for r in ("doi", "title", "year") if r in roles}
    if "title" not in columns or "year" not in columns:
        columns.pop("title", None)
        columns.pop("year", None)
    if not columns:
        return None
    n = len(table)
    table = with_written_text(table[list(columns.values())], written)
    dois = ([doi_key(v) for v in table[columns["doi"]]] if "doi" in columns else [None] * n)
    titles = ([title_key(v) for v in table[columns["title"]]] if "title" in columns
              else [None] * n)
    years = ([year_of(v) if v is not None and str(v) != "nan" else None
              for v in table[columns["year"]]] if "year" in columns else [None] * n)
    return Duplicates(group_duplicates(dois, titles, years), columns)
