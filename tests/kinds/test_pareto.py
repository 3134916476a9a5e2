"""The Pareto front and hypervolume of measured rows (alearn.kinds.optimize.pareto)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from alearn.kinds.optimize.pareto import (
    SLACK,
    dominated_volume,
    hypervolume,
    nondominated,
    pareto_front,
)


def brute_volume(points: np.ndarray, reference: np.ndarray) -> float:
    """Exact dominated volume on the grid of the points' coordinates (every cell whose
    far corner some point dominates)."""
    axes = [np.unique(np.concatenate([[r], points[:, j]])) for j, r in enumerate(reference)]
    volume = 0.0
    for cell in itertools.product(*(range(len(a) - 1) for a in axes)):
        upper = np.array([axes[j][c + 1] for j, c in enumerate(cell)])
        if (points >= upper).all(axis=1).any():
            volume += float(np.prod([axes[j][c + 1] - axes[j][c] for j, c in enumerate(cell)]))
    return volume


@pytest.mark.parametrize("goals", [2, 3])
def test_dominated_volume_matches_brute_force(goals: int) -> None:
    rng = np.random.default_rng(goals)
    for _ in range(20):
        P = rng.random((int(rng.integers(1, 12)), goals))
        ref = np.full(goals, -0.1)
        assert dominated_volume(P, ref) == pytest.approx(brute_volume(P, ref))


def test_known_two_goal_volume() -> None:
    # Staircase (1,3), (2,2), (3,1) over (0,0): 3 + 2 + 1 = 6.
    assert dominated_volume(np.array([[1, 3], [2, 2], [3, 1.0]]), np.zeros(2)) == 6.0


def test_front_with_directions() -> None:
    # acc+ (maximise), cost- (minimise)
    Y = np.array([[0.9, 10], [0.8, 5], [0.7, 7], [0.9, 12], [0.5, 1]])
    w = np.array([1.0, 0.0])
    assert nondominated(Y, w).tolist() == [True, True, False, False, True]
    front = pareto_front(Y, w, ["acc+", "cost-"])
    assert sorted(front.rows) == [0, 1, 4]
    assert front.rows[0] == 1  # the d2h choice first: (0.8, 5) is nearest to (0.9, 1)
    assert front.reference == pytest.approx({"acc+": 0.5 - SLACK * 0.4, "cost-": 12 + SLACK * 11})
    assert 0 < front.hypervolume < 1
    assert front.constant == []


def test_one_best_row_fills_the_box() -> None:
    Y = np.array([[1.0, 0.0], [0.0, 5.0], [0.5, 2.0]])
    assert hypervolume(Y, np.array([1.0, 0.0])) == pytest.approx(1.0)


def test_constant_goal_changes_nothing() -> None:
    Y = np.array([[0.9, 10, 3], [0.8, 5, 3], [0.7, 7, 3]])
    w = np.array([1.0, 0.0, 0.0])
    front = pareto_front(Y, w, ["a+", "b-", "c-"])
    assert front.constant == ["c-"]
    assert front.hypervolume == pytest.approx(hypervolume(Y[:, :2], w[:2]))


def test_equal_rows_are_both_on_the_front() -> None:
    Y = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    assert nondominated(Y, np.ones(2)).tolist() == [True, True, False]


def test_nondominated_matches_pairwise_comparison() -> None:
    rng = np.random.default_rng(7)
    for goals in (2, 3):
        Y = rng.integers(0, 6, (60, goals)).astype(float)  # ties on purpose
        w = (rng.random(goals) > 0.5).astype(float)
        S = np.where(w > 0.5, 1.0, -1.0) * Y
        dominated = [any((S[j] >= S[i]).all() and (S[j] > S[i]).any() for j in range(60))
                     for i in range(60)]
        assert nondominated(Y, w).tolist() == [not d for d in dominated]


def test_run_reports_hypervolume_for_two_goals(tmp_path, cli) -> None:
    import json

    rng = np.random.default_rng(1)
    x = rng.integers(0, 8, 60) / 8
    path = tmp_path / "trade.csv"
    y = rng.integers(0, 5, 60) / 5
    lines = [f"{a},{b},{a + 0.2 * b:.3f},{a * a + b:.3f}\n" for a, b in zip(x, y, strict=True)]
    path.write_text("x,y,Speed+,Cost-\n" + "".join(lines))
    out = tmp_path / "out"
    result = cli("run", path, "--seeds", 2, "--out", out)
    assert result.code == 0, result.out + result.err
    assert "Trade-offs: hypervolume of the measured rows' Pareto front" in " ".join(
        result.out.split())
    hv = json.loads((out / "summary.json").read_text())["optimize"]["hypervolume"]
    assert "reference point 10% of each goal's range beyond its worst" in hv["note"]
    rows = hv["per_task"]
    assert {(r["strategy"], r["budget"]) for r in rows} == {
        (s, b) for s in ("gpei", "random") for b in (8, 16, 32)}
    assert all(0 < r["hv"] <= r["hv_all"] <= 1 for r in rows)
    assert all(r["wins"] + r["ties"] + r["losses"] == 2 for r in rows)
