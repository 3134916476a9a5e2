"""`alearn labels` of a screening store over a reference file (issue 25, items 1 and 3):
every record with its decision in RIS, BibTeX and MEDLINE, duplicates given their
group's decision, and the export read back as data with every decision."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import CliResult
from textdata import text_frame

from alearn.data.dataset import load_dataset
from alearn.data.references.ris import ris_text
from alearn.data.tables import read_table
from alearn.journal.labels import current_labels
from alearn.tasks import load_task, make_task, revise

PAPERS = 40  # each exported twice: once as written, once re-cased by another database


def screening_folder(root: Path) -> tuple[Path, dict[str, str]]:
    """A screen task over a RIS file in which every paper is a record twice; and each
    paper's true decision by its id."""
    frame = text_frame(PAPERS, seed=3)
    papers = pd.DataFrame({
        "id": [f"p{k}" for k in range(PAPERS)], "title": frame["title"],
        "abstract": frame["body"], "year": [str(2000 + k % 7) for k in range(PAPERS)],
        # half the papers have a DOI (found by it), half only a title and year
        "doi": [f"10.9/p{k}" if k % 2 else None for k in range(PAPERS)]})
    copies = papers.assign(id=[f"c{k}" for k in range(PAPERS)],
                           title=papers["title"].str.upper() + ".")
    records = pd.concat([papers, copies], ignore_index=True)
    folder = root / "screen"
    folder.mkdir()
    (folder / "refs.ris").write_text(ris_text(records), encoding="utf-8")
    (folder / "task.toml").write_text('name = "refs"\nkind = "screen"\ndata = "refs.ris"\n'
                                      'target = "decision"\npositive = "included"\n')
    truth = np.where(frame["label"] == "tech", "included", "excluded")
    decided = {f"{p}{k}": str(truth[k]) for k in range(PAPERS) for p in "pc"}
    return folder, decided


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The folder, its store with 12 decisions given as a reviewer would, and the truth."""
    from alearn.session.opening.classes import open_session

    folder, truth = screening_folder(tmp_path_factory.mktemp("refs"))
    store = folder / "refs.labels.db"
    with open_session(folder, store=store, annotator="rev") as session:
        for _ in range(12):
            row_id = str(session.current().row_id)
            session.label(truth[row_id])
    return folder, store, truth


def _pair(row_id: str) -> str:
    return ("c" if row_id.startswith("p") else "p") + row_id[1:]


@pytest.mark.parametrize("suffix", [".ris", ".bib", ".nbib"])
def test_every_record_is_written_with_its_decision_or_its_groups(
        screened: tuple[Path, Path, dict[str, str]], cli: Callable[..., CliResult],
        tmp_path: Path, suffix: str) -> None:
    _, store, truth = screened
    out = tmp_path / f"decisions{suffix}"
    done = cli("labels", store, "--out", out)
    assert done.code == 0, done.err
    back = read_table(out).set_index("id")
    assert len(back) == 2 * PAPERS  # every record, decided or not
    labeled = set(current_labels(store)["id"])
    for row_id, decision in back["decision"].items():
        if row_id in labeled or _pair(str(row_id)) in labeled:
            assert decision == truth[str(row_id)], row_id  # its own, or its group's
        else:
            assert pd.isna(decision), row_id
    assert not back["keywords"].fillna("").str.contains("alearn").any()


def test_the_ris_export_keeps_the_records_as_the_data_file_wrote_them(
        screened: tuple[Path, Path, dict[str, str]], cli: Callable[..., CliResult],
        tmp_path: Path) -> None:
    folder, store, _ = screened
    done = cli("labels", store, "--out", tmp_path / "d.ris")
    assert done.code == 0, done.err
    source = (folder / "refs.ris").read_text().split("\n\n")
    written = (tmp_path / "d.ris").read_text().split("\n\n")
    assert len(written) == len(source)
    for before, after in zip(source, written, strict=True):
        mine = [line for line in after.splitlines() if "alearn" not in line]
        assert mine == before.strip("\n").splitlines()  # only the decision lines added


def test_a_ris_export_reimports_with_every_decision(
        screened: tuple[Path, Path, dict[str, str]], cli: Callable[..., CliResult],
        tmp_path: Path) -> None:
    _, store, truth = screened
    assert cli("labels", store, "--out", tmp_path / "round.ris").code == 0
    data = load_dataset(make_task(name="again", data=str(tmp_path / "round.ris"),
                                  target="decision", id="id"), require_target=False)
    given = {str(i): str(v) for i, v in zip(data.ids, data.labels, strict=True)
             if isinstance(v, str)}
    labeled = set(current_labels(store)["id"])
    expected = {i: truth[i] for i in truth if i in labeled or _pair(i) in labeled}
    assert given == expected
    assert "decision" not in data.features.columns  # the decision is the target, no feature


def test_the_table_export_lists_each_duplicate_of_a_labeled_record(
        screened: tuple[Path, Path, dict[str, str]], cli: Callable[..., CliResult]) -> None:
    _, store, truth = screened
    done = cli("labels", store)
    assert done.code == 0, done.err
    table = pd.read_csv(pd.io.common.StringIO(done.out), dtype=str)
    labels = current_labels(store)
    assert list(table["id"][:len(labels)]) == list(labels["id"])  # the store's, first
    extra = table.iloc[len(labels):]
    assert len(extra) > 0 and "duplicate record" in done.err
    for _, row in extra.iterrows():
        assert row["label"] == truth[row["id"]]
        assert row["duplicate_of"] == _pair(row["id"])
        assert row["duplicate_of"] in set(labels["id"])
    assert len(set(table["id"])) == len(table)


def test_a_reference_format_refuses_history_and_fields(
        screened: tuple[Path, Path, dict[str, str]], cli: Callable[..., CliResult],
        tmp_path: Path) -> None:
    _, store, _ = screened
    done = cli("labels", store, "--history", "--out", tmp_path / "h.ris")
    assert done.code == 2 and "--history needs a table format" in done.err
    assert not (tmp_path / "h.ris").exists()


def test_a_ris_file_is_a_task_data_file(screened: tuple[Path, Path, dict[str, str]]) -> None:
    folder, _, _ = screened
    task = load_task(folder)
    assert task.data_path == folder / "refs.ris"
    data = load_dataset(revise(task, target=None, id="id"), require_target=False)
    assert data.text == ["title", "abstract"] and list(data.ids[:2]) == ["p0", "p1"]
