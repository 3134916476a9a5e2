"""Screen tasks: priors, the certainty learner, metrics, stopping advice, report, bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alearn.errors import ConfigError
from alearn.kinds.screen import simulate as screening
from alearn.kinds.screen.report import screen_tables
from alearn.kinds.screen.stopping import MIN_DRY, MIN_FOUND, MIN_SCREENED, advise, first_stop
from alearn.kinds.screen.summary import summarize_screen
from alearn.run import runner
from alearn.spec import TaskSpec
from alearn.tasks import load_task, make_task, revise

RELEVANT = ["active", "learning", "screening", "review", "systematic", "query", "label"]
OTHER = ["protein", "galaxy", "bridge", "weather", "harvest", "piano", "traffic", "river",
         "glacier", "market", "poetry", "volcano"]
FILLER = ["study", "method", "results", "we", "propose", "data", "approach", "paper"]


def screen_frame(n: int = 300, positives: int = 15, seed: int = 0) -> pd.DataFrame:
    """Relevant rows first (as in real screening files: order must never leak)."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=bool)
    y[:positives] = True

    def doc(relevant: bool) -> str:
        pool = RELEVANT if relevant else OTHER
        return " ".join(str(rng.choice(pool)) if rng.random() < 0.4 else str(rng.choice(FILLER))
                        for _ in range(25))

    return pd.DataFrame({"title": [doc(v)[:60] for v in y], "abstract": [doc(v) for v in y],
                         "decision": np.where(y, "yes", "no")})


def write_task(folder: Path, frame: pd.DataFrame, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "d.csv", index=False)
    (folder / "task.toml").write_text(
        'data = "d.csv"\nkind = "screen"\ntarget = "decision"\npositive = "yes"\n'
        'text = ["title", "abstract"]\nseeds = 4\nlsa = 0\n' + extra, encoding="utf-8")
    return folder


def test_screen_defaults():
    spec = make_task(name="s", data="d.csv", kind="screen", positive="yes")
    assert spec.budgets == (8, 16, 32, 100, 200)
    assert spec.start == "priors"
    assert spec.strategies == ("certainty", "random")
    assert spec.stop_words == "none" and spec.lsa == 100 and spec.batch_growth == 0.05
    classify = make_task(name="c", data="d.csv")
    assert classify.start == "kmeans" and classify.budgets == (8, 16, 32)
    assert classify.stop_words == "english" and classify.lsa == 0


def test_screen_needs_positive_and_priors_need_screen():
    with pytest.raises(ConfigError, match="needs positive"):
        make_task(name="s", data="d.csv", kind="screen")
    with pytest.raises(ConfigError, match="start = 'priors' is not known for classify tasks; "
                                          "expected one of kmeans, random"):
        make_task(name="c", data="d.csv", start="priors")


def test_priors_are_one_relevant_one_irrelevant_at_random(tmp_path):
    task = screening.prepare(load_task(write_task(tmp_path / "s", screen_frame())))
    starts = [screening.start_rows(task, seed) for seed in range(8)]
    for start in starts:
        assert task.relevant[start[0]] and not task.relevant[start[1]]
    # Never the file order: the relevant rows are rows 0-14, the first irrelevant row 15.
    assert len({tuple(s) for s in starts}) > 1
    assert not all(tuple(s) == (0, 15) for s in starts)
    again = screening.prepare(load_task(tmp_path / "s"))
    assert np.array_equal(screening.start_rows(again, 3), starts[3])


def test_certainty_finds_relevant_rows_far_sooner_than_random(tmp_path):
    spec = load_task(write_task(tmp_path / "s", screen_frame()))
    task = screening.prepare(spec)
    order, learner = screening.screen_order(task, "certainty", 0)
    assert learner is not None and learner.positive == "yes"
    assert set(learner.model.classes_) == {0, 1}  # fitted on every row: 1 = screened relevant
    assert task.relevant[order].sum() == task.relevant.sum()  # runs until all are found
    m = screening.order_metrics(task.relevant[order], task.labels.size, spec.budgets)
    rand, _ = screening.screen_order(task, "random", 0)
    r = screening.order_metrics(task.relevant[rand], task.labels.size, spec.budgets)
    assert m["n95"] < r["n95"] / 2
    assert m["recall"][32] > r["recall"][32]


def test_order_metrics_formulas():
    hits = np.zeros(20, dtype=bool)
    hits[[0, 3, 9, 19]] = True  # 4 relevant; 95 % of 4 rounds up to all 4
    m = screening.order_metrics(hits, 100, (8, 16))
    assert m["recall"] == {8: 0.5, 16: 0.75}
    assert m["n95"] == 20 and m["n100"] == 20
    assert m["wss95"] == pytest.approx((100 - 20) / 100 - 0.05)
    assert m["found"] == [(1, 0.25), (4, 0.5), (10, 0.75), (20, 1.0)]


def ranked_hits(n: int = 2000, relevant: int = 40, decay: float = 0.01,
                seed: int = 0) -> np.ndarray:
    """A ranked screen: relevant rows met at an exponentially falling rate."""
    rng = np.random.default_rng(seed)
    positions = np.unique(np.minimum(rng.exponential(1 / decay, relevant).astype(int), n - 1))
    hits = np.zeros(n, dtype=bool)
    hits[positions] = True
    return hits


def test_stopping_advice_needs_enough_evidence():
    few = np.array([1] * (MIN_FOUND - 1) + [0] * 400)
    advice = advise(few, 1000)
    assert not advice.stop and advice.recall_estimate is None
    assert "no estimate of the relevant left yet" in advice.message()
    short = np.array([1] * 10 + [0] * (MIN_SCREENED - 20))
    assert not advise(short, 1000).stop
    # A relevant row among the last MIN_DRY: the rate is not known to fall.
    still = np.concatenate([np.ones(20), np.zeros(300), [1], np.zeros(MIN_DRY - 2)])
    assert not advise(still, 5000).stop


def test_stopping_advice_fires_past_the_target_and_estimates_what_is_left():
    hits = ranked_hits()
    total = int(hits.sum())
    stop = first_stop(hits, hits.size)
    assert MIN_SCREENED <= stop < hits.size
    assert hits[:stop].sum() >= np.ceil(0.95 * total)
    advice = advise(hits[:stop], hits.size)
    assert advice.stop and advice.recall_low >= 0.95 and "may stop" in advice.message()
    assert not advise(hits[:stop - 1], hits.size).stop  # the first row where it says stop
    assert advice.unseen_estimate < advice.unseen_upper
    early = advise(hits[:150], hits.size)
    assert not early.stop and early.recall_low < early.recall_estimate < 1
    # A relevant row among the last 50: too early to say how many are left.
    assert not early.shown and "no estimate of the relevant left yet" in early.message()
    # A stricter target waits longer; rows after the sequence count as irrelevant.
    assert first_stop(hits, hits.size, 0.8) <= stop <= first_stop(hits, hits.size, 1.0)
    assert first_stop(np.array([1, 0]), 50) == 50  # too little evidence: never fires


def test_no_stopping_advice_where_the_order_breaks_its_model(cli, tmp_path):
    # The same finds that make the advice say stop (above) give none when the
    # strategy's order does not fit the method; simulations then never stop either.
    from alearn.session.opening.classes import open_session

    hits = ranked_hits()
    stop = first_stop(hits, hits.size)
    advice = advise(hits[:stop], hits.size, unsupported="strategy 'x' is not ranked")
    assert not advice.stop and advice.unseen_estimate is None
    assert "no estimate of the relevant left and no stopping advice (strategy 'x' is not " \
        "ranked)" in advice.message()
    assert advise(hits, hits.size, unsupported="x").stop  # every row screened: done
    m = screening.order_metrics(hits, hits.size, (8,), stopping=False)
    assert np.isnan([m["stop_at"], m["stop_recall"], m["stop_ratio"]]).all()
    assert screening.order_metrics(hits, hits.size, (8,))["stop_at"] == stop

    spec = load_task(write_task(tmp_path / "s", screen_frame(200, 10)))
    spec = revise(spec, strategies=("uncertainty", "certainty"), seeds=1)
    run = runner.run([spec], jobs=1)
    stop_at = run.results[run.results["metric"] == "stop_at"].set_index("strategy")["value"]
    assert "uncertainty" not in stop_at and stop_at["certainty"] <= 200
    table = screen_tables(summarize_screen(run.results))[0]
    row = next(r for r in table.rows if r[0] == "stopped before the recall target")
    cells = dict(zip([c.name for c in table.columns], row, strict=True))
    assert cells["uncertainty"] == "no advice" and "%" in cells["certainty"]
    # Through the commands: the results file stays complete, and report reads it.
    folder = write_task(tmp_path / "c", screen_frame(200, 10),
                        'strategies = ["certainty", "uncertainty"]\n')
    assert cli("run", folder, "--out", tmp_path / "o").code == 0
    report = cli("report", tmp_path / "o")
    assert report.code == 0, report.err
    assert "no advice" in report.out

    frame = screen_frame(200, 10)
    truth = frame["decision"].to_numpy()
    frame["decision"] = [truth[0], truth[15]] + [None] * 198
    with open_session(write_task(tmp_path / "u", frame), store=tmp_path / "u.db",
                      strategy="uncertainty") as session:
        assert "strategy 'uncertainty' does not screen the likeliest rows first" in \
            session.current().advice


def test_stopping_advice_does_not_stop_a_random_order_early():
    rng = np.random.default_rng(3)
    early = 0
    for _ in range(20):
        hits = rng.random(3000) < 0.01
        stop = first_stop(hits, hits.size)
        early += hits[:stop].sum() < np.ceil(0.95 * hits.sum())
    assert early <= 2


def test_run_report_json_and_plot(cli, tmp_path):
    folder = write_task(tmp_path / "s", screen_frame())
    out = tmp_path / "o"
    result = cli("run", folder, "--out", out, "--jobs", "1", "--plot", out / "curves.png")
    assert result.code == 0, result.err
    assert "labels to 95 % recall" in result.out and "WSS@95" in result.out
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {r["strategy"]: r for r in doc["screen"]["per_task"]}
    assert set(rows) == {"certainty", "random"}
    assert rows["certainty"]["n95"] < rows["random"]["n95"]
    assert rows["certainty"]["wins"] == 4
    assert 0 <= rows["certainty"]["stop_early"] <= 1
    assert (out / "curves.png").stat().st_size > 0
    again = cli("report", out)
    assert again.code == 0 and "labels to 95 % recall" in again.out


def test_results_do_not_depend_on_jobs(tmp_path):
    spec = revise(load_task(write_task(tmp_path / "s", screen_frame(200, 10))), seeds=2)
    one = runner.run([spec], jobs=1).results
    two = runner.run([spec], jobs=2).results
    pd.testing.assert_frame_equal(one, two)


def test_a_large_text_screen_runs_in_parallel_workers(tmp_path):
    # Over 1 MB the features reach joblib's workers read-only; scikit-learn's
    # liblinear fit sorts unsorted sparse indices in place, which then failed
    # with a traceback (TF-IDF without LSA gives unsorted indices).
    spec = revise(load_task(write_task(tmp_path / "s", screen_frame(4000, 40))), seeds=2)
    task = screening.prepare(spec)
    assert task.X.has_sorted_indices and task.X.data.nbytes > 1_000_000
    results = runner.run([spec], jobs=2).results
    assert set(results["seed"]) == {0, 1}


@pytest.mark.parametrize(("change", "needle"), [
    ('positive = "maybe"', "positive = 'maybe' never occurs in target 'decision'"),
    ('positive = ""', "needs positive"),
])
def test_bad_positive_exit_2(cli, tmp_path, change, needle):
    folder = write_task(tmp_path / "s", screen_frame())
    toml = (folder / "task.toml").read_text(encoding="utf-8").replace('positive = "yes"', change)
    (folder / "task.toml").write_text(toml, encoding="utf-8")
    result = cli("run", folder, "--out", tmp_path / "o")
    assert result.code == 2
    assert needle in result.err


def test_screen_session_ranks_likely_rows_and_gives_stopping_advice(tmp_path):
    from alearn.session.opening.classes import open_session

    frame = screen_frame(200, 10)
    truth = frame["decision"].to_numpy()
    frame["decision"] = [truth[0], truth[15]] + [None] * 198  # priors given in the file
    folder = write_task(tmp_path / "s", frame)
    with open_session(folder, store=tmp_path / "s.db") as session:
        view = session.current()
        assert view.why.kind == "likely"
        assert view.advice is not None and "relevant found in 2 screened" in view.advice
        assert {c for c, _ in view.why.top} <= {"yes", "not yes"}
        found = 0
        for _ in range(20):
            view = session.current()
            row = int(np.flatnonzero(session.ids == view.row_id)[0])
            session.label(str(truth[row]))
            found += truth[row] == "yes"
        assert found >= 7  # 9 relevant left among 198 rows: certainty finds most at once


def test_screen_task_without_a_target_column_is_a_clear_error(cli, tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    screen_frame(60).drop(columns=["decision"]).to_csv(folder / "d.csv", index=False)
    (folder / "task.toml").write_text('data = "d.csv"\nkind = "screen"\npositive = "yes"\n'
                                      'text = ["title", "abstract"]\n', encoding="utf-8")
    result = cli("run", folder, "--out", tmp_path / "out")
    assert result.code == 2 and "no target column" in result.err
    assert "Traceback" not in result.err


def test_screen_session_grows_its_batches_like_the_run(tmp_path):
    from alearn.session.opening.classes import open_session

    frame = screen_frame(200, 10)
    truth = frame["decision"].to_numpy()
    frame["decision"] = [truth[0], truth[15]] + [None] * 198
    folder = write_task(tmp_path / "s", frame, "batch_growth = 0.2\n")
    with open_session(folder, store=tmp_path / "s.db") as session:
        assert session.learner.batch_growth == 0.2
        for _ in range(20):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            session.label(str(truth[row]))
        assert session.state()["n_fits"] < 20  # batches grew past one label per retrain
    assert session.store.meta.settings["task"]["batch_growth"] == 0.2


def test_screen_task_and_store_exports_are_refused(cli, tmp_path):
    from alearn.session.opening.classes import open_session

    frame = screen_frame(200, 10)
    truth = frame["decision"].to_numpy()
    frame["decision"] = [truth[0], truth[15]] + [None] * 198
    folder = write_task(tmp_path / "s", frame)
    result = cli("export", folder, "--budget", "16", "--out", tmp_path / "m")
    assert result.code == 2 and "Traceback" not in result.err
    assert "a screen task cannot be exported" in result.err
    assert "export supports classification tasks and stores only" in result.err
    store = tmp_path / "s.db"
    with open_session(folder, store=store) as session:
        for _ in range(4):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            session.label(str(truth[row]))
    result = cli("export", store, "--out", tmp_path / "m")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "a screen session's store cannot be exported" in result.err
    assert "export supports classification tasks and stores only" in result.err
    assert not (tmp_path / "m").exists()


def test_fixed_priors_start_every_seed(tmp_path):
    folder = write_task(tmp_path / "s", screen_frame(), 'priors = [3, 200]\n')
    task = screening.prepare(load_task(folder))
    for seed in range(3):
        assert list(screening.start_rows(task, seed)) == [3, 200]


@pytest.mark.parametrize(("extra", "frame_change", "needle"), [
    ("", "one", "only one row of target 'decision' is 'yes'"),
    ("priors = [3, 9999]\n", None, "priors name rows not in the labeled data: '9999' "
     "(priors are 0-based row numbers"),
    ('id = "key"\npriors = ["r3", "nope"]\n', "ids", "priors name rows not in the labeled "
     "data: 'nope' (priors are id column 'key')"),
    ("recall_target = 0\n", None, "recall_target must be a recall in (0, 1]"),
    ("recall_target = 1.5\n", None, "recall_target must be a recall in (0, 1]"),
    ('recall_target = "high"\n', None, "key 'recall_target' must be a recall in (0, 1]"),
    ("priors = [true]\n", None, "key 'priors' must be a list of row ids"),
    ('model = "knn"\n', None, "model = 'knn' is not known; expected one of logreg, tree, nb"),
])
def test_bad_screen_input_exit_2(cli, tmp_path, extra, frame_change, needle):
    frame = screen_frame()
    if frame_change == "one":
        frame["decision"] = ["yes"] + ["no"] * (len(frame) - 1)
    if frame_change == "ids":
        frame["key"] = [f"r{i}" for i in range(len(frame))]
    folder = write_task(tmp_path / "s", frame, extra)
    out = tmp_path / "o"
    result = cli("run", folder, "--out", out)
    assert result.code == 2, result.err
    assert needle in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())  # nothing half-written


def test_a_screen_session_advises_with_the_task_target(tmp_path):
    from alearn.session.opening.classes import open_session

    frame = screen_frame(200, 10)
    truth = frame["decision"].to_numpy()
    frame["decision"] = [truth[0], truth[15]] + [None] * 198
    folder = write_task(tmp_path / "s", frame, "recall_target = 0.8\n")
    with open_session(folder, store=tmp_path / "s.db") as session:
        assert session.recall_target == 0.8
        assert "no estimate of the relevant left yet" in session.current().advice


def count_frame(n: int = 300, positives: int = 12, seed: int = 0) -> pd.DataFrame:
    """A screen given as term counts (no text), like MOOT's processed review sets."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=bool)
    y[:positives] = True
    counts = rng.poisson(0.5, size=(n, 8))
    counts[y, :2] += rng.poisson(2.0, size=(positives, 2))
    frame = pd.DataFrame(counts, columns=[f"Term{i}" for i in range(8)])
    frame["label!"] = np.where(y, "yes", "no")
    return frame


def test_term_counts_are_weighted_like_words(tmp_path):
    from alearn.data.dataset import load_dataset
    from alearn.engine.features import term_counts

    def spec_for(frame: pd.DataFrame) -> TaskSpec:
        frame.to_csv(tmp_path / "c.csv", index=False)
        return make_task(name="c", data=str(tmp_path / "c.csv"), kind="screen",
                        target="label!", positive="yes")

    frame = count_frame()
    assert term_counts(load_dataset(spec_for(frame)))
    fractional = frame.assign(Term0=frame["Term0"] + 0.5)
    assert not term_counts(load_dataset(spec_for(fractional)))
    negative = frame.assign(Term1=frame["Term1"] - 1)
    assert not term_counts(load_dataset(spec_for(negative)))
    task = screening.prepare(spec_for(frame))
    X = task.X.toarray() if hasattr(task.X, "toarray") else np.asarray(task.X)
    row_norms = np.linalg.norm(X, axis=1)
    nonzero = row_norms > 0
    assert np.allclose(row_norms[nonzero], 1.0)  # TF-IDF rows, not min-max scaled counts
    order, _ = screening.screen_order(task, "certainty", 0)
    base, _ = screening.screen_order(task, "random", 0)
    assert order.size < base.size  # the counts rank the relevant rows first


def test_recall_target_option_sets_the_advice_target(cli, tmp_path):
    from alearn.session.opening.classes import open_session

    frame = screen_frame(200, 10)
    truth = frame["decision"].to_numpy()
    frame["decision"] = [truth[0], truth[15]] + [None] * 198
    folder = write_task(tmp_path / "s", frame)
    with open_session(folder, store=tmp_path / "s.db", recall_target=0.8) as session:
        assert session.recall_target == 0.8
        session.label(str(truth[int(np.flatnonzero(session.ids == session.current().row_id)[0])]))
    # A stopping statement cites the target set before screening: the store keeps it.
    kept = cli("label", folder, "--store", tmp_path / "s.db", "--recall-target", "0.99",
               stdin="q\n")
    assert kept.code == 2 and "keeps the recall target 0.8" in kept.err
    # A store made before the target was kept resumes with another one, as before.
    with sqlite3.connect(tmp_path / "s.db") as db:
        settings = json.loads(db.execute("SELECT value FROM meta WHERE key = 'settings'"
                                         ).fetchone()[0])
        settings.pop("stopping")
        db.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (json.dumps(settings),))
    with open_session(folder, store=tmp_path / "s.db", recall_target=0.99) as session:
        assert session.recall_target == 0.99 and session.n_labeled == 1
        assert not session.stopping_statement().record["target_fixed_when_store_made"]
    bad = cli("label", folder, "--store", tmp_path / "b.db", "--recall-target", "1.5")
    assert bad.code == 2 and "--recall-target must be a recall in (0, 1], such as 0.95, " \
        "got 1.5" in bad.err
    plain = tmp_path / "plain.csv"
    frame.to_csv(plain, index=False)
    refused = cli("label", plain, "--target", "decision", "--recall-target", "0.9")
    assert refused.code == 2 and "only a screen session gives stopping advice" in refused.err
