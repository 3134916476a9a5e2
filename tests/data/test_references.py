"""Reference files (RIS, MEDLINE, BibTeX) read as records, written back with decisions,
and duplicate records grouped (issue 25, items 1 and 3)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alearn.data.dataset import load_dataset
from alearn.data.duplicates import doi_key, find_duplicates, group_duplicates, title_key
from alearn.data.formats import FORMATS
from alearn.data.header import peek_columns
from alearn.data.references import REFERENCE_COLUMNS
from alearn.data.tables import read_data, read_table
from alearn.errors import DataError
from alearn.tasks import make_task

RIS = """\ufeffTY  - JOUR\r
ID  - scopus-1\r
TI  - Deep Learning for Screening: A Study\r
AB  - We screen papers\r
  with a model.\r
AU  - Smith, J.\r
AU  - Doe, A.\r
PY  - 2006///\r
T2  - Journal of Reviews\r
DO  - https://doi.org/10.1000/ABC\r
KW  - screening\r
KW  - reviews\r
N1  - a note of the database\r
ZZ  - a tag rispy does not know\r
ER  - \r
\r
TY  - CONF\r
TI  - Second paper\r
PY  - 2007\r
ER  - \r
"""

NBIB = """PMID- 12345
OWN - NLM
TI  - A randomized trial of things: the THING
      study.
AB  - Background: things.
FAU - Smith, John
AU  - Smith J
DP  - 2019 Jan 5
JT  - Journal of Things
TA  - J Things
LID - 10.1000/xyz [doi]
OT  - trials
MH  - Humans

PMID- 678
TI  - Second
DP  - 2020
"""

BIB = r"""@article{smith2020,
  title = {A {Bayesian} Study of Caf\'e Things},
  author = {Smith, John and Doe, Ann},
  year = 2020,
  doi = {10.1/ABC},
  keywords = {coffee, things},
}

@inproceedings{doe2021,
  title = {Second},
  booktitle = {Proc. of Things},
  date = {2021-05},
  note = {read later},
}
"""


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_ris_records_map_to_the_reference_columns(tmp_path: Path) -> None:
    frame = read_table(write(tmp_path / "refs.ris", RIS))
    assert list(frame.columns) == list(REFERENCE_COLUMNS)
    first = frame.iloc[0]
    assert first["id"] == "scopus-1"  # the file's own id
    assert first["title"] == "Deep Learning for Screening: A Study"
    assert first["abstract"] == "We screen papers with a model."  # a continued line joined
    assert first["authors"] == "Smith, J.; Doe, A."
    assert (first["year"], first["journal"]) == ("2006", "Journal of Reviews")
    assert first["doi"] == "10.1000/ABC"  # the resolver link dropped
    assert first["keywords"] == "screening; reviews"
    assert frame.iloc[1]["id"].startswith("ref-") and frame.iloc[1]["year"] == "2007"


def test_medline_and_bibtex_records_map_to_the_same_columns(tmp_path: Path) -> None:
    nbib = read_table(write(tmp_path / "pubmed.nbib", NBIB))
    assert list(nbib.columns) == list(REFERENCE_COLUMNS)
    row = nbib.iloc[0]
    assert (row["id"], row["year"], row["doi"]) == ("12345", "2019", "10.1000/xyz")
    assert row["title"] == "A randomized trial of things: the THING study."
    assert (row["authors"], row["journal"]) == ("Smith, John", "Journal of Things")
    assert row["keywords"] == "trials; Humans"
    bib = read_table(write(tmp_path / "refs.bib", BIB))
    assert list(bib["id"]) == ["smith2020", "doe2021"]
    assert bib.iloc[0]["title"] == "A Bayesian Study of Café Things"  # LaTeX decoded
    assert bib.iloc[0]["authors"] == "Smith, John; Doe, Ann"
    assert bib.iloc[0]["keywords"] == "coffee; things"
    assert (bib.iloc[1]["year"], bib.iloc[1]["journal"]) == ("2021", "Proc. of Things")


def test_a_compressed_reference_file_reads_as_the_plain_one(tmp_path: Path) -> None:
    plain = read_table(write(tmp_path / "a.ris", RIS))
    packed = tmp_path / "b.ris.gz"
    packed.write_bytes(gzip.compress(RIS.encode()))
    pd.testing.assert_frame_equal(read_table(packed), plain)


def test_ids_are_unique_when_records_repeat(tmp_path: Path) -> None:
    record = "TY  - JOUR\nTI  - Same\nDO  - 10.5/x\nER  - \n"
    frame = read_table(write(tmp_path / "twice.ris", record * 3))
    assert list(frame["id"]) == ["doi:10.5/x", "doi:10.5/x-2", "doi:10.5/x-3"]


@pytest.mark.parametrize("name,text", [("a.ris", RIS), ("a.nbib", NBIB), ("a.bib", BIB)])
def test_the_header_peek_names_the_columns_the_read_gives(tmp_path: Path, name: str,
                                                          text: str) -> None:
    path = write(tmp_path / name, text)
    assert peek_columns(path) == list(read_table(path).columns)


def test_a_reference_file_reads_title_and_abstract_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "refs.ris", RIS.replace("Second paper", "Second paper on models"))
    data = load_dataset(make_task(name="r", data=str(path)), require_target=False)
    assert data.text == ["title", "abstract"]
    assert any("'title' and 'abstract' read as text" in n for n in data.text_notes)
    declared = load_dataset(make_task(name="r", data=str(path), text=("title",)),
                            require_target=False)
    assert declared.text == ["title"]  # a task's text wins


def test_a_text_column_empty_in_every_record_is_not_read_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "refs.ris", "TY  - JOUR\nTI  - One good title\nER  - \n"
                 "TY  - JOUR\nTI  - Another title here\nER  - \n")
    data = load_dataset(make_task(name="r", data=str(path)), require_target=False)
    assert data.text == ["title"]


@pytest.mark.parametrize("fmt,source", [("ris", RIS), ("nbib", NBIB), ("bib", BIB)])
def test_decisions_written_into_records_read_back(tmp_path: Path, fmt: str, source: str
                                                  ) -> None:
    path = write(tmp_path / f"in.{fmt}", source)
    frame = read_table(path).assign(decision=["included", "excluded"],
                                    alearn_note=["the method fits", None])
    records = FORMATS[fmt].records
    assert records is not None
    for given in (path, None):  # from the file's own records, and from the columns
        out = write(tmp_path / f"out.{fmt}", records(frame, given))
        back = read_table(out)
        assert list(back["decision"]) == ["included", "excluded"]
        assert list(back["id"]) == list(frame["id"])
        assert not back["keywords"].fillna("").str.contains("alearn").any()
        assert "the method fits" in out.read_text()


def test_a_ris_record_written_back_keeps_every_tag(tmp_path: Path) -> None:
    path = write(tmp_path / "in.ris", RIS)
    frame = read_table(path).assign(decision=["included", None])
    text = FORMATS["ris"].records(frame, path)  # type: ignore[misc]
    for line in ("ZZ  - a tag rispy does not know", "N1  - a note of the database",
                 "N1  - alearn: included", "KW  - alearn:included", "TY  - CONF"):
        assert line in text
    # A second export replaces the decision written before, never adds a second one.
    again = write(tmp_path / "again.ris", text)
    twice = FORMATS["ris"].records(read_table(again).assign(decision=["excluded", None]),
                                   again)  # type: ignore[misc]
    assert "alearn: included" not in twice and twice.count("N1  - alearn: excluded") == 1


@pytest.mark.parametrize("text,needle", [
    ("TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\n\nTY  - JOUR\nTI  - 3\nER  - \n",
     "line 7: record 2 (from line 4) has no 'ER  - ' line before the next 'TY  - '"),
    ("TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\n",
     "record 2 (from line 4) has no 'ER  - ' line: the file ends inside it"),
    ("TY  - JOUR\nTI  - One\nER  - \nAU  - Smith\nTY  - JOUR\nER  - \n",
     "line 4: 'AU  - Smith' is outside a record"),
    ("just some text\n", "no RIS record"),
])
def test_a_broken_ris_record_is_named(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(DataError, match=r"broken\.ris: ") as caught:
        read_data(write(tmp_path / "broken.ris", text))
    assert needle in str(caught.value)


def test_a_bibtex_key_used_twice_and_a_broken_entry_are_named(tmp_path: Path) -> None:
    twice = write(tmp_path / "twice.bib", BIB + "\n@article{smith2020, title={Again}}\n")
    with pytest.raises(DataError, match=r"line 16: the key 'smith2020' is used again "
                                        r"\(first on line 1\)"):
        read_data(twice)
    broken = write(tmp_path / "broken.bib", "@article{a, title = {Unclosed\n"
                   "@book{b, title={Fine}}\n")
    with pytest.raises(DataError, match=r"broken\.bib: line 1: an entry bibtexparser cannot "
                                        "read"):
        read_data(broken)


def test_a_medline_line_that_is_no_tag_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.nbib", "PMID- 1\nTI  - One\nthis line is loose\n")
    with pytest.raises(DataError, match=r"bad\.nbib: line 3: 'this line is loose' in record 1 "
                                        r"\(from line 1\)"):
        read_data(path)


# -- duplicates --------------------------------------------------------------------------
def test_dois_and_titles_compare_without_case_punctuation_or_resolver() -> None:
    assert doi_key("https://doi.org/10.1000/ABC.") == doi_key("doi: 10.1000/abc") \
        == "10.1000/abc"
    assert doi_key("not a doi") is None and doi_key(np.nan) is None
    assert title_key("Deep-Learning:  A SURVEY.") == title_key("deep learning - a survey") \
        == "deep learning a survey"
    assert title_key("Café") == title_key("CAFE")
    assert title_key("?!") is None


def test_records_group_by_doi_or_by_title_and_year() -> None:
    dois = ["10.1/a", None, "10.1/a", None, None, "10.1/b", "10.1/c"]
    titles = ["x", "paper one", "other words", "paper one", "paper one", "editorial",
              "editorial"]
    years = ["2001", "2001", "2001", "2001", "2002", "2003", "2003"]
    group = group_duplicates(dois, titles, years)
    # rows 0 and 2 share a DOI; 1 and 3 a title and year; 4 another year; 5 and 6 are
    # two editorials with their own DOIs.
    assert list(group) == [0, 1, 0, 1, 4, 5, 6]


def test_records_without_doi_under_a_title_of_two_papers_stay_apart_from_both() -> None:
    group = group_duplicates(["10.1/a", "10.1/b", None, None], ["t"] * 4, ["2000"] * 4)
    assert list(group) == [0, 1, 2, 2]


def test_find_duplicates_reads_the_columns_by_name_and_says_what_it_found() -> None:
    table = pd.DataFrame({"Document_Title": ["A Study", "a study.", "Other"],
                          "Year": [2001, 2001, 2001], "body": ["x", "y", "z"]})
    found = find_duplicates(table)
    assert found is not None
    assert list(found.group) == [0, 0, 2] and found.count == 1
    assert list(found.shown) == [0, 2] and list(found.members(1)) == [0, 1]
    assert found.note() == ("1 duplicate grouped (same title and year): each group is "
                            "shown once and its decision applies to every record in it")
    assert find_duplicates(table.drop(columns="Year")) is None  # a title alone: no grouping
    assert find_duplicates(pd.DataFrame({"x": [1, 2]})) is None
