"""The trade-offs an optimize session shows at its end: the Pareto front, its
hypervolume, a scatter for two goals and the pairs for three (through the CLI)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest


def goal_file(path, goals):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"A": rng.random(30).round(3), "B": rng.random(30).round(3)})
    for goal in goals:
        frame[goal] = rng.random(30).round(3)
    frame.to_csv(path, index=False)
    return path


def session_end(cli, monkeypatch, path, typed):
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{t}\n" for t in typed) + "q\n"))
    result = cli("label", path, "--store", path.with_suffix(".db"), "--annotator", "a")
    assert result.code == 0, result.err
    assert "Traceback" not in result.out + result.err
    return " ".join(result.out.split())


def test_two_goals_front_table_hypervolume_and_scatter(tmp_path, cli, monkeypatch):
    shown = session_end(cli, monkeypatch, goal_file(tmp_path / "g.csv", ["Speed+", "Cost-"]),
                        ["1 5", "2 3", "3 4", "0.5 1", "2.5 2"])
    # (1, 5) and... : (2, 3) is dominated by (2.5, 2); (1, 5) by (3, 4).
    assert "trade-offs: 3 rows on the Pareto front of 5 measured rows" in shown
    assert "hypervolume 0.711" in shown
    assert "reference point (Speed+ 0.25, Cost- 5.4" in shown
    # The d2h choice (2.5, 2) is marked first in the table and on the scatter.
    table = shown.split("trade-offs:")[1]
    assert table.index("* ") < table.index(" 2.5 2 ") < table.index(" 3 4 ")
    assert "Cost- (lower is better)" in shown and "Speed+ (higher is better)" in shown
    assert "* the d2h choice o the front . other measured rows" in shown


def test_three_goals_pairs_and_a_goal_constant_on_the_front(tmp_path, cli, monkeypatch):
    shown = session_end(cli, monkeypatch,
                        goal_file(tmp_path / "g.csv", ["Speed+", "Cost-", "Size-"]),
                        ["1 3 2", "2 4 2", "0 6 3"])
    assert "trade-offs: 2 rows on the Pareto front of 3 measured rows" in shown
    assert "note: Size- is 2 on every row of the front: no trade-off with it" in shown
    assert "Speed+ vs Cost-" in shown and "Cost- vs Size-" in shown
    assert "lower is better" not in shown  # no scatter for three goals


@pytest.mark.parametrize(("typed", "note"), [
    (["1 5", "2 5", "3 5"], "note: one row is best on every goal, so the front is that row alone"),
    (["1 5", "1 5", "1 5"], "note: Speed+ is 1 on every row of the front: no trade-off with it "
                            "note: Cost- is 5 on every row of the front"),
])
def test_a_goal_constant_on_the_front_is_a_note(tmp_path, cli, monkeypatch, typed, note):
    shown = session_end(cli, monkeypatch, goal_file(tmp_path / "g.csv", ["Speed+", "Cost-"]),
                        typed)
    assert note in shown
    assert "hypervolume 1.000" in shown


def test_no_front_with_one_goal_or_below_three_rows(tmp_path, cli, monkeypatch):
    one = session_end(cli, monkeypatch, goal_file(tmp_path / "one.csv", ["Speed+"]),
                      ["1", "2", "3"])
    two = session_end(cli, monkeypatch, goal_file(tmp_path / "two.csv", ["Speed+", "Cost-"]),
                      ["1 5", "2 3"])
    assert "Pareto" not in one and "Pareto" not in two
