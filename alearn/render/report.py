"""Rich tables for learning-curve summaries, and the run's progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from alearn import render
from alearn.commands import RunReport
from alearn.kinds.base import TableData

if TYPE_CHECKING:
    from alearn.run.runner import Failure


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=render.err, transient=True)


@contextmanager
def progress(description: str = "simulating", embedding: str = "embedding text"
             ) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr; yields the ``progress(done, total)`` callback.

    Its ``embedding`` attribute is a second callback, for text embeddings: its
    line appears in the same bar on first call.
    """
    bar = _bar()
    task_id = bar.add_task(description, total=None)
    embed_id: list[Any] = []

    def update(done: int, total: int) -> None:
        bar.update(task_id, completed=done, total=total)

    def embed(done: int, total: int) -> None:
        if not embed_id:
            embed_id.append(bar.add_task(embedding, total=total))
        bar.update(embed_id[0], completed=done, total=total)

    update.embedding = embed  # type: ignore[attr-defined]
    with bar:
        yield update


@contextmanager
def progress_when_needed(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr shown only once its callback is first called
    (nothing flashes on the screen when there is nothing to wait for)."""
    bar = _bar()
    task_id: list[Any] = []

    def update(done: int, total: int) -> None:
        if not task_id:
            bar.start()
            task_id.append(bar.add_task(description, total=total))
        bar.update(task_id[0], completed=done, total=total)

    try:
        yield update
    finally:
        if task_id:
            bar.stop()


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
