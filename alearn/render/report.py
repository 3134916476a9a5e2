"""Rich tables for learning-curve summaries, and the run's progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from alearn import render
from alearn.commands import RunReport
from alearn.kinds.classify.summary import Summary
from alearn.kinds.optimize.simulate import OptSummary
from alearn.kinds.screen.simulate import ScreenSummary


@contextmanager
def progress(description: str = "simulating") -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr; yields the ``progress(done, total)`` callback."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=render.err, transient=True)
    task_id = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task_id, completed=done, total=total)

    with bar:
        yield update


def _curve_table(title: str, block: pd.DataFrame, metric: str) -> Table:
    table = Table(title=title, title_justify="left",
                  caption="gain: points over random; W/T/L: paired over seeds vs random",
                  caption_justify="left")
    for name, justify in (("strategy", "left"), ("labels", "right"), (metric, "right"),
                          ("% ceil", "right"), ("gain", "right"),
                          ("W/T/L", "right"), ("AULC %", "right")):
        table.add_column(name, justify=justify, no_wrap=True)
    for strategy, rows in block.groupby("strategy", sort=False):
        for i, (_, row) in enumerate(rows.iterrows()):
            baseline = strategy == "random"
            score = f"{row['mean']:.3f}" + (f"±{row['sd']:.3f}" if pd.notna(row["sd"]) else "")
            table.add_row(
                strategy if i == 0 else "", str(int(row["budget"])), score, f"{row['pct']:.1f}",
                "" if baseline else f"{row['gain']:+.1f}",
                "" if baseline else f"{row['wins']}/{row['ties']}/{row['losses']}",
                f"{row['aulc_pct']:.1f}" if i == 0 else "",
                end_section=i == len(rows) - 1,
            )
    return table


def summary_tables(summary: Summary, per_task: bool = True) -> None:
    """Print a table per task and one over all tasks.

    Rows per strategy and budget: mean ± sd over seeds, % of the all-labels
    ceiling, gain over random in points, paired win/tie/loss against random
    over seeds, and the area under the curve from the first label to the
    largest budget as % of the ceiling.
    """
    metric = "accuracy" if summary.metric == "accuracy" else "macro-F1"
    if per_task:
        ceilings = summary.ceiling.set_index("task")
        for task, block in summary.per_task.groupby("task", sort=False):
            c = ceilings.loc[task]
            title = (f"{task}: ceiling {metric} {c['mean']:.3f} ± {c['sd']:.3f} "
                     f"with all {int(c['pool'])} pool labels")
            render.out.print(_curve_table(title, block, metric))
    n = summary.overall["tasks"].max() if len(summary.overall) else 0
    overall = summary.overall.assign(sd=float("nan"))
    render.out.print(_curve_table(f"All {n} tasks: mean of per-task numbers, W/T/L summed "
                                  "over tasks and seeds", overall, metric))


def optimize_tables(summary: OptSummary, per_task: bool = True) -> None:
    """Print % optimal per optimize task and over tasks.

    % optimal = 100 · (mean d2h − d2h of the best labeled row) / (mean d2h −
    min d2h), averaged over repeats; over tasks both the mean of per-task values
    and the ratio of sums; W/T/L paired over repeats against random.
    """
    budgets = summary.budgets
    if per_task:
        table = Table(title="Optimize tasks: % optimal of the best labeled row",
                      title_justify="left")
        table.add_column("task")
        table.add_column("strategy")
        for b in budgets:
            table.add_column(f"@{b}", justify="right")
        wide = summary.per_task.pivot_table(index=["task", "strategy"], columns="budget",
                                            values="pct", sort=False)
        for i, ((task, strategy), row) in enumerate(wide.iterrows()):
            first = i == 0 or wide.index[i - 1][0] != task
            table.add_row(task if first else "", strategy,
                          *[f"{row[b]:.1f}" for b in budgets])
        render.out.print(table)
    n = int(summary.overall["tasks"].max())
    table = Table(title=f"All {n} optimize tasks: % optimal (mean of files / ratio of sums)",
                  title_justify="left",
                  caption="W/T/L: paired over repeats vs random", caption_justify="left")
    for name in ("strategy", "labels", "% optimal", "ratio of sums", "W/T/L"):
        table.add_column(name, justify="left" if name == "strategy" else "right")
    for strategy, rows in summary.overall.groupby("strategy", sort=False):
        for i, (_, row) in enumerate(rows.iterrows()):
            table.add_row(strategy if i == 0 else "", str(int(row["budget"])),
                          f"{row['pct_mean']:.1f}", f"{row['pct_ratio']:.1f}",
                          "" if strategy == "random" else
                          f"{row['wins']}/{row['ties']}/{row['losses']}",
                          end_section=i == len(rows) - 1)
    render.out.print(table)


def screen_tables(summary: ScreenSummary) -> None:
    """Print one table per screen task, a column per strategy: recall after each
    budget, labels to 95 % and 100 % recall, WSS@95, where the stopping advice
    fired, and W/T/L against random order on the same seeds."""
    for task, block in summary.per_task.groupby("task", sort=False):
        first = block.iloc[0]
        table = Table(title=f"{task}: screening {int(first['rows'])} rows, mean of "
                      f"{int(first['seeds'])} seeds", title_justify="left",
                      caption="labels count the start rows; WSS@95 = (N - n95)/N - 0.05; "
                      "W/T/L: fewer labels to 95 % recall than random on the same seed",
                      caption_justify="left")
        table.add_column("metric", no_wrap=True)
        for strategy in block["strategy"]:
            table.add_column(strategy, justify="right", no_wrap=True)
        rows = block.to_dict(orient="records")
        lines: list[tuple[str, object]] = [
            *((f"recall after {b} labels", lambda r, b=b: f"{r[f'recall@{b}']:.3f}")
              for b in summary.budgets),
            ("labels to 95 % recall", lambda r: f"{r['n95']:.0f} ± {r['n95_sd']:.0f}"),
            ("labels to 100 % recall", lambda r: f"{r['n100']:.0f}"),
            ("WSS@95", lambda r: f"{r['wss95']:.3f}"),
            ("stopping advice: labels", lambda r: f"{r['stop_at']:.0f}"),
            ("stopping advice: recall", lambda r: f"{r['stop_recall']:.3f}"),
            ("stopped before 95 % recall", lambda r: f"{100 * r['stop_early']:.0f} % of seeds"),
            ("W/T/L vs random (n95)", lambda r: "" if r["strategy"] == "random"
             else f"{r['wins']}/{r['ties']}/{r['losses']}"),
        ]
        for name, cell in lines:
            table.add_row(name, *[cell(r) for r in rows])  # type: ignore[operator]
        render.out.print(table)


def run_tables(report: RunReport, per_task: bool = True) -> None:
    """Print every table a run or report has: classification, optimization, screening."""
    if report.summary is not None:
        summary_tables(report.summary, per_task=per_task)
    if report.optimize is not None:
        optimize_tables(report.optimize, per_task=per_task)
    if report.screen is not None:
        screen_tables(report.screen)
