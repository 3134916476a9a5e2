"""One representative run's trade-offs (alearn.kinds.optimize.fronts): its measured rows
kept in results.csv, its front in summary.json, and the scatter of the --plot PNG."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from alearn.kinds.optimize.fronts import run_fronts
from alearn.kinds.optimize.pareto import SLACK, nondominated
from alearn.kinds.optimize.report import front_panels


def trade_csv(folder, goals=("Speed+", "Cost-")):
    rng = np.random.default_rng(1)
    x, y = rng.integers(0, 8, 60) / 8, rng.integers(0, 5, 60) / 5
    frame = pd.DataFrame({"x": x, "y": y, goals[0]: (x + 0.2 * y).round(3),
                          goals[1]: (x * x + y).round(3)})
    if len(goals) == 3:
        frame[goals[2]] = (x - y).round(3)
    path = folder / "trade.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_summary_holds_the_front_of_seed_0_with_its_d2h_choice_and_reference(tmp_path, cli):
    path, frame = trade_csv(tmp_path)
    out = tmp_path / "out"
    result = cli("run", path, "--seeds", 2, "--out", out, "--plot", tmp_path / "p.png")
    assert result.code == 0, result.out + result.err
    hv = json.loads((out / "summary.json").read_text())["optimize"]["hypervolume"]
    (run,) = hv["fronts"]
    assert "seed 0, the task's first strategy, its largest budget" in hv["fronts_note"]
    assert (run["strategy"], run["seed"], run["budget"]) == ("gpei", 0, 32)
    assert run["goals"] == {"Speed+": "max", "Cost-": "min"}
    # The reference point: 10 % of the file's range beyond each goal's worst value.
    speed, cost = frame["Speed+"], frame["Cost-"]
    assert run["reference"]["Speed+"] == pytest.approx(speed.min() - SLACK * np.ptp(speed))
    assert run["reference"]["Cost-"] == pytest.approx(cost.max() + SLACK * np.ptp(cost))
    # Every front row is the file's row with those values, none dominates another,
    # and the d2h choice comes first.
    for row in run["front"] + run["file_front"]:
        assert frame.loc[row["row"], "Speed+"] == row["Speed+"]
        assert frame.loc[row["row"], "Cost-"] == row["Cost-"]
    Y = np.array([[r["Speed+"], r["Cost-"]] for r in run["front"]])
    assert nondominated(Y, np.array([1.0, 0.0])).all()
    assert run["front"][0] == run["d2h_choice"]
    F = np.array([[r["Speed+"], r["Cost-"]] for r in run["file_front"]])
    assert nondominated(F, np.array([1.0, 0.0])).all()
    assert 0 < run["hypervolume"] <= 1
    # The same run is the seed-0 hv of results.csv at the largest budget.
    results = pd.read_csv(out / "results.csv")
    hv_32 = results[(results["metric"] == "hv") & (results["strategy"] == "gpei")
                    & (results["seed"] == 0) & (results["budget"] == 32)]["value"]
    assert run["hypervolume"] == pytest.approx(float(hv_32.iloc[0]))
    assert (results["metric"] == "measured_row").sum() == 32
    assert (out.parent / "p.png").stat().st_size > 0


def test_the_scatter_panel_says_which_way_is_better_and_report_draws_it(tmp_path, cli):
    path, _ = trade_csv(tmp_path)
    out = tmp_path / "out"
    assert cli("run", path, "--seeds", 1, "--out", out).code == 0
    results = pd.read_csv(out / "results.csv")
    (panel,) = front_panels(results)
    assert panel.xlabel == "Speed+ (higher is better)"
    assert panel.ylabel == "Cost- (lower is better)"
    assert "gpei seed 0, 32 measured" in panel.title
    styles = {p.style: p for p in panel.points}
    assert len(styles["measured"].x) == 32 and len(styles["choice"].x) == 1
    (run,) = run_fronts(results)
    assert styles["choice"].x == [run.Y[run.choice, 0]]
    png = tmp_path / "again.png"
    result = cli("report", out, "--plot", png)
    assert result.code == 0, result.err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_three_goals_have_a_front_in_the_summary_and_no_scatter(tmp_path, cli):
    path, _ = trade_csv(tmp_path, ("Speed+", "Cost-", "Gap-"))
    out = tmp_path / "out"
    assert cli("run", path, "--seeds", 1, "--out", out).code == 0
    (run,) = json.loads((out / "summary.json").read_text())["optimize"]["hypervolume"]["fronts"]
    assert set(run["goals"]) == {"Speed+", "Cost-", "Gap-"}
    assert front_panels(pd.read_csv(out / "results.csv")) == []


def test_one_goal_keeps_no_run(tmp_path, cli):
    path, frame = trade_csv(tmp_path)
    frame.drop(columns=["Cost-"]).to_csv(path, index=False)
    out = tmp_path / "out"
    assert cli("run", path, "--seeds", 1, "--out", out).code == 0
    results = pd.read_csv(out / "results.csv")
    assert not results["metric"].str.contains(":|_row").any()
    assert "hypervolume" not in json.loads((out / "summary.json").read_text())["optimize"]


def test_a_goal_spanning_orders_of_magnitude_is_drawn_on_a_log_scale(tmp_path, cli):
    # Cost spans 1 to 1000 (a few far-off rows), Speed stays within a factor of 3.
    rng = np.random.default_rng(2)
    x = rng.integers(0, 10, 60) / 10
    frame = pd.DataFrame({"x": x, "z": rng.integers(0, 4, 60), "Speed+": (1 + 2 * x).round(3),
                          "Cost-": np.where(x < 0.1, 1000.0, (1 + x).round(3))})
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    assert cli("run", path, "--seeds", 1, "--out", out).code == 0
    from alearn.run.plot import draw

    (panel,) = front_panels(pd.read_csv(out / "results.csv"))
    _, (ax,) = draw([panel])
    assert ax.get_yscale() == "log" and ax.get_ylabel().endswith(", log scale")
    assert ax.get_xscale() == "linear" and "log" not in ax.get_xlabel()
