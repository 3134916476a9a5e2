"""What ``alearn run``/``report`` show for screen tasks: tables and recall curves as plain data."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from alearn.counting import counted
from alearn.kinds.base import BASELINE, Column, Panel, TableData, TaskBudgets
from alearn.kinds.curves import budget_marks, seed_lines, seeds_title
from alearn.kinds.screen.chart import chart_panel, chart_table, run_order
from alearn.kinds.screen.simulate import RECALL_LEVEL
from alearn.kinds.screen.summary import ScreenSummary

CAPTION = ("labels count the start rows; WSS@95 = (N - n95)/N - 0.05; "
           "W/T/L: fewer labels to 95 % recall than random on the same seed")


def advised(cell: Callable[[dict], str]) -> Callable[[dict], str]:
    """A stopping-advice cell, or "no advice" for a strategy that gives none (NaN)."""
    return lambda r: "no advice" if pd.isna(r["stop_at"]) else cell(r)


def screen_tables(summary: ScreenSummary) -> list[TableData]:
    """One table per screen task, a column per strategy: recall after each
    budget, labels to 95 % and 100 % recall, WSS@95, where the stopping advice
    fired, and W/T/L against random order on the same seeds."""
    tables = []
    for task, block in summary.per_task.groupby("task", sort=False):
        first = block.iloc[0]
        columns = [Column("metric"), *(Column(s) for s in block["strategy"])]
        columns[0].justify = "left"
        rows = block.to_dict(orient="records")
        lines: list[tuple[str, object]] = [
            *((f"recall after {counted(b, 'label')}", lambda r, b=b: f"{r[f'recall@{b}']:.3f}")
              # Each task's own budgets: another screen task's may differ.
              for b in summary.budgets if block[f"recall@{b}"].notna().any()),
            ("labels to 95 % recall", lambda r: f"{r['n95']:.0f} ± {r['n95_sd']:.0f}"),
            ("labels to 100 % recall", lambda r: f"{r['n100']:.0f}"),
            ("WSS@95", lambda r: f"{r['wss95']:.3f}"),
            ("stopping advice: labels", advised(lambda r: f"{r['stop_at']:.0f}")),
            ("stopping advice: recall", advised(lambda r: f"{r['stop_recall']:.3f}")),
            ("stopped before the recall target",
             advised(lambda r: f"{100 * r['stop_early']:.0f} % of seeds")),
            ("stopping advice: labels / needed", advised(lambda r: f"{r['stop_ratio']:.2f} "
                                                         f"(max {r['stop_ratio_max']:.2f})")),
            ("W/T/L vs random (n95)", lambda r: "" if r["strategy"] == BASELINE
             else f"{r['wins']}/{r['ties']}/{r['losses']}"),
        ]
        tables.append(TableData(
            title=f"{task}: screening {counted(int(first['rows']), 'row')}, mean of "
                  f"{counted(int(first['seeds']), 'seed')}", columns=columns,
            rows=[[name, *[cell(r) for r in rows]] for name, cell in lines],  # type: ignore[operator]
            caption=CAPTION))
    return tables


def recall_panels(results: pd.DataFrame, budgets: TaskBudgets | None,
                  default: Sequence[int]) -> list[Panel]:
    """Per screen task: recall against labels (a step after each relevant row found),
    mean and spread over seeds, with the task's budgets marked (``default`` where not
    recorded); the first has the legend."""
    panels = []
    for task in sorted(results.loc[results["metric"] == "found", "task"].unique()):
        found = results[(results["metric"] == "found") & (results["task"] == task)]
        size = int(results[(results["metric"] == "n100")
                           & (results["task"] == task)]["budget"].max())
        grid = pd.RangeIndex(1, size + 1, name="budget")
        steps = [block.set_index("budget")["value"].reindex(grid).ffill().fillna(0.0)
                 .rename("recall").reset_index().assign(strategy=strategy, seed=seed)
                 for (strategy, seed), block in found.groupby(["strategy", "seed"])]
        curves = pd.concat(steps, ignore_index=True).assign(task=task)
        panels.append(Panel(title=seeds_title(f"{task}", curves), xlabel="labels",
                            ylabel="recall", lines=seed_lines(curves, "recall"),
                            task=str(task), kind="screen", hline=RECALL_LEVEL,
                            marks=budget_marks(budgets, [task], default),
                            legend=not panels))
    return panels + chart_panels(results)


def _charts(results: pd.DataFrame) -> list[tuple[str, str, object]]:
    """Each screen task's recall chart (:func:`~alearn.kinds.screen.chart.run_order`),
    with its title."""
    out = []
    for task in sorted(results.loc[results["metric"] == "found", "task"].unique()):
        drawn = run_order(results, str(task))
        if drawn is not None:
            strategy, seed, chart = drawn
            out.append((str(task), f"{task} · {strategy}, seed {seed}", chart))
    return out


def chart_tables(results: pd.DataFrame) -> list[TableData]:
    """The recall chart of each screen task's first seed, as text."""
    return [chart_table(chart, f"{title}: relevant found and the stopping advice")  # type: ignore[arg-type]
            for _, title, chart in _charts(results)]


def chart_panels(results: pd.DataFrame) -> list[Panel]:
    """The recall chart of each screen task's first seed, as plot panels."""
    return [chart_panel(chart, title, task) for task, title, chart in _charts(results)]  # type: ignore[arg-type]
