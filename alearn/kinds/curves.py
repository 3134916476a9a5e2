"""Curves over seeds as plot lines: the mean at each budget and the band of the seeds' spread.

Shared by the kinds' panel builders (``kinds/*/report.py``); plain data only,
the drawing is :mod:`alearn.run.plot`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from alearn.kinds.base import BASELINE, Line, Panel, TaskBudgets, own_budgets


def seed_lines(curves: pd.DataFrame, y: str) -> list[Line]:
    """One line per strategy (the baseline last and dashed): the mean of ``y`` over
    seeds at each budget, and mean ± 1 sd over seeds as its band (none for one seed).

    Parameters
    ----------
    curves : DataFrame
        Columns ``strategy, seed, budget`` and ``y``, one row per seed and budget.
    y : str
        The column plotted.
    """
    strategies = sorted(s for s in curves["strategy"].unique() if s != BASELINE)
    if BASELINE in set(curves["strategy"]):
        strategies.append(BASELINE)
    lines = []
    for strategy in strategies:
        by_budget = curves[curves["strategy"] == strategy].groupby("budget")[y]
        mean, sd = by_budget.mean(), by_budget.std(ddof=1)
        band = sd.notna().any()
        lines.append(Line(
            str(strategy), [float(b) for b in mean.index], list(mean.to_numpy(dtype=float)),
            dashed=strategy == BASELINE,
            low=list((mean - sd).to_numpy(dtype=float)) if band else [],
            high=list((mean + sd).to_numpy(dtype=float)) if band else []))
    return lines


def mean_over_tasks(curves: pd.DataFrame, y: str) -> pd.DataFrame:
    """Per strategy, seed and budget the mean of ``y`` over tasks (so a band is still
    the spread over seeds), up to the last budget every task reaches: past it the
    mean would be over fewer tasks and jump."""
    common = curves.groupby("task")["budget"].max().min()
    shared = curves[curves["budget"] <= common]
    return shared.groupby(["strategy", "seed", "budget"], as_index=False)[y].mean()


def seeds_title(name: str, curves: pd.DataFrame) -> str:
    """``name`` and how many seeds its curves average (a range when tasks differ)."""
    counts = curves.groupby("task")["seed"].nunique() if len(curves) else pd.Series([0])
    low, high = int(counts.min()), int(counts.max())
    seeds = f"{low}" if low == high else f"{low}–{high}"
    return f"{name} · {seeds} seed{'' if high == 1 else 's'}"


def budget_marks(budgets: TaskBudgets | None, tasks: Iterable[str],
                 default: Sequence[int]) -> list[float]:
    """The budgets to mark for ``tasks``: theirs, or ``default`` when not recorded."""
    own = own_budgets(budgets, tasks)
    return [float(b) for b in (own if own is not None else default)]


def task_panels(curves: pd.DataFrame, *, kind: str, ylabel: str, summary: str,
                budgets: TaskBudgets | None, default: Sequence[int],
                floor: pd.Series | None = None) -> list[Panel]:
    """One panel of ``curves["pct"]`` against labels per task (mean and spread over
    seeds, a reference line at 100), after the mean over tasks (titled ``summary``)
    when there are several; the first has the legend, each marks its task's budgets
    (``default`` where not recorded). ``floor``: per task, the level to beat."""
    tasks = sorted(curves["task"].unique())
    known = floor if floor is not None else pd.Series(dtype=float)
    panels = []
    if len(tasks) > 1:
        mean = mean_over_tasks(curves, "pct")
        panels.append(Panel(title=seeds_title(summary, curves), xlabel="labels", ylabel=ylabel,
                            lines=seed_lines(mean, "pct"), kind=kind, hline=100,
                            floor=float(known.mean()) if len(known) == len(tasks) else None,
                            marks=budget_marks(budgets, tasks, default)))
    for task in tasks:
        block = curves[curves["task"] == task]
        panels.append(Panel(title=seeds_title(str(task), block), xlabel="labels",
                            ylabel=ylabel, lines=seed_lines(block, "pct"), task=str(task),
                            kind=kind, hline=100,
                            floor=float(known[task]) if task in known.index else None,
                            marks=budget_marks(budgets, [task], default)))
    for panel in panels[1:]:
        panel.legend = False
    return panels
