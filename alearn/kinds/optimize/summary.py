"""% optimal of optimize tasks, per task and over tasks, paired with random."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from alearn.jsondata import json_records
from alearn.kinds.base import BASELINE, TaskBudgets, own_budgets
from alearn.kinds.optimize.fronts import RunFront, run_fronts
from alearn.kinds.optimize.simulate import REFERENCE

HV_NOTE = ("hv: mean over repeats of the hypervolume of the measured rows' Pareto front, goals "
           "normalised over the whole file (0 worst, 1 best), reference point 10% of each "
           "goal's range beyond its worst value, as a share of the box up to the ideal point; "
           "hv_all: the whole file's front; pct: 100 * hv / hv_all; W/T/L paired over repeats "
           "against random")
FRONTS_NOTE = ("fronts: one representative run per task (seed 0, the task's first strategy, "
               "its largest budget): the Pareto front of its measured rows (row = position "
               "among the data file's rows, 0 the first; the d2h choice first), the d2h choice "
               "(d2h over the measured rows, what a session reports), the whole file's front, "
               "the reference point in goal units (10% of each goal's range over the file "
               "beyond its worst value) and the run's hypervolume (goals normalised over the "
               "file, as hv)")

# Reported when a bare results.csv does not say which budgets its tasks had.
DEFAULT_BUDGETS = (8, 16, 32)


@dataclass
class OptSummary:
    """% optimal per task, strategy and budget, and over tasks.

    Attributes
    ----------
    budgets : list of int
    per_task : DataFrame
        ``task, strategy, budget, most, pct, wins, ties, losses``: ``most`` is the
        mean over repeats of the best labeled row's d2h; ``pct`` = 100 · (mean d2h
        − most) / (mean d2h − min d2h); W/T/L paired over repeats against random.
    overall : DataFrame
        ``strategy, budget, tasks, pct_mean`` (mean of per-task %), ``pct_ratio``
        (100 · Σ(mean − most) / Σ(mean − min)) and summed W/T/L.
    """

    budgets: list[int]
    per_task: pd.DataFrame
    overall: pd.DataFrame
    hypervolume: pd.DataFrame | None = None
    fronts: list[RunFront] | None = None

    def to_dict(self) -> dict:
        """Plain nested data for the JSON summary (``hypervolume`` only with tasks of
        two or more goals)."""
        document = {"budgets": self.budgets, "per_task": json_records(self.per_task),
                    "overall": json_records(self.overall)}
        if self.hypervolume is not None:
            document["hypervolume"] = {"note": HV_NOTE,
                                       "per_task": json_records(self.hypervolume)}
            if self.fronts:
                document["hypervolume"].update(
                    fronts_note=FRONTS_NOTE, fronts=[f.to_dict() for f in self.fronts])
        return document


def optimize_budgets(results: pd.DataFrame, budgets: TaskBudgets | None) -> list[int]:
    """The budgets the optimize tasks in ``results`` report: their own (from ``budgets``),
    else those of 8, 16 and 32 that were reached (else every one reached)."""
    tasks = results.loc[results["strategy"] == REFERENCE, "task"].unique()
    own = own_budgets(budgets, tasks)
    if own is not None:
        return own
    reached = set(results.loc[results["task"].isin(tasks) & (results["metric"] == "d2h"),
                              "budget"])
    return [b for b in DEFAULT_BUDGETS if b in reached] or sorted(int(b) for b in reached)


def summarize_optimize(results: pd.DataFrame,
                       budgets: Sequence[int] | None = None) -> OptSummary | None:
    """Summarise the optimize tasks in tidy results (``None`` when there are none),
    at ``budgets`` (default: :func:`optimize_budgets` of the results alone)."""
    ref = results[results["strategy"] == REFERENCE]
    if ref.empty:
        return None
    if budgets is None:
        budgets = optimize_budgets(results, None)
    mu = ref[ref["metric"] == "d2h_mean"].groupby("task")["value"].first()
    lo = ref[ref["metric"] == "d2h_min"].groupby("task")["value"].first()
    runs = results[(results["metric"] == "d2h") & results["budget"].isin(budgets)]
    # A budget no task reached is left out, not reported empty.
    budgets = sorted(int(b) for b in set(runs["budget"]))
    wide = runs.pivot_table(index=["task", "budget", "seed"], columns="strategy",
                            values="value", aggfunc="first")
    rows = []
    for (task, budget), block in wide.groupby(level=["task", "budget"]):
        for strategy in block.columns:
            most = block[strategy].mean()
            d = block[BASELINE].to_numpy() - block[strategy].to_numpy()  # > 0: closer to heaven
            rows.append({"task": task, "strategy": strategy, "budget": int(budget),
                         "most": most, "pct": 100.0 * (mu[task] - most) / (mu[task] - lo[task]),
                         "wins": int((d > 1e-12).sum()), "ties": int((abs(d) <= 1e-12).sum()),
                         "losses": int((d < -1e-12).sum())})
    per_task = pd.DataFrame(rows)
    per_task["gap"] = per_task["task"].map(mu - lo)
    per_task["gained"] = per_task["task"].map(mu) - per_task["most"]
    overall = per_task.groupby(["strategy", "budget"]).agg(
        tasks=("task", "nunique"), pct_mean=("pct", "mean"), gained=("gained", "sum"),
        gap=("gap", "sum"), wins=("wins", "sum"), ties=("ties", "sum"),
        losses=("losses", "sum")).reset_index()
    overall["pct_ratio"] = 100.0 * overall["gained"] / overall["gap"]
    overall = overall.drop(columns=["gained", "gap"])
    per_task = per_task.drop(columns=["gap", "gained"])
    rank = {s: (s == BASELINE) for s in overall["strategy"]}
    overall = overall.sort_values(["strategy", "budget"], key=lambda c: c.map(rank)
                                  if c.name == "strategy" else c, kind="stable")
    return OptSummary(budgets=list(budgets), per_task=per_task.reset_index(drop=True),
                      overall=overall.reset_index(drop=True),
                      hypervolume=summarize_hypervolume(results, budgets),
                      fronts=run_fronts(results))


def summarize_hypervolume(results: pd.DataFrame, budgets: Sequence[int]) -> pd.DataFrame | None:
    """Hypervolume per task (of two or more goals), strategy and budget: ``hv`` (mean over
    repeats), ``hv_all`` (the file's front), ``pct`` and W/T/L against random; ``None``
    without such tasks."""
    whole = results[results["metric"] == "hv_all"].groupby("task")["value"].first()
    runs = results[(results["metric"] == "hv") & results["budget"].isin(budgets)]
    if runs.empty:
        return None
    wide = runs.pivot_table(index=["task", "budget", "seed"], columns="strategy",
                            values="value", aggfunc="first")
    rows = []
    for (task, budget), block in wide.groupby(level=["task", "budget"]):
        for strategy in block.columns:
            d = block[strategy].to_numpy() - block[BASELINE].to_numpy()  # > 0: larger
            hv = float(block[strategy].mean())
            rows.append({"task": task, "strategy": strategy, "budget": int(budget), "hv": hv,
                         "hv_all": float(whole[task]), "pct": 100.0 * hv / float(whole[task]),
                         "wins": int((d > 1e-12).sum()), "ties": int((abs(d) <= 1e-12).sum()),
                         "losses": int((d < -1e-12).sum())})
    return pd.DataFrame(rows)
