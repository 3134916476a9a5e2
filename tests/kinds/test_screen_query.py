"""A screen started from the reviewer's research question (issue 25, item 2): the
``query`` task key and ``alearn label --query``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from test_screen import screen_frame, write_task

from alearn.engine.query import term_column
from alearn.kinds.screen import simulate as screening
from alearn.session.opening.classes import open_session
from alearn.tasks import load_task

QUERY = "active learning for systematic review screening"


def test_a_word_is_counted_in_the_longest_term_column_that_begins_it():
    columns = {c.lower(): c for c in ["Qual", "Use", "Used", "Predict", "Can"]}
    assert term_column("quality", columns) == "Qual"
    assert term_column("used", columns) == "Used"
    assert term_column("users", columns) == "Use"
    assert term_column("prediction", columns) == "Predict"
    assert term_column("qu", columns) is None  # shorter than any stem
    assert term_column("galaxy", columns) is None


def test_a_query_ranks_the_first_rows_without_priors(tmp_path):
    frame = screen_frame(300, 15)
    task = screening.prepare(load_task(write_task(tmp_path / "q", frame,
                                                  f'query = "{QUERY}"\n')))
    plain = screening.prepare(load_task(write_task(tmp_path / "p", frame)))
    assert task.query is not None and {"active", "screening"} <= set(task.query.words)
    assert screening.start_rows(task, 0).size == 0  # no random priors: the query starts
    assert screening.start_rows(plain, 0).size == 2
    for seed in range(2):
        order, learner = screening.screen_order(task, "certainty", seed)
        hits = task.relevant[order]
        assert hits[0]  # the record most like the question is relevant
        assert hits[:16].sum() >= 10
        assert learner is not None and learner.n_fits > 0
        # Random order starts from nothing as well, on the same seed's draws.
        baseline, _ = screening.screen_order(task, "random", seed)
        assert task.relevant[baseline][:16].sum() < hits[:16].sum()


def test_run_with_a_query_through_the_cli(cli, tmp_path):
    folder = write_task(tmp_path / "q", screen_frame(300, 15), f'query = "{QUERY}"\n')
    result = cli("run", folder, "--out", tmp_path / "o", "--seeds", 2)
    assert result.code == 0, result.err
    rows = pd.read_csv(tmp_path / "o" / "results.csv")
    n95 = rows[(rows["metric"] == "n95") & (rows["strategy"] == "certainty")]["value"]
    assert len(n95) == 2 and n95.max() < 60  # 15 relevant of 300 (random needs ~280)


def test_term_counts_map_the_query_to_their_columns(tmp_path):
    rng = np.random.default_rng(0)
    n, relevant = 400, 20
    y = np.arange(n) < relevant
    counts = {name: rng.poisson(np.where(y, 2.0, 0.1)) for name in ("Activ", "Learn", "Screen")}
    counts |= {name: rng.poisson(0.8, n) for name in ("Protein", "Galaxy", "Bridge", "River")}
    frame = pd.DataFrame({**counts, "label!": np.where(y, "yes", "no")})
    folder = tmp_path / "t"
    folder.mkdir()
    frame.to_csv(folder / "d.csv", index=False)
    (folder / "task.toml").write_text(
        'data = "d.csv"\nkind = "screen"\ntarget = "label!"\npositive = "yes"\n'
        'query = "Actively learning what to screen"\n', encoding="utf-8")
    task = screening.prepare(load_task(folder))
    assert set(task.query.words) == {"Activ", "Learn", "Screen"}
    order, _ = screening.screen_order(task, "certainty", 0)
    assert task.relevant[order][:20].sum() >= 15


def test_a_session_screens_in_the_simulations_order_and_keeps_its_query(cli, tmp_path):
    frame = screen_frame(200, 10, seed=3)
    truth = frame["decision"].to_numpy()
    task = screening.prepare(load_task(write_task(tmp_path / "sim", frame,
                                                  f'query = "{QUERY}"\n')))
    order, _ = screening.screen_order(task, "certainty", 0)
    folder = write_task(tmp_path / "s", frame.assign(decision=None))
    store = tmp_path / "s.db"
    shown = []
    with open_session(folder, store=store, query=QUERY) as session:
        assert session.current().why.kind == "query"
        assert session.progress().model_waits == "the first label"
        for _ in range(25):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            shown.append(row)
            session.label(str(truth[row]))
    # The session and the simulation screen alike (the simulation stops at the last
    # relevant row).
    assert len(order) >= 10 and shown[:len(order)] == list(order[:25])
    assert session.store.meta.settings["task"]["query"] == QUERY
    # Resumed: the store's query holds; another one would suggest other rows.
    with open_session(folder, store=store, query=QUERY) as again:
        assert again.n_labeled == 25
    other = cli("label", folder, "--store", store, "--query", "galaxy weather", stdin="q\n")
    assert other.code == 2 and "(query)" in other.err


def test_only_a_screen_session_takes_a_query(cli, tmp_path, blobs_csv):
    result = cli("label", blobs_csv, "--target", "class!", "--query", "blobs",
                 "--store", tmp_path / "b.db", stdin="q\n")
    assert result.code == 2 and "--query" in result.err and "screen" in result.err
    assert not (tmp_path / "b.db").exists()
