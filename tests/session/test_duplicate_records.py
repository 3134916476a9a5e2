"""A screening session over records exported by several databases (issue 25, item 3):
one record per paper is shown, its decision is the group's, and the counts and the
stopping advice count papers, not records."""

from __future__ import annotations

import io
import json
import sqlite3

import numpy as np
import pandas as pd
from textdata import text_frame

from alearn.data.references.ris import ris_text
from alearn.session.opening.classes import open_session

PAPERS = 30


def _folder(tmp_path):
    """A screen task over a RIS file in which a third of the papers are there twice."""
    frame = text_frame(PAPERS, seed=5)
    papers = pd.DataFrame({
        "id": [f"p{k}" for k in range(PAPERS)], "title": frame["title"],
        "abstract": frame["body"], "year": [str(2001 + k % 5) for k in range(PAPERS)],
        "doi": [f"10.7/p{k}" if k % 2 else None for k in range(PAPERS)]})
    # A third of the papers exported again by another database: re-cased, re-punctuated.
    copies = papers.iloc[::3].assign(id=lambda f: "c" + f["id"].str[1:],
                                     title=lambda f: f["title"].str.upper() + ".")
    folder = tmp_path / "screen"
    folder.mkdir()
    (folder / "refs.ris").write_text(ris_text(pd.concat([papers, copies], ignore_index=True)),
                                     encoding="utf-8")
    (folder / "task.toml").write_text('name = "refs"\nkind = "screen"\ndata = "refs.ris"\n'
                                      'target = "decision"\npositive = "included"\n')
    truth = np.where(frame["label"] == "tech", "included", "excluded")
    return folder, copies, {f"p{k}": str(truth[k]) for k in range(PAPERS)}


def test_each_paper_is_shown_once_and_its_decision_is_the_groups(tmp_path, cli):
    folder, copies, decided = _folder(tmp_path)
    store = folder / "refs.labels.db"
    with open_session(folder, store=store, annotator="rev") as s:
        assert s.notes == [f"{len(copies)} duplicates grouped (same DOI, or same title and "
                           "year): each group is shown once and its decision applies to "
                           "every record in it"]
        assert s.progress().total == PAPERS
        shown = []
        while not (view := s.current()).done:
            shown.append(view.row_id)
            s.label(decided[view.row_id])
        # Every paper once, no copy: the copies are neither asked nor taught.
        assert sorted(shown) == sorted(decided) and s.learner.n_labeled == PAPERS
    with open_session(folder, store=store, annotator="rev") as again:  # resumed alike
        assert again.current().done and again.progress().total == PAPERS
    listed = pd.read_csv(io.StringIO(cli("labels", store).out)).set_index("id")
    for copy in copies["id"]:  # each copy listed with its paper's decision
        assert listed.loc[copy, "label"] == decided["p" + copy[1:]]


def test_a_store_made_before_grouping_resumes_showing_every_record(tmp_path):
    folder, copies, decided = _folder(tmp_path)
    store = folder / "old.labels.db"
    with open_session(folder, store=store, annotator="rev") as s:
        s.label(decided.get(s.current().row_id, "excluded"))
    # As an older release wrote it: no group_duplicates among the task's settings.
    with sqlite3.connect(store) as conn:
        settings = json.loads(conn.execute(
            "SELECT value FROM meta WHERE key = 'settings'").fetchone()[0])
        del settings["task"]["group_duplicates"]
        conn.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (json.dumps(settings),))
    with open_session(folder, store=store, annotator="rev") as s:
        assert s.progress().total == PAPERS + len(copies) and not s.notes
