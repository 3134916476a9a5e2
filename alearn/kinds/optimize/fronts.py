"""The trade-offs of one representative run of a task with two or more goals.

A simulation keeps, for each task of two or more goals, the rows measured by
one run: **seed 0, the task's first strategy (its default), up to its largest
budget**; and the whole file's Pareto front, each goal's range over the file
and its direction. They are tidy rows of ``results.csv`` (seed 0):

- strategy ``all-rows``: ``lo:GOAL`` / ``hi:GOAL`` (the goal's range over the
  file) and ``heaven:GOAL`` (1 maximise, 0 minimise), at budget = the goal's
  column position (1 first); ``front_row`` and ``front:GOAL`` at budget 1, 2, …
  along the file's front (best file-wide d2h first);
- the first strategy: ``measured_row`` and ``measured:GOAL`` at budget 1, 2, …
  in the order the rows were measured.

A ``*_row`` value is the row's position among the data file's rows (0 the
first). :func:`run_fronts` reads them back: the run's front (normalised over
the file, as the hypervolume), the d2h choice (the measured row the session
would report: d2h over the measured rows only), the reference point in goal
units and the run's hypervolume, for ``summary.json`` and the ``--plot`` scatter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alearn.kinds.optimize.goals import own_d2h
from alearn.kinds.optimize.pareto import front_by_d2h, hypervolume, reference_point

REFERENCE = "all-rows"  # as simulate.REFERENCE (simulate imports this module)
SEED = 0  # the representative run's seed


def file_rows(name: str, Y: np.ndarray, w: np.ndarray, goals: list[str],
              at: np.ndarray) -> list[tuple]:
    """The file's goal ranges, directions and front, as tidy rows (seed 0).

    Parameters
    ----------
    name : str
        The task.
    Y : ndarray of shape (rows, goals)
        Every row's goal values.
    w : ndarray
        Heaven per goal (1 maximise, 0 minimise).
    goals : list of str
    at : ndarray of int
        Each row's position among the data file's rows.
    """
    lo, hi = Y.min(axis=0), Y.max(axis=0)
    rows: list[tuple] = []
    for j, goal in enumerate(goals, 1):
        rows += [(name, REFERENCE, SEED, j, f"lo:{goal}", float(lo[j - 1])),
                 (name, REFERENCE, SEED, j, f"hi:{goal}", float(hi[j - 1])),
                 (name, REFERENCE, SEED, j, f"heaven:{goal}", float(w[j - 1]))]
    for k, r in enumerate(front_by_d2h(Y, w, lo, hi), 1):
        rows.append((name, REFERENCE, SEED, k, "front_row", float(at[r])))
        rows += [(name, REFERENCE, SEED, k, f"front:{g}", float(Y[r, j]))
                 for j, g in enumerate(goals)]
    return rows


def run_rows(name: str, strategy: str, labeled: list[int], Y: np.ndarray, goals: list[str],
             at: np.ndarray) -> list[tuple]:
    """The measured rows (``labeled``, in order) of the representative run as tidy rows
    (``Y``, ``goals``, ``at`` as :func:`file_rows`)."""
    rows: list[tuple] = []
    for k, r in enumerate(labeled, 1):
        rows.append((name, strategy, SEED, k, "measured_row", float(at[r])))
        rows += [(name, strategy, SEED, k, f"measured:{g}", float(Y[r, j]))
                 for j, g in enumerate(goals)]
    return rows


@dataclass(frozen=True)
class RunFront:
    """One task's representative run and its trade-offs.

    Attributes
    ----------
    task, strategy : str
    budget : int
        Rows it measured.
    goals : dict
        Goal -> ``"max"`` or ``"min"``, in column order.
    rows : ndarray of int
        The measured rows' positions in the data file, in the order measured.
    Y : ndarray of shape (budget, goals)
        Their goal values.
    front : list of int
        Indices into ``rows`` of its Pareto front, the d2h choice first, then by d2h.
    choice : int
        Index into ``rows`` of the d2h choice (d2h over the measured rows only).
    file_rows : ndarray of int
    file_Y : ndarray
        The whole file's front, best file-wide d2h first.
    reference : dict
        Goal -> the reference point's value (10 % of the file's range beyond its worst).
    hypervolume : float
        Of the run's front, goals normalised over the file (as ``hv`` in results.csv).
    """

    task: str
    strategy: str
    budget: int
    goals: dict[str, str]
    rows: np.ndarray
    Y: np.ndarray
    front: list[int]
    choice: int
    file_rows: np.ndarray
    file_Y: np.ndarray
    reference: dict[str, float]
    hypervolume: float

    def to_dict(self) -> dict:
        """Plain data for ``summary.json``."""

        def row(position: float, values: np.ndarray) -> dict:
            return {"row": int(position), **{g: float(v) for g, v in
                                             zip(self.goals, values, strict=True)}}

        return {"task": self.task, "strategy": self.strategy, "seed": SEED,
                "budget": self.budget, "goals": self.goals, "reference": self.reference,
                "hypervolume": self.hypervolume,
                "d2h_choice": row(self.rows[self.choice], self.Y[self.choice]),
                "front": [row(self.rows[k], self.Y[k]) for k in self.front],
                "file_front": [row(r, v) for r, v in zip(self.file_rows, self.file_Y,
                                                          strict=True)]}


def run_fronts(results: pd.DataFrame) -> list[RunFront]:
    """Every task's representative run (tasks of two or more goals run since these rows
    were kept; others have none), in task order."""
    kept = results[(results["seed"] == SEED) & results["metric"].isin(["measured_row",
                                                                        "front_row"])]
    found = []
    for task in sorted(kept["task"].unique()):
        mine = results[(results["task"] == task) & (results["seed"] == SEED)]
        found.append(_run_front(task, mine))
    return found


def _wide(block: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """``prefix:GOAL`` rows as a budget x goal table."""
    part = block[block["metric"].str.startswith(prefix + ":")]
    return part.assign(goal=part["metric"].str.slice(len(prefix) + 1)).pivot_table(
        index="budget", columns="goal", values="value", aggfunc="first")


def _run_front(task: str, mine: pd.DataFrame) -> RunFront:
    ref = mine[mine["strategy"] == REFERENCE]
    heaven = ref[ref["metric"].str.startswith("heaven:")].sort_values("budget")
    goals = {m.split(":", 1)[1]: "max" if v > 0.5 else "min"
             for m, v in zip(heaven["metric"], heaven["value"], strict=True)}
    names = list(goals)
    w = heaven["value"].to_numpy(dtype=float)
    lo = _wide(ref, "lo").max()[names].to_numpy(dtype=float)
    hi = _wide(ref, "hi").max()[names].to_numpy(dtype=float)
    run = mine[(mine["strategy"] != REFERENCE) & (mine["metric"] == "measured_row")]
    strategy = str(run["strategy"].iloc[0])
    measured = mine[mine["strategy"] == strategy]
    Y = _wide(measured, "measured")[names].to_numpy(dtype=float)
    rows = run.sort_values("budget")["value"].to_numpy(dtype=int)
    choice = int(np.argmin(own_d2h(Y, w)))
    # Best own d2h first, so the d2h choice leads (it is the first row of least d2h).
    front = [int(k) for k in front_by_d2h(Y, w, np.nanmin(Y, axis=0), np.nanmax(Y, axis=0))]
    file_front = ref[ref["metric"] == "front_row"].sort_values("budget")
    worst = reference_point(w, lo, hi)
    return RunFront(task=task, strategy=strategy, budget=len(rows), goals=goals, rows=rows,
                    Y=Y, front=front, choice=choice,
                    file_rows=file_front["value"].to_numpy(dtype=int),
                    file_Y=_wide(ref, "front")[names].to_numpy(dtype=float),
                    reference={g: float(v) for g, v in zip(names, worst, strict=True)},
                    hypervolume=hypervolume(Y, w, lo, hi))
