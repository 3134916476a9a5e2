"""Duplicate grouping (issue 25) on the development screening collection, Kitchenham.

Kitchenham (1,704 records) is the one development set with titles (Radjenovic is
term counts only). For each seed, a share of its records is exported a second time
as another database would: the title re-cased and re-punctuated, the year kept, the
authors written another way. Each collection is written as a RIS file and read back
through `alearn.data.tables.read_table`, so the reader's mapping is measured too,
then grouped by `alearn.data.duplicates.find_duplicates`. Two settings:

- with DOIs: every record gets a DOI (made up, unique per paper: Kitchenham has
  none) that its copy keeps, written as a resolver link;
- without DOIs: the copies are found by title and year alone.

Printed per setting: planted pairs found, records merged that are not copies of one
another (other than the duplicates Kitchenham already holds, listed first with what
shows they are one paper: the same link or the same abstract).

    .venv/bin/python bench/duplicates.py                  # 5 seeds, 20 % copied
    .venv/bin/python bench/duplicates.py --seeds 10 --share 0.5
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from alearn.data.duplicates import find_duplicates
from alearn.data.references.ris import ris_text
from alearn.data.tables import read_table

SHARED = Path(__file__).resolve().parents[2] / "shared" / "moot"
KITCHENHAM = SHARED / "text_mining" / "Kitchenham.csv"
CASINGS = (str.upper, str.lower, str.title, str.swapcase)


def repunctuate(title: str, rng: np.random.Generator) -> str:
    """A title as another database writes it: its case and punctuation changed."""
    text = CASINGS[int(rng.integers(len(CASINGS)))](title)
    choice = int(rng.integers(4))
    if choice == 0:
        text = re.sub(r"\s*[:;]\s*", " - ", text)
    elif choice == 1:
        text = re.sub(r"\s+-+\s+", ": ", text).replace(",", "")
    elif choice == 2:
        text = re.sub(r"[-/]", " ", text) + "."
    else:
        text = "  ".join(text.split()) + " ?"
    return text


def other_authors(authors: object) -> object:
    """``Smith; J.; Doe; A.`` as ``SMITH J; DOE A``: a field no grouping reads."""
    return authors if pd.isna(authors) else str(authors).upper().replace(".", "")


def planted(frame: pd.DataFrame, share: float, seed: int, dois: bool,
            same_paper: dict[int, int]) -> tuple[pd.DataFrame, np.ndarray]:
    """The collection with a copy of ``share`` of its records appended, and per row the
    original record it is (its own row number for an original). With ``dois``, records
    of one paper (``same_paper``) share a DOI."""
    rng = np.random.default_rng(seed)
    base = frame.drop(columns=["abs", "label"]).reset_index(drop=True)
    base.insert(0, "id", [f"k{k}" for k in range(len(base))])
    if dois:
        base["doi"] = [f"10.5555/kitchenham.{same_paper.get(k, k)}" for k in range(len(base))]
    picked = np.sort(rng.choice(len(base), int(share * len(base)), replace=False))
    copies = base.iloc[picked].copy()
    copies["id"] = [f"copy{k}" for k in picked]
    copies["document_title"] = [repunctuate(str(t), rng) for t in copies["document_title"]]
    copies["authors"] = copies["authors"].map(other_authors)
    if dois:
        copies["doi"] = [f"https://doi.org/{d.upper()}" for d in copies["doi"]]
    both = pd.concat([base, copies], ignore_index=True)
    order = rng.permutation(len(both))  # a copy may come before its original
    origin = np.concatenate([np.arange(len(base)), picked])[order]
    return both.iloc[order].reset_index(drop=True), origin


def natural_groups(frame: pd.DataFrame) -> list[np.ndarray]:
    """Kitchenham's own duplicate groups (by title and year)."""
    found = find_duplicates(frame)
    assert found is not None
    return [found.members(r) for r in found.shown if found.members(r).size > 1]


def measure(frame: pd.DataFrame, share: float, seed: int, dois: bool,
            same_paper: dict[int, int], folder: Path) -> tuple[int, int, int, int]:
    """(planted pairs, found, records merged with another paper, duplicates grouped)."""
    both, origin = planted(frame, share, seed, dois, same_paper)
    path = folder / f"planted-{seed}-{int(dois)}.ris"
    path.write_text(ris_text(both), encoding="utf-8")
    read = read_table(path)
    found = find_duplicates(read)
    assert found is not None and len(read) == len(both)
    paper = np.array([same_paper.get(int(o), int(o)) for o in origin])
    planted_pairs = found_pairs = 0
    position: dict[int, list[int]] = {}
    for row, original in enumerate(origin):
        position.setdefault(int(original), []).append(row)
    for rows in position.values():
        if len(rows) == 2:
            planted_pairs += 1
            found_pairs += int(found.group[rows[0]] == found.group[rows[1]])
    merged = 0
    for shown in found.shown:
        members = found.members(int(shown))
        merged += int(np.unique(paper[members]).size > 1)
    return planted_pairs, found_pairs, merged, found.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--share", type=float, default=0.2)
    args = parser.parse_args()
    frame = pd.read_csv(KITCHENHAM, dtype=str, keep_default_na=False, na_values=[""])
    groups = natural_groups(frame)
    same_paper: dict[int, int] = {}
    print(f"Kitchenham: {len(frame)} records, {len(groups)} duplicate groups of its own:")
    for members in groups:
        rows = frame.iloc[members]
        why = ("same link" if rows["link"].nunique() == 1 else
               "same abstract" if rows["abstract"].nunique() == 1 else "NOT SHOWN SAME")
        print(f"  rows {', '.join(map(str, members))}: {rows['document_title'].iloc[0][:60]!r}"
              f" ({rows['year'].iloc[0]}; {why}; labels {', '.join(rows['label'])})")
        for r in members:
            same_paper[int(r)] = int(members[0])
    with tempfile.TemporaryDirectory() as tmp:
        for dois in (True, False):
            totals = np.zeros(4, dtype=int)
            for seed in range(args.seeds):
                totals += measure(frame, args.share, seed, dois, same_paper, Path(tmp))
            pairs, found, merged, count = totals
            print(f"{'with DOIs' if dois else 'without DOIs (title and year)'}: "
                  f"{args.seeds} seeds, {args.share:.0%} copied: planted pairs found "
                  f"{found}/{pairs}; groups merging distinct papers {merged}; "
                  f"duplicates grouped {count} (planted {pairs} + Kitchenham's own "
                  f"{len(groups) * args.seeds})")


if __name__ == "__main__":
    main()
