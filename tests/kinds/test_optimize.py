import re

import numpy as np
import pandas as pd
import pytest

from alearn.errors import DataError
from alearn.kinds.optimize import acquirers, goals
from alearn.kinds.optimize import simulate as optimize
from alearn.kinds.optimize.summary import summarize_optimize
from alearn.run import runner
from alearn.tasks import make_task


def write_opt(tmp_path, n=60, seed=0, **cols):
    rng = np.random.default_rng(seed)
    a, b = rng.random(n), rng.random(n)
    frame = pd.DataFrame({"A": a, "B": b, "kind": rng.choice(["x", "y"], n),
                          "Speed+": a + 0.1 * rng.random(n), "Cost-": b + a, "NoteX": 1})
    for name, values in cols.items():
        frame[name] = values
    path = tmp_path / "opt.csv"
    frame.to_csv(path, index=False)
    return path


def spec(path, **kw):
    return make_task(name="opt", data=str(path), kind="optimize", **kw)


def test_d2h_as_published():
    Y = np.array([[10.0, 1.0], [20.0, 3.0], [15.0, 2.0]])
    w = np.array([1.0, 0.0])  # maximise the first goal, minimise the second
    got = goals.d2h(Y, w, Y.min(axis=0), Y.max(axis=0))
    expected = np.sqrt(((np.array([0, 1, 0.5]) - 1) ** 2 + np.array([0, 1, 0.5]) ** 2) / 2)
    assert np.allclose(got, expected)
    assert got[0] == pytest.approx(np.sqrt(0.5))


def test_goals_features_and_summary(tmp_path):
    path = write_opt(tmp_path)
    task = optimize.prepare(spec(path, seeds=3, budgets=[4, 8]))
    assert task.goals == ["Speed+", "Cost-"] and list(task.weights) == [1.0, 0.0]
    assert task.X.shape == (60, 3)  # A, B and one 0/1 column; goals and NoteX left out
    assert task.X.min() == 0.0 and task.X.max() == 1.0
    result = runner.run([spec(path, seeds=3, budgets=[4, 8])])
    summary = summarize_optimize(result.results, [4, 8])
    row = summary.per_task.query("strategy == 'gpei' and budget == 8").iloc[0]
    res = result.results
    mu = res.query("metric == 'd2h_mean'").value.iloc[0]
    lo = res.query("metric == 'd2h_min'").value.iloc[0]
    most = res.query("strategy == 'gpei' and budget == 8 and metric == 'd2h'").value.mean()
    assert row["pct"] == pytest.approx(100 * (mu - most) / (mu - lo))
    assert 0 <= row["pct"] <= 100


def test_only_measured_rows_are_read(tmp_path):
    task = optimize.prepare(spec(write_opt(tmp_path), budgets=[10]))
    read: list[int] = []

    def measure(row):
        read.append(row)
        return task.Y[row]

    for strategy in acquirers.ACQUIRERS:
        read.clear()
        order = optimize.optimize(task.X, measure, task.weights, 10, 0, strategy=strategy)
        assert read == order and len(set(order)) == 10


def test_best_labeled_uses_labeled_rows_only():
    Y = np.array([[1.0], [5.0], [3.0]])
    assert goals.best_labeled([7, 8, 9], Y, np.array([1.0])) == 8


@pytest.mark.parametrize("cols, needle", [
    ({"Speed+": ["fast"] * 60}, "column 'Speed+' is numeric but row 1 holds 'fast'; goal"),
    ({"Cost-": [3.0] * 60}, "goal column 'Cost-' has the same value on every row"),
])
def test_bad_goals(tmp_path, cols, needle):
    with pytest.raises(DataError, match=re.escape(needle)):
        optimize.prepare(spec(write_opt(tmp_path, **cols)))


def test_no_goal_columns_and_too_few_rows(tmp_path):
    path = tmp_path / "plain.csv"
    pd.DataFrame({"A": np.arange(40) * 1.5, "B": np.arange(40) % 3}).to_csv(path, index=False)
    with pytest.raises(DataError, match="no goal columns"):
        optimize.prepare(spec(path))
    with pytest.raises(DataError, match="fewer than the largest budget 32"):
        optimize.prepare(spec(write_opt(tmp_path, n=20)))


def test_explicit_goals_override_names(tmp_path):
    path = tmp_path / "named.csv"
    rng = np.random.default_rng(1)
    pd.DataFrame({"x": rng.random(40), "y": rng.random(40),
                  "throughput": rng.random(40)}).to_csv(path, index=False)
    task = optimize.prepare(spec(path, maximize=("throughput",)))
    assert task.goals == ["throughput"] and task.X.shape[1] == 2


def test_bare_file_with_goal_columns_runs_as_optimize(tmp_path, cli):
    from alearn.tasks import load_task

    path = write_opt(tmp_path, n=40)
    assert load_task(path).kind == "optimize"
    result = cli("run", path, "--seeds", 2, "--out", tmp_path / "out", "--no-per-task")
    assert result.code == 0, result.err
    assert "% optimal" in result.out and "gpei" in result.out
    classify = tmp_path / "c.csv"
    classify.write_text("A,Cost-,kind!\n1,2,x\n")
    assert load_task(classify).kind == "classify"


def test_constant_goal_among_measured_rows_and_one_level_category(tmp_path):
    # Cost- is the same on the first 40 rows (all a learner may have measured early),
    # and "only" is a category with one level: every strategy still runs to its budget.
    n = 60
    path = write_opt(tmp_path, n=n, **{"Cost-": np.r_[np.full(40, 2.0), np.arange(20.0)],
                                       "only": ["same"] * n})
    task = optimize.prepare(spec(path, budgets=[12]))
    assert np.isfinite(task.X).all()
    for strategy in acquirers.ACQUIRERS:
        order = optimize.optimize(task.X[:40], lambda r: task.Y[r], task.weights, 12, 0,
                                  strategy=strategy)
        assert len(set(order)) == 12
        assert np.isfinite(goals.own_d2h(task.Y[order], task.weights)).all()


def test_pool_smaller_than_budget_is_one_clear_line(tmp_path, cli):
    path = write_opt(tmp_path, n=20)
    result = cli("run", path, "--seeds", 1, "--out", tmp_path / "out")
    assert result.code == 2
    assert "opt.csv: 20 rows, fewer than the largest budget 32" in result.err
    assert "Traceback" not in result.err and not (tmp_path / "out" / "results.csv").exists()


def test_headroom_bounds_the_unmeasured_rows():
    from alearn.kinds.optimize.headroom import headroom

    rng = np.random.default_rng(3)
    X = rng.random((400, 2))
    y = ((X - 0.8) ** 2).sum(axis=1)  # best rows near (0.8, 0.8)
    far = [int(i) for i in np.argsort(-y)[:12]]  # only the worst rows measured
    room = headroom(X, far, y[far])
    assert room.rows == 388 and room.floor < room.expected < room.best
    near = [int(i) for i in np.argsort(y)[:12]]  # the best rows already measured
    assert headroom(X, near, y[near]).best - headroom(X, near, y[near]).floor < \
        room.best - room.floor
    assert headroom(X, far[:2], y[far[:2]]) is None
    flat = headroom(X, far, np.full(12, 0.5))  # every measured row scored the same
    assert flat.best == flat.expected == 0.5 and flat.floor == 0.0
