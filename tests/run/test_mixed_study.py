"""A study that mixes kinds: `run`, `report` and `--plot` show every task at its own budgets."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import blobs_frame, toml_value

from alearn.run.outputs import read_results, read_task_budgets
from alearn.run.plot import draw, run_panels


def _task(folder: Path, frame: pd.DataFrame, **keys: object) -> None:
    folder.mkdir(parents=True)
    frame.to_csv(folder / "data.csv", index=False)
    lines = ['data = "data.csv"', *(f"{k} = {toml_value(v)}" for k, v in keys.items())]
    (folder / "task.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _goals(n: int = 80, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a, b = rng.random(n), rng.random(n)
    return pd.DataFrame({"A": a, "B": b, "Speed+": a + 0.1 * rng.random(n), "Cost-": a + b})


def _rare(n: int = 150, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    relevant = np.zeros(n, dtype=bool)
    relevant[rng.choice(n, 10, replace=False)] = True
    return pd.DataFrame({"a": rng.normal(size=n) + 2.5 * relevant, "b": rng.normal(size=n),
                         "decision": np.where(relevant, "yes", "no")})


@pytest.fixture
def mixed_study(tmp_path: Path) -> Path:
    """Two classify, one optimize and one screen task, each kind with budgets of its own
    (the screen task's 30 is a budget no other task reaches)."""
    study = tmp_path / "study"
    _task(study / "blobs", blobs_frame(), budgets=[4, 8], strategies=["margin"])
    _task(study / "blobs3", blobs_frame(seed=3, classes=3), budgets=[4, 8, 12],
          strategies=["margin"])
    _task(study / "goals", _goals(), kind="optimize", budgets=[6, 12])
    _task(study / "rare", _rare(), kind="screen", target="decision", positive="yes",
          budgets=[8, 30])
    return study


def test_a_study_mixing_kinds_runs_reports_and_plots(cli, mixed_study, tmp_path):
    out = tmp_path / "out"
    run = cli("run", mixed_study, "--seeds", 2, "--jobs", 1, "--out", out,
              "--plot", out / "curves.png")
    assert run.code == 0, run.err
    # Each kind's tables, at its own tasks' budgets.
    assert "blobs: ceiling accuracy" in run.out and "blobs3: ceiling accuracy" in run.out
    assert "Optimize tasks: % optimal" in run.out and "rare: screening 150 rows" in run.out
    assert "@30" not in run.out and "recall after 30 labels" in run.out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["optimize"]["budgets"] == [6, 12]
    assert summary["summaries"]["accuracy"]["budgets"] == [4, 8, 12]
    assert summary["screen"]["budgets"] == [8, 30]
    assert (out / "curves.png").stat().st_size > 10_000

    again = cli("report", out, "--plot", tmp_path / "again.png")
    assert again.code == 0, again.err
    assert again.out == run.out
    assert (tmp_path / "again.png").stat().st_size > 10_000

    panels = run_panels(read_results(out), read_task_budgets(out))
    # Last, the screen's recall chart of one seed (relevant found, the advice's estimate).
    chart = panels.pop()
    assert chart.ylabel == "relevant records" and chart.title.startswith("rare · certainty")
    # The two-goal task's trade-offs: a scatter of one run, after its % optimal panel.
    scatter = [p for p in panels if p.points]
    assert [(p.task, p.kind) for p in scatter] == [("goals", "optimize")]
    panels = [p for p in panels if not p.points]
    by_task = {p.task: p for p in panels}
    assert [p.task for p in panels] == [None, "blobs", "blobs3", "goals", "rare"]
    assert [p.kind for p in panels] == ["classify"] * 3 + ["optimize", "screen"]
    assert by_task["goals"].marks == [6, 12] and by_task["rare"].marks == [8, 30]
    assert by_task["blobs3"].marks == [4, 8, 12]
    assert all(p.title.endswith("· 2 seeds") for p in panels)
    # Two seeds: every line has its band.
    assert all(len(line.low) == len(line.x) for p in panels for line in p.lines)
    # The first panel of each kind carries the legend (each names its own strategies).
    assert [p.legend for p in panels] == [True, False, False, True, True]


def test_the_plot_shows_every_task_and_shares_the_axis_of_a_measure(cli, mixed_study,
                                                                    tmp_path):
    out = tmp_path / "out"
    assert cli("run", mixed_study, "--seeds", 1, "--jobs", 1, "--out", out).code == 0
    panels = run_panels(read_results(out), read_task_budgets(out))
    fig, axes = draw(panels)
    classify = [ax for p, ax in zip(panels, axes, strict=True) if p.kind == "classify"]
    other = [ax for p, ax in zip(panels, axes, strict=True) if p.kind != "classify"]
    shared = classify[0].get_shared_y_axes()
    assert all(shared.joined(classify[0], ax) for ax in classify[1:])
    assert not any(shared.joined(classify[0], ax) for ax in other)
    assert not shared.joined(other[0], other[1])  # % optimal and recall
    # One seed: no band to draw (the recall chart's band is the estimate's bound).
    assert not any(line.low for p in panels for line in p.lines
                   if p.ylabel != "relevant records")
    plt.close(fig)


def test_a_mean_over_tasks_stops_where_a_task_ends(cli, mixed_study, tmp_path):
    out = tmp_path / "out"
    assert cli("run", mixed_study, "--seeds", 1, "--jobs", 1, "--out", out).code == 0
    mean = run_panels(read_results(out), read_task_budgets(out))[0]
    assert mean.title == "mean of 2 tasks · 1 seed"
    assert {max(line.x) for line in mean.lines} == {8}  # blobs ends at 8, blobs3 at 12


def test_report_without_a_summary_marks_each_kinds_default_budgets(cli, mixed_study,
                                                                   tmp_path):
    out = tmp_path / "out"
    assert cli("run", mixed_study, "--seeds", 1, "--jobs", 1, "--out", out).code == 0
    bare = tmp_path / "bare" / "results.csv"
    bare.parent.mkdir()
    bare.write_bytes((out / "results.csv").read_bytes())
    shown = cli("report", bare, "--plot", tmp_path / "bare.png")
    assert shown.code == 0, shown.err
    assert "@8" in shown.out and "@30" not in shown.out  # optimize reached 8 of 8/16/32
    panels = run_panels(read_results(bare), None)
    assert {p.task: p.marks for p in panels if p.task == "goals" and not p.points} == {
        "goals": [8, 16, 32]}


def _classify_results(tasks: int, seeds: int = 2, last: int = 8) -> pd.DataFrame:
    """Tidy classify results of many tasks, as `alearn run` writes them."""
    rng = np.random.default_rng(0)
    rows = []
    for t in range(tasks):
        for seed in range(seeds):
            rows.append((f"t{t:02d}", "all-labels", seed, 100, "accuracy", 0.9))
            for strategy in ("margin", "random"):
                rows += [(f"t{t:02d}", strategy, seed, b, "accuracy",
                          float(min(0.9, 0.3 + 0.07 * b + 0.05 * rng.random())))
                         for b in range(1, last + 1)]
    return pd.DataFrame(rows, columns=["task", "strategy", "seed", "budget", "metric", "value"])


def test_a_study_of_many_classify_tasks_plots_every_one(cli, tmp_path):
    # Twelve panels were the most: the mean and the first 11 of 14 tasks.
    results = tmp_path / "r" / "results.csv"
    results.parent.mkdir()
    _classify_results(14).to_csv(results, index=False, lineterminator="\n")
    shown = cli("report", results, "--plot", tmp_path / "many.png")
    assert shown.code == 0, shown.err
    panels = run_panels(read_results(results))
    assert [p.task for p in panels] == [None, *(f"t{t:02d}" for t in range(14))]
    assert panels[0].title == "mean of 14 tasks · 2 seeds"
    assert all(p.marks == [8, 16, 32] for p in panels)  # the kind's, none recorded
    fig, axes = draw(panels)
    assert len(axes) == 15 and [ax.get_title() for ax in axes] == [p.title for p in panels]
    assert sum(ax.axison for ax in fig.axes) == 15  # a 4 x 4 grid, the last cell blank
    plt.close(fig)
