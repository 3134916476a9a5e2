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
