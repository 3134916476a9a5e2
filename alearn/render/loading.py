"""Drawing the phases of opening a labeling session (a big file takes a while).

:func:`loading` gives a :data:`~alearn.progress.Report` that draws each phase
with rich on the terminal (stderr), with a bar when the phase knows how far it
is, and its time; nothing is drawn when stderr is not a terminal (piped
sessions keep a clean transcript). The lines stay: what took the time is shown.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from alearn import render
from alearn.progress import Phase, Report, silent


@contextmanager
def loading() -> Iterator[Report]:
    """A progress report for opening a session, drawn while the block runs."""
    console = render.err
    if not console.is_terminal:
        yield silent
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(bar_width=30),
                   TaskProgressColumn(), TextColumn("{task.fields[amount]}"),
                   TimeElapsedColumn(), console=console, transient=False,
                   refresh_per_second=8)
    state: dict[str, TaskID] = {}
    last: list[float] = [0.0]

    def report(phase: Phase) -> None:
        task = state.get(phase.name)
        if task is None:
            for other in state.values():  # a new phase ends the ones before
                total = bar.tasks[other].total
                bar.update(other, completed=total if total is not None else 1,
                           total=total if total is not None else 1)
                bar.stop_task(other)
            task = state[phase.name] = bar.add_task(phase.name, total=phase.total, amount="")
        now = time.monotonic()
        if now - last[0] < 0.05 and phase.done not in (0, phase.total):
            return  # a few updates a second are enough
        last[0] = now
        amount = ""
        if phase.unit == "bytes" and phase.done is not None and phase.total:
            amount = f"{phase.done / 1e6:,.0f}/{phase.total / 1e6:,.0f} MB"
        elif phase.unit and phase.done is not None and phase.total:
            amount = f"{phase.done:,.0f}/{phase.total:,.0f} {phase.unit}"
        bar.update(task, completed=phase.done or 0, total=phase.total, amount=amount)

    with bar:
        try:
            yield report
        finally:
            for task in state.values():
                total = bar.tasks[task].total
                bar.update(task, completed=total if total is not None else 1,
                           total=total if total is not None else 1)
