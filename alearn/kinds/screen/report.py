"""What ``alearn run``/``report`` show for screen tasks: tables and recall curves as plain data."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from alearn.counting import counted
from alearn.kinds.base import BASELINE, Column, Line, Panel, TableData
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
              for b in summary.budgets),
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


def recall_panels(results: pd.DataFrame) -> list[Panel]:
    """Per screen task: mean recall against labels (a step after each relevant row found)."""
    panels = []
    for task in sorted(results.loc[results["metric"] == "found", "task"].unique()):
        found = results[(results["metric"] == "found") & (results["task"] == task)]
        size = int(results[(results["metric"] == "n100")
                           & (results["task"] == task)]["budget"].max())
        grid = pd.RangeIndex(1, size + 1)
        lines = []
        for strategy, block in sorted(found.groupby("strategy"),
                                      key=lambda kv: kv[0] == BASELINE):
            curves = [seed.set_index("budget")["value"].reindex(grid).ffill().fillna(0.0)
                      for _, seed in block.groupby("seed")]
            mean = pd.concat(curves, axis=1).mean(axis=1)
            lines.append(Line(str(strategy), list(grid), list(mean.to_numpy()),
                              dashed=strategy == BASELINE))
        panels.append(Panel(title=f"{task} (screen)", xlabel="labels", ylabel="recall",
                            lines=lines, hline=RECALL_LEVEL))
    return panels
