"""Rich tables for learning-curve summaries, and the run's progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from alearn import render
from alearn.commands import RunReport
from alearn.kinds.base import TableData
from alearn.run.runner import Failure


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


def table(data: TableData) -> Table:
    """A rich table drawn from a kind's plain table data."""
    out = Table(title=data.title, title_justify="left", caption=data.caption or None,
                caption_justify="left")
    for column in data.columns:
        out.add_column(column.name, justify=column.justify,  # type: ignore[arg-type]
                       no_wrap=column.no_wrap)
    for i, row in enumerate(data.rows):
        out.add_row(*row, end_section=i in data.sections)
    return out


def run_tables(report: RunReport) -> None:
    """Print every table a run or report has, kind by kind."""
    for data in report.tables:
        render.out.print(table(data))


def failures(failed: Sequence[Failure]) -> None:
    """A table of the tasks that could not run (stdout), and one error line each (stderr)."""
    out = Table(title=f"Failed tasks ({len(failed)}): not in the results", title_justify="left")
    for name in ("task", "file", "error"):
        out.add_column(name, justify="left", overflow="fold")
    for f in failed:
        out.add_row(escape(f.task), escape(f.path), escape(f.message))
    render.out.print(out)
    for f in failed:
        render.error(f"task {f.task!r} failed: {f.message}")
