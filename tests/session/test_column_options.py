"""``--exclude``, the note on a hidden column the model uses, and ``--target`` typos."""

from __future__ import annotations

import pandas as pd
import pytest

from alearn import commands


@pytest.fixture
def tickets(tmp_path):
    """A pool whose ``truth`` column gives the answer away."""
    n = 24
    path = tmp_path / "tickets.csv"
    pd.DataFrame({"ticket": [f"t{i}" for i in range(n)],
                  "size": [(i * 7) % 11 + 0.5 for i in range(n)],
                  "truth": ["bug" if i % 3 else "billing" for i in range(n)],
                  "label": [None] * n}).to_csv(path, index=False)
    return path


def test_hide_notes_that_the_model_still_uses_the_column(tickets, tmp_path, cli):
    done = cli("label", tickets, "--target", "label", "--hide", "truth", cwd=tmp_path,
               stdin="q\n")
    said = " ".join(done.out.split())
    assert done.code == 0 and "hidden column 'truth' is still used by the model; add " \
        "--exclude truth" in said
    excluded = cli("label", tickets, "--target", "label", "--hide", "truth", "--exclude",
                   "truth", "--store", tmp_path / "x.db", cwd=tmp_path, stdin="bug\nq\n")
    assert excluded.code == 0 and "still used by the model" not in excluded.out


def test_exclude_keeps_a_column_out_of_the_model_and_the_store_keeps_it(tickets, tmp_path,
                                                                         cli):
    store = tmp_path / "s.db"
    done = cli("label", tickets, "--target", "label", "--exclude", "truth", "--store", store,
               cwd=tmp_path, stdin="bug\nbilling\nq\n")
    assert done.code == 0, done.err
    # Resumed without the option: the store's exclusion holds.
    with commands.open_label_session(tickets, target="label", store=store) as session:
        assert "truth" not in session.data.features.columns
        assert "truth" in session.data.dropped
        assert session.n_labeled == 2
    exported = cli("export", store, "--out", tmp_path / "m", cwd=tmp_path)
    assert exported.code == 0, exported.err
    assert "truth" not in (tmp_path / "m" / "rules.md").read_text()
    again = cli("label", tickets, "--target", "label", "--store", store, cwd=tmp_path,
                stdin="q\n")
    assert again.code == 0 and "resumed" in again.out


def test_a_target_close_to_a_column_needs_new_target(tickets, tmp_path, cli):
    store = tmp_path / "s.db"
    typo = cli("label", tickets, "--target", "Lable", "--store", store, cwd=tmp_path,
               stdin="q\n")
    assert typo.code == 2 and "did you mean 'label'?" in typo.err and not store.exists()
    meant = cli("label", tickets, "--target", "Lable", "--new-target", "--store", store,
                cwd=tmp_path, stdin="bug\nq\n")
    assert meant.code == 0, meant.err
    resumed = cli("label", tickets, "--target", "Lable", "--store", store, cwd=tmp_path,
                  stdin="q\n")
    assert resumed.code == 0, resumed.err  # the store already said it is a new column
    fresh = cli("label", tickets, "--target", "verdict", "--store", tmp_path / "v.db",
                cwd=tmp_path, stdin="q\n")
    assert fresh.code == 0, fresh.err  # no column is like it: a new column, no flag


@pytest.fixture
def leaky(tmp_path):
    """A pool whose ``closed_as`` column copies the answer, and the answers."""
    n = 60
    kinds = ["bug" if (i * 7) % 5 < 3 else "billing" for i in range(n)]
    path = tmp_path / "leaky.csv"
    pd.DataFrame({"size": [(i * 13) % 17 + 0.5 for i in range(n)],
                  "closed_as": ["defect" if k == "bug" else "invoice" for k in kinds],
                  "label": [None] * n}).to_csv(path, index=False)
    return path, kinds


def test_a_column_that_copies_the_answer_is_named_on_the_screen(leaky, tmp_path, cli):
    path, kinds = leaky
    answers = []
    with commands.open_label_session(path, target="label", store=tmp_path / "s.db") as s:
        position = {str(i): k for k, i in enumerate(s.ids)}
        for _ in range(20):
            row = position[s.current().row_id]
            answers.append(kinds[row])
            s.label(kinds[row])
        assert s.current().leak is not None and "--exclude closed_as" in s.current().leak
    shown = cli("label", path, "--target", "label", "--store", tmp_path / "s.db",
                cwd=tmp_path, stdin="q\n")
    assert "leak? column 'closed_as' matches the labels so far one to one" in \
        " ".join(shown.out.split())
    excluded = cli("label", path, "--target", "label", "--exclude", "closed_as", "--store",
                   tmp_path / "x.db", cwd=tmp_path, stdin="\n".join(answers) + "\nq\n")
    assert excluded.code == 0 and "leak?" not in excluded.out


def test_exclude_on_resume_takes_a_column_out_and_keeps_the_labels(tickets, tmp_path, cli):
    """The leak question says to add --exclude: the store that asked takes it."""
    store = tmp_path / "s.db"
    assert cli("label", tickets, "--target", "label", "--store", store, cwd=tmp_path,
               stdin="bug\nbilling\nbug\nq\n").code == 0
    before = store.read_bytes()
    typo = cli("label", tickets, "--target", "label", "--exclude", "truht", "--store", store,
               cwd=tmp_path, stdin="q\n")
    assert typo.code == 2 and store.read_bytes() == before  # refused: nothing written
    done = cli("label", tickets, "--target", "label", "--exclude", "truth", "--store", store,
               cwd=tmp_path, stdin="q\n")
    said = " ".join(done.out.split())
    assert done.code == 0 and "the model no longer uses 'truth'" in said, done.err
    assert "the 3 answers so far stay" in said
    with commands.open_label_session(tickets, target="label", store=store) as session:
        assert "truth" not in session.data.features.columns and session.n_labeled == 3
    again = cli("label", tickets, "--target", "label", "--exclude", "truth", "--store", store,
                cwd=tmp_path, stdin="q\n")
    assert again.code == 0 and "no longer uses" not in again.out  # already out: said once


def test_the_leak_question_never_names_a_hidden_column(leaky, tmp_path):
    path, kinds = leaky
    with commands.open_label_session(path, target="label", store=tmp_path / "s.db",
                                     hide=["closed_as"]) as s:
        position = {str(i): k for k, i in enumerate(s.ids)}
        for _ in range(20):
            s.label(kinds[position[s.current().row_id]])
        assert s.current().leak is None
