"""The classify development tasks a bench simulates on: every CSV of a folder (by
default ``../shared/moot/classify``), prepared as ``alearn run`` prepares them.

Imported by the bench scripts beside it (``python bench/forecast.py`` puts this
folder on the path).
"""

from __future__ import annotations

import argparse
from collections.abc import Collection, Sequence
from pathlib import Path

from alearn.errors import AlearnError
from alearn.kinds.classify.simulate import SimTask, prepare
from alearn.spec import TaskSpec
from alearn.tasks import make_task

ROOT = Path(__file__).resolve().parents[1]
CLASSIFY = ROOT.parent / "shared" / "moot" / "classify"


def classify_parser(doc: str | None, seeds: int) -> argparse.ArgumentParser:
    """The options every classify bench takes: ``--data`` (default :data:`CLASSIFY`),
    ``--seeds`` (default ``seeds``) and ``--jobs`` (default 2); the bench adds its own."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=CLASSIFY, help="folder of CSV files")
    parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--jobs", type=int, default=2)
    return parser


def data_missing(folder: Path) -> bool:
    """Whether the development data is absent (said in one line: the bench skips)."""
    if folder.is_dir():
        return False
    print(f"skipped: {folder} not found (the development data lives in ../shared)")
    return True


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
