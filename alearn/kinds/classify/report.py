"""What ``alearn run``/``report`` show for classify tasks: tables and plot panels as plain data."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from alearn.counting import counted, signed
from alearn.kinds.base import BASELINE, Column, Panel, TableData, TaskBudgets
from alearn.kinds.classify.simulate import CEILING, MAJORITY, REFERENCES
from alearn.kinds.classify.summary import Summary
from alearn.kinds.curves import task_panels

CAPTION = "gain: points over random; W/T/L: paired over seeds vs random"
NOT_ABOVE = " ≤ maj."  # marks a score not above always answering the majority class
CAPTION_MAJORITY = f"{NOT_ABOVE.strip()}: no better than always answering the most frequent class"


def _curve_table(title: str, block: pd.DataFrame, metric: str,
                 majority: float | None = None) -> TableData:
    columns = [Column("strategy", "left"), Column("labels"), Column(metric), Column("% ceil"),
               Column("gain"), Column("W/T/L"), Column("AULC %")]
    flagged = majority is not None and bool((block["mean"] <= majority + 1e-12).any())
    table = TableData(title=title, columns=columns, rows=[],
                      caption=f"{CAPTION}; {CAPTION_MAJORITY}" if flagged else CAPTION)
    for strategy, rows in block.groupby("strategy", sort=False):
        for i, (_, row) in enumerate(rows.iterrows()):
            baseline = strategy == BASELINE
            score = f"{row['mean']:.3f}" + (f"±{row['sd']:.3f}" if pd.notna(row["sd"]) else "")
            if majority is not None and row["mean"] <= majority + 1e-12:
                score += NOT_ABOVE
            table.rows.append([
                strategy if i == 0 else "", str(int(row["budget"])), score, f"{row['pct']:.1f}",
                "" if baseline else signed(row["gain"], 1),
                "" if baseline else f"{row['wins']}/{row['ties']}/{row['losses']}",
                f"{row['aulc_pct']:.1f}" if i == 0 else ""])
            if i == len(rows) - 1:
                table.sections.add(len(table.rows) - 1)
    return table


def summary_tables(summary: Summary, per_task: bool = True) -> list[TableData]:
    """A table per task and one over all tasks.

    Rows per strategy and budget: mean ± sd over seeds, % of the all-labels
    ceiling, gain over random in points, paired win/tie/loss against random
    over seeds, and the area under the curve from the first label to the
    largest budget as % of the ceiling.
    """
    metric = "accuracy" if summary.metric == "accuracy" else "macro-F1"
    tables = []
    if per_task:
        ceilings = summary.ceiling.set_index("task")
        for task, block in summary.per_task.groupby("task", sort=False):
            c = ceilings.loc[task]
            majority = _majority(c)
            title = (f"{task}: ceiling {metric} {c['mean']:.3f} ± {c['sd']:.3f} "
                     f"with all {counted(int(c['pool']), 'pool label')}"
                     + (f"; always the most frequent class {majority:.3f}"
                        if majority is not None else ""))
            tables.append(_curve_table(title, block, metric, majority))
    n = summary.overall["tasks"].max() if len(summary.overall) else 0
    overall = summary.overall.assign(sd=float("nan"))
    known = [m for m in map(_majority, (r for _, r in summary.ceiling.iterrows()))
             if m is not None] if "majority" in summary.ceiling else []
    tables.append(_curve_table(
        f"All {counted(n, 'task')}: mean of per-task numbers, W/T/L summed over tasks and "
        "seeds" + (f"; always the most frequent class {sum(known) / len(known):.3f}"
                   if known and len(known) == len(summary.ceiling) else ""), overall, metric))
    return tables


def _majority(ceiling: pd.Series) -> float | None:
    """A task's majority-class score (``None`` in results written before it was kept)."""
    value = ceiling.get("majority")
    return None if value is None or pd.isna(value) else float(value)


def _curves(results: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, pd.Series]:
    """The learning curves as % of the ceiling, and each task's majority-class score
    as % of its ceiling (mean over seeds; empty for results written before it)."""
    data = results[(results["metric"] == metric)]
    ceiling = data[data["strategy"] == CEILING].set_index(["task", "seed"])["value"]
    curves = data[~data["strategy"].isin(REFERENCES)].copy()
    base = ceiling.reindex(pd.MultiIndex.from_frame(curves[["task", "seed"]])).to_numpy()
    curves["pct"] = 100.0 * curves["value"].to_numpy() / base
    majority = data[data["strategy"] == MAJORITY].set_index(["task", "seed"])["value"]
    floor = (100.0 * majority / ceiling.reindex(majority.index)).groupby(level="task").mean()
    return curves, floor


def curve_panels(results: pd.DataFrame, budgets: TaskBudgets | None, metric: str,
                 default: Sequence[int]) -> list[Panel]:
    """% of the all-labels ceiling against labels, mean and spread over seeds: one
    panel per task, after the mean over tasks when there are several; the first
    has the legend, each marks its task's budgets (``default`` where not recorded)."""
    curves, floor = _curves(results, metric)
    return task_panels(curves, kind="classify", ylabel=f"% of all-labels {metric}",
                       summary=f"mean of {curves['task'].nunique()} tasks", budgets=budgets,
                       default=default, floor=floor)
