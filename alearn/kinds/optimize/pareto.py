"""The trade-offs between goals: the Pareto front of measured rows and its hypervolume.

A row is on the front when no other row is at least as good on every goal and
better on one (goals' directions from the file: ``+`` maximise, ``-`` minimise).

Hypervolume, as reported here, is a share in [0, 1]: each goal is normalised
over a set of rows (a session's measured rows; in a simulation the whole file,
as d2h is scored) so that its worst value is 0 and its best 1; the reference
point lies 10 % of each goal's range beyond its worst value (-0.1, the usual
slack so a row at the worst of one goal still counts); the number is the
volume the front dominates between the reference point and the ideal point
(1.1 on every goal), divided by that box's volume (1.1 ** goals). 1 would mean
one row best on every goal at once; a larger front that reaches further
toward the ideal point on any goal has a larger share. A goal with the same
value on every row has range 0: it is 1 (best) on each row, so it changes
neither the front nor the number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from alearn.kinds.optimize.goals import d2h

# How far beyond each goal's worst value the reference point lies, as a share of its range.
SLACK = 0.1


@dataclass(frozen=True)
class Front:
    """The Pareto front of some rows and its hypervolume.

    Attributes
    ----------
    rows : list of int
        Positions (into the rows given) of the rows on the front, best d2h first.
    hypervolume : float
        Share in [0, 1] of the box from the reference point to the ideal point
        that the front dominates (see the module's text).
    reference : dict
        Goal -> the reference value in the goal's own units.
    constant : list of str
        Goals with the same value on every row of the front (no trade-off with them).
    """

    rows: list[int]
    hypervolume: float
    reference: dict[str, float]
    constant: list[str] = field(default_factory=list)


def _signed(Y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Goal values turned so larger is better on every goal."""
    return np.where(np.asarray(weights) > 0.5, 1.0, -1.0) * np.asarray(Y, dtype=float)


def nondominated(Y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Which rows of ``Y`` no other row dominates.

    Parameters
    ----------
    Y : ndarray of shape (n, goals)
    weights : ndarray of shape (goals,)
        1 to maximise a goal, 0 to minimise it (as :func:`.goals.heaven`).

    Returns
    -------
    ndarray of bool, shape (n,)
        Rows with equal values are all kept (neither dominates the other).
    """
    S = _signed(Y, weights)
    keep = np.zeros(S.shape[0], dtype=bool)
    # Visited best-first in lexicographic order, a row can only be dominated by one
    # already kept: each row is compared with the front so far, not with every row.
    order = np.lexsort(tuple(-S[:, j] for j in reversed(range(S.shape[1]))))
    front: list[int] = []
    for i in order:
        F = S[front]
        if front and ((S[i] <= F).all(axis=1) & (S[i] < F).any(axis=1)).any():
            continue
        front.append(int(i))
        keep[i] = True
    return keep


def goodness(Y: np.ndarray, weights: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Goals normalised to 0 (worst of ``lo``..``hi``) .. 1 (best); a zero range is 1."""
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    span = np.where(hi > lo, hi - lo, 1.0)
    up = (np.asarray(Y, dtype=float) - lo) / span
    g = np.where(np.asarray(weights) > 0.5, up, 1.0 - up)
    return np.where(hi > lo, g, 1.0)


def dominated_volume(points: np.ndarray, reference: np.ndarray) -> float:
    """Exact volume dominated by ``points`` (larger is better) above ``reference``.

    Slices along the last goal (each slab is the volume of the points above it
    in one goal fewer): exact for any number of goals, fast for the two or
    three goals and the few dozen rows of a front here.
    """
    P = np.asarray(points, dtype=float)
    P = P[(reference < P).all(axis=1)]
    if P.shape[0] == 0:
        return 0.0
    if P.shape[1] == 1:
        return float(P[:, 0].max() - reference[0])
    P = P[np.argsort(-P[:, -1], kind="stable")]
    volume = 0.0
    for i in range(P.shape[0]):
        below = P[i + 1, -1] if i + 1 < P.shape[0] else reference[-1]
        height = P[i, -1] - below
        if height > 0:
            volume += height * dominated_volume(P[: i + 1, :-1], reference[:-1])
    return volume


def hypervolume(Y: np.ndarray, weights: np.ndarray, lo: np.ndarray | None = None,
                hi: np.ndarray | None = None) -> float:
    """Hypervolume share of the rows of ``Y`` normalised by ``lo``/``hi`` (default: the
    rows' own range); see the module's text for the normalisation and reference point."""
    Y = np.asarray(Y, dtype=float)
    if Y.shape[0] == 0:
        return 0.0
    lo = Y.min(axis=0) if lo is None else lo
    hi = Y.max(axis=0) if hi is None else hi
    G = goodness(Y[nondominated(Y, weights)], weights, lo, hi)
    m = Y.shape[1]
    return dominated_volume(G, np.full(m, -SLACK)) / (1.0 + SLACK) ** m


def front_by_d2h(Y: np.ndarray, weights: np.ndarray, lo: np.ndarray, hi: np.ndarray
                 ) -> np.ndarray:
    """Positions of the rows of ``Y`` on the front, best d2h (goals normalised by
    ``lo``/``hi``) first."""
    on = np.flatnonzero(nondominated(Y, weights))
    return on[np.argsort(d2h(Y[on], weights, lo, hi), kind="stable")]


def reference_point(weights: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The hypervolume's reference point in the goals' own units: :data:`SLACK` of each
    goal's ``lo``..``hi`` range beyond its worst value."""
    return np.where(np.asarray(weights) > 0.5, lo - SLACK * (hi - lo), hi + SLACK * (hi - lo))


def pareto_front(Y: np.ndarray, weights: np.ndarray, goals: list[str]) -> Front:
    """The front of the rows of ``Y``, normalised over those rows (a session's measured rows).

    Parameters
    ----------
    Y : ndarray of shape (n, goals)
    weights : ndarray of shape (goals,)
    goals : list of str
        The goals' names, in column order.

    Returns
    -------
    Front
        Its rows ordered by d2h over ``Y`` (the d2h choice first), its hypervolume,
        the reference point in goal units and the goals constant on the front.
    """
    Y = np.asarray(Y, dtype=float)
    if Y.shape[0] == 0:
        return Front(rows=[], hypervolume=0.0, reference={})
    lo, hi = Y.min(axis=0), Y.max(axis=0)
    # Ordered as own_d2h orders them: normalised over the rows' own range.
    rows = [int(r) for r in front_by_d2h(Y, weights, np.nanmin(Y, axis=0),
                                         np.nanmax(Y, axis=0))]
    worst = reference_point(weights, lo, hi)
    front = Y[rows]
    constant = [g for j, g in enumerate(goals) if np.all(front[:, j] == front[0, j])]
    return Front(rows=rows, hypervolume=hypervolume(Y, weights, lo, hi),
                 reference={g: float(v) for g, v in zip(goals, worst, strict=True)},
                 constant=constant)
