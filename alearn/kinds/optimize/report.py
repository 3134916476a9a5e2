"""What ``alearn run``/``report`` show for optimize tasks: % optimal tables as plain data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alearn.counting import counted
from alearn.kinds.base import BASELINE, Column, Panel, Points, TableData, TaskBudgets
from alearn.kinds.curves import task_panels
from alearn.kinds.optimize.fronts import SEED, run_fronts
from alearn.kinds.optimize.simulate import REFERENCE
from alearn.kinds.optimize.summary import DEFAULT_BUDGETS, OptSummary


def optimize_tables(summary: OptSummary, per_task: bool = True) -> list[TableData]:
    """% optimal per optimize task and over tasks.

    % optimal = 100 · (mean d2h − d2h of the best labeled row) / (mean d2h −
    min d2h), averaged over repeats; over tasks both the mean of per-task values
    and the ratio of sums; W/T/L paired over repeats against random.
    """
    budgets = summary.budgets
    tables = []
    if per_task:
        wide = summary.per_task.pivot_table(index=["task", "strategy"], columns="budget",
                                            values="pct", sort=False)
        rows = []
        for i, ((task, strategy), row) in enumerate(wide.iterrows()):
            first = i == 0 or wide.index[i - 1][0] != task
            # A task whose budgets end sooner than another's has no value there.
            rows.append([task if first else "", strategy,
                         *["" if pd.isna(row.get(b)) else f"{row[b]:.1f}" for b in budgets]])
        tables.append(TableData(
            title="Optimize tasks: % optimal of the best labeled row",
            columns=[Column("task", "left", False), Column("strategy", "left", False),
                     *(Column(f"@{b}", no_wrap=False) for b in budgets)], rows=rows))
    n = int(summary.overall["tasks"].max())
    table = TableData(
        title=f"All {counted(n, 'optimize task')}: % optimal (mean of files / ratio of sums)",
        columns=[Column(name, "left" if name == "strategy" else "right", False)
                 for name in ("strategy", "labels", "% optimal", "ratio of sums", "W/T/L")],
        rows=[], caption="W/T/L: paired over repeats vs random")
    for strategy, rows_ in summary.overall.groupby("strategy", sort=False):
        for i, (_, row) in enumerate(rows_.iterrows()):
            table.rows.append([strategy if i == 0 else "", str(int(row["budget"])),
                               f"{row['pct_mean']:.1f}", f"{row['pct_ratio']:.1f}",
                               "" if strategy == BASELINE else
                               f"{row['wins']}/{row['ties']}/{row['losses']}"])
            if i == len(rows_) - 1:
                table.sections.add(len(table.rows) - 1)
    tables.append(table)
    if summary.hypervolume is not None:
        tables.append(hypervolume_table(summary))
    return tables


def hypervolume_table(summary: OptSummary) -> TableData:
    """Tasks of two or more goals: the hypervolume of the measured rows' front as % of the
    whole file's front's, per strategy and budget, with W/T/L against random."""
    hv = summary.hypervolume
    assert hv is not None
    table = TableData(
        title="Trade-offs: hypervolume of the measured rows' Pareto front, "
              "% of the whole file's",
        columns=[Column("task", "left", False), Column("strategy", "left", False),
                 *(Column(f"@{b}") for b in summary.budgets), Column("W/T/L", no_wrap=False)],
        rows=[], caption="goals normalised over the file; reference point 10% of each "
                         "goal's range beyond its worst; W/T/L at the last budget vs random")
    previous = None
    for (task, strategy), block in hv.groupby(["task", "strategy"], sort=False):
        by = dict(zip(block["budget"], block["pct"], strict=True))
        last = block.iloc[-1]
        table.rows.append([task if task != previous else "", strategy,
                           *("" if b not in by else f"{by[b]:.1f}" for b in summary.budgets),
                           "" if strategy == BASELINE else
                           f"{last['wins']}/{last['ties']}/{last['losses']}"])
        previous = task
    return table


def optimal_panels(results: pd.DataFrame, budgets: TaskBudgets | None) -> list[Panel]:
    """% optimal of the best measured row against rows measured, mean and spread over
    repeats: one panel per optimize task, after the mean over tasks when there are
    several (the same measure as the tables); each marks its task's budgets."""
    ref = results[results["strategy"] == REFERENCE]
    if ref.empty:
        return []
    mu = ref[ref["metric"] == "d2h_mean"].groupby("task")["value"].first()
    lo = ref[ref["metric"] == "d2h_min"].groupby("task")["value"].first()
    curves = results[(results["metric"] == "d2h") & results["task"].isin(mu.index)].copy()
    task = curves["task"]
    curves["pct"] = 100.0 * (task.map(mu) - curves["value"]) / (task.map(mu) - task.map(lo))
    return [*task_panels(curves, kind="optimize", ylabel="% optimal (best measured row)",
                         summary=f"mean of {len(mu.index)} optimize tasks", budgets=budgets,
                         default=DEFAULT_BUDGETS), *front_panels(results)]


BETTER = {"max": "higher is better", "min": "lower is better"}


def front_panels(results: pd.DataFrame) -> list[Panel]:
    """Tasks of two goals: a scatter of one representative run's measured rows (seed 0,
    the first strategy, the largest budget) with its front, the whole file's front and
    the d2h choice (:mod:`.fronts`)."""
    panels = []
    for run in run_fronts(results):
        if len(run.goals) != 2:
            continue
        (gx, dx), (gy, dy) = run.goals.items()
        # Fronts joined along the first goal (the summary keeps them in d2h order).
        front = sorted(run.front, key=lambda k: (run.Y[k, 0], run.Y[k, 1]))
        whole = run.file_Y[np.lexsort((run.file_Y[:, 1], run.file_Y[:, 0]))]
        panels.append(Panel(
            title=f"{run.task}: trade-offs, {run.strategy} seed {SEED}, {run.budget} measured",
            xlabel=f"{gx} ({BETTER[dx]})", ylabel=f"{gy} ({BETTER[dy]})", lines=[],
            task=run.task, kind="optimize", points=[
                Points("the whole file's front", list(whole[:, 0]), list(whole[:, 1]),
                       "reference"),
                Points("measured rows", list(run.Y[:, 0]), list(run.Y[:, 1]), "measured"),
                Points("their front", [run.Y[k, 0] for k in front],
                       [run.Y[k, 1] for k in front], "front"),
                Points("d2h choice", [run.Y[run.choice, 0]], [run.Y[run.choice, 1]], "choice"),
            ]))
    return panels
