"""What ``alearn run``/``report`` show for optimize tasks: % optimal tables as plain data."""

from __future__ import annotations

from alearn.counting import counted
from alearn.kinds.base import BASELINE, Column, TableData
from alearn.kinds.optimize.summary import OptSummary


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
            rows.append([task if first else "", strategy, *[f"{row[b]:.1f}" for b in budgets]])
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
    return tables
