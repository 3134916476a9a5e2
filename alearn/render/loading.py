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
    units: dict[TaskID, str] = {}
    last: list[float] = [0.0]

    def finish(task: TaskID) -> None:
        total = bar.tasks[task].total
        bar.update(task, completed=total if total is not None else 1,
                   total=total if total is not None else 1,
                   amount=_amount(total, total, units[task]) if total else "")
        bar.stop_task(task)

    def report(phase: Phase) -> None:
        task = state.get(phase.name)
        if task is None:
            for other in state.values():  # a new phase ends the ones before
                if not bar.tasks[other].finished:
                    finish(other)
            task = state[phase.name] = bar.add_task(phase.name, total=phase.total, amount="")
            units[task] = phase.unit
        now = time.monotonic()
        if now - last[0] < 0.05 and phase.done not in (0, phase.total):
            return  # a few updates a second are enough
        last[0] = now
        bar.update(task, completed=phase.done or 0, total=phase.total,
                   amount=_amount(phase.done, phase.total, phase.unit))

    with bar:
        try:
            yield report
        finally:
            for task in state.values():
                if not bar.tasks[task].finished:
                    finish(task)


def _amount(done: float | None, total: float | None, unit: str) -> str:
    """``120/177 MB`` or ``11/20 columns`` ("" when the phase cannot tell)."""
    if done is None or not total or not unit:
        return ""
    if unit == "bytes":
        return f"{done / 1e6:,.0f}/{total / 1e6:,.0f} MB"
    return f"{done:,.0f}/{total:,.0f} {unit}"
