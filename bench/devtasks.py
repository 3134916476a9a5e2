"""The classify development tasks a bench simulates on: every CSV of a folder (by
default ``../shared/moot/classify``), prepared as ``alearn run`` prepares them.

Imported by the bench scripts beside it (``python bench/forecast.py`` puts this
folder on the path).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from alearn.errors import AlearnError
from alearn.kinds.classify.simulate import SimTask, prepare
from alearn.spec import TaskSpec
from alearn.tasks import make_task


def classify_tasks(folder: Path, names: Collection[str] | None = None,
                   extra: Sequence[TaskSpec] = ()) -> list[SimTask]:
    """The tasks of ``folder``'s CSV files (and ``extra``), those named in ``names``
    when given; a task that cannot be prepared is left out and named, as
    ``alearn run`` does."""
    specs = [make_task(name=f.stem, data=str(f)) for f in sorted(folder.glob("*.csv"))]
    specs += list(extra)
    if names:
        specs = [s for s in specs if s.name in names]
    tasks = []
    for spec in specs:
        try:
            tasks.append(prepare(spec))
        except AlearnError as exc:
            print(f"left out: {exc.message}")
    return tasks
