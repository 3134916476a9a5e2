"""Records a reviewer knows are relevant start a screening session (issue 25, item 2):
the task's ``priors`` or ``--prior-ids`` label them relevant from the first row."""

from __future__ import annotations

import pandas as pd
from textdata import text_frame

from alearn import commands


def _folder(tmp_path, priors=""):
    frame = text_frame(60, seed=2)
    pd.DataFrame({"id": [f"p{k}" for k in range(60)], "title": frame["title"],
                  "body": frame["body"], "decision": None}).to_csv(
        tmp_path / "papers.csv", index=False)
    (tmp_path / "task.toml").write_text(
        'name = "pr"\nkind = "screen"\ndata = "papers.csv"\ntarget = "decision"\n'
        f'positive = "yes"\nid = "id"\ntext = ["title", "body"]\n{priors}')
    return tmp_path


def _known(session):
    return {str(session.ids[r]): str(session.learner.labels[r]) for r in session.seed_rows}


def test_the_tasks_priors_start_the_screen_as_relevant(tmp_path):
    folder = _folder(tmp_path, 'priors = ["p3", "p7"]\n')
    with commands.open_label_session(folder, store=tmp_path / "s.db") as s:
        assert _known(s) == {"p3": "yes", "p7": "yes"}
        assert s.progress().seeded == 2 and s.current().row_id not in ("p3", "p7")
        assert any("2 records known to be relevant (priors)" in n for n in s.data.text_notes)


def test_prior_ids_name_ids_or_row_numbers_and_replace_the_tasks(tmp_path):
    folder = _folder(tmp_path, 'priors = ["p3"]\n')
    with commands.open_label_session(folder, store=tmp_path / "s.db",
                                     prior_ids=["p1,5", "p1"]) as s:
        assert _known(s) == {"p1": "yes", "p5": "yes"}  # "5": the sixth row of the file
