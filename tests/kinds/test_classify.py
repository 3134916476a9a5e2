import numpy as np
import pytest

from alearn.engine.learner import Learner
from alearn.errors import DataError
from alearn.kinds.classify import simulate
from alearn.kinds.classify.summary import summarize
from alearn.run import runner
from alearn.tasks import load_task


def test_results_are_tidy_and_complete(task_dir):
    spec = load_task(task_dir(seeds=2, budgets=[4, 8], strategies=["margin"]))
    result = runner.run([spec])
    frame = result.results
    assert list(frame.columns) == runner.RESULT_COLUMNS
    curves = frame[~frame.strategy.isin(simulate.REFERENCES)]
    assert set(curves.strategy) == {"margin", "random"}
    assert sorted(curves.budget.unique()) == list(range(1, 9))
    assert len(curves) == 2 * 2 * 8 * 2  # strategies x seeds x labels x metrics
    ceiling = frame[frame.strategy == simulate.CEILING]
    assert len(ceiling) == 2 * 2 and (ceiling.budget == 84).all()  # 70% of 120 rows
    majority = frame[frame.strategy == simulate.MAJORITY]
    assert len(majority) == 2 * 2 and (majority.budget == 0).all()
    assert frame.value.between(0, 1).all()


def test_only_bought_labels_are_read(task_dir, monkeypatch):
    spec = load_task(task_dir(seeds=1, budgets=[6], strategies=["margin"]))
    taught: list[list[int]] = []
    original = Learner.teach

    def spy(self, rows, labels):
        taught.append(list(rows))
        return original(self, rows, labels)

    monkeypatch.setattr(Learner, "teach", spy)
    runner.run([spec])
    # Two learners (margin, random), six one-row purchases each, never the same row twice.
    assert len(taught) == 12
    for learner_rows in (taught[:6], taught[6:]):
        flat = [r for rows in learner_rows for r in rows]
        assert len(set(flat)) == 6


def test_shared_start_and_pure_random_baseline(task_dir):
    spec = load_task(task_dir(seeds=1, budgets=[8], strategies=["margin", "entropy"],
                              start_size=3))
    prepared = simulate.prepare(spec)
    rows = simulate.simulate_seed(prepared, 0)
    assert rows  # runs
    pool, test = simulate.split(prepared.y, spec.test_size, 0)
    assert not set(pool) & set(test) and len(pool) + len(test) == len(prepared.y)


def test_split_keeps_singleton_classes_in_pool():
    y = np.array(["a"] * 10 + ["b"] * 10 + ["c"])
    pool, test = simulate.split(y, 0.3, 0)
    assert 20 in pool
    assert set(y[test]) == {"a", "b"}


def test_one_class_and_too_few_rows(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("A,b!\n" + "".join(f"{i * 1.5},x\n" for i in range(50)))
    with pytest.raises(DataError, match="has only 'x'; expected at least two classes"):
        simulate.prepare(load_task(one))
    few = tmp_path / "few.csv"
    few.write_text("A,b!\n" + "".join(f"{i * 1.5},{'xy'[i % 2]}\n" for i in range(20)))
    with pytest.raises(DataError, match="fewer than the largest budget 32"):
        simulate.prepare(load_task(few))


def test_summary_numbers(task_dir):
    spec = load_task(task_dir(seeds=3, budgets=[4, 8], strategies=["margin"]))
    frame = runner.run([spec]).results
    summary = summarize(frame, budgets=[4, 8])
    row = summary.per_task.query("strategy == 'margin' and budget == 8").iloc[0]
    acc = frame.query("metric == 'accuracy'")
    mine = acc.query("strategy == 'margin' and budget == 8").set_index("seed").value
    base = acc.query("strategy == 'random' and budget == 8").set_index("seed").value
    ceil = acc.query("strategy == 'all-labels'").set_index("seed").value
    assert row["mean"] == pytest.approx(mine.mean())
    assert row["pct"] == pytest.approx((100 * mine / ceil).mean())
    assert row["gain"] == pytest.approx(100 * (mine - base).mean())
    assert row["wins"] + row["ties"] + row["losses"] == 3
    assert row["wins"] == int(((mine - base) > 1e-9).sum())
    curve = acc.query("strategy == 'margin'").groupby("seed").value.mean().mean()
    assert row["aulc"] == pytest.approx(curve)


def test_the_majority_class_rate_is_reported_and_a_model_not_above_it_flagged(tmp_path, cli):
    """Noise features and a 90 % class: every strategy scores about the majority rate;
    the report says so (results written before the majority rows still report)."""
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 300
    folder = tmp_path / "noise"
    folder.mkdir()
    pd.DataFrame({"A": rng.normal(size=n), "B": rng.normal(size=n),
                  "class!": np.where(rng.random(n) < 0.9, "good", "bad")}).to_csv(
        folder / "data.csv", index=False)
    (folder / "task.toml").write_text('name = "noise"\ndata = "data.csv"\n'
                                      'budgets = [8, 16, 32]\n')
    out = tmp_path / "out"
    done = cli("run", folder, "--seeds", "2", "--out", out)
    said = " ".join(done.out.split())
    results = pd.read_csv(out / "results.csv")
    majority = results[results["strategy"] == simulate.MAJORITY]
    assert set(majority["metric"]) == {"accuracy", "macro_f1"} and len(majority) == 4
    rate = majority[majority["metric"] == "accuracy"]["value"].mean()
    assert done.code == 0 and f"always the most frequent class {rate:.3f}" in said
    assert "≤ maj." in said and "no better than always answering the most frequent class" \
        in said
    results[results["strategy"] != simulate.MAJORITY].to_csv(out / "results.csv", index=False)
    older = cli("report", out)
    assert older.code == 0 and "most frequent class" not in " ".join(older.out.split())


def test_each_classify_panel_draws_the_majority_class_level(task_dir):
    from alearn.kinds.classify.report import curve_panels

    spec = load_task(task_dir(seeds=2, budgets=[4, 8], strategies=["margin"]))
    frame = runner.run([spec]).results
    acc = frame[frame.metric == "accuracy"]
    majority = acc[acc.strategy == simulate.MAJORITY].set_index("seed")["value"]
    ceiling = acc[acc.strategy == simulate.CEILING].set_index("seed")["value"]
    [panel] = curve_panels(frame, None, "accuracy", (4, 8))
    assert panel.floor == pytest.approx(float((100 * majority / ceiling).mean()))
    older = frame[frame.strategy != simulate.MAJORITY]
    assert curve_panels(older, None, "accuracy", (4, 8))[0].floor is None
