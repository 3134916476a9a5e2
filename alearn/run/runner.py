"""Batch simulation over tasks and seeds: each task simulated as its kind says.

The known labels play the human; every (task, seed) is one unit of work, run
in parallel with joblib. Results are sorted, so they are byte-identical for
any number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from joblib import Parallel, delayed

from alearn.kinds import get_kind

if TYPE_CHECKING:
    from alearn.tasks import TaskSpec

RESULT_COLUMNS = ["task", "strategy", "seed", "budget", "metric", "value"]

Progress = Callable[[int, int], None]


@dataclass
class RunResult:
    """What a simulation run produced.

    Attributes
    ----------
    results : DataFrame
        Tidy rows ``task, strategy, seed, budget, metric, value``; the ceiling
        is the strategy ``"all-labels"`` at budget = pool size.
    tasks : list of TaskSpec
    notices : list of str
        Columns left out, unlabeled rows dropped, and similar.
    """

    results: pd.DataFrame
    tasks: list[TaskSpec]
    notices: list[str]

    @property
    def budgets(self) -> list[int]:
        """Every budget any task reports, in order."""
        return sorted({b for t in self.tasks for b in t.budgets})


def run(tasks: Sequence[TaskSpec], *, seeds: int | None = None, jobs: int = 1,
        progress: Progress | None = None) -> RunResult:
    """Simulate active learning on tasks, in parallel over tasks and seeds.

    Each task is simulated as its kind says: classification here, optimization
    in :mod:`alearn.kinds.optimize.simulate`.

    Parameters
    ----------
    tasks : sequence of TaskSpec
    seeds : int, optional
        Seeds ``0 .. seeds-1`` for every task (default: each task's own).
    jobs : int
        Worker processes; results are identical for any value.
    progress : callable, optional
        Called as ``progress(done, total)`` after each task-seed finishes.

    Returns
    -------
    RunResult
    """
    tasks = [t if seeds is None else t.replace(seeds=seeds) for t in tasks]
    # Load every task first (in parallel too): bad input fails before any simulation.
    prepared = list(Parallel(n_jobs=min(jobs, len(tasks)) or 1)(
        delayed(get_kind(t.kind).prepare)(t) for t in tasks))
    work = [(p, s) for p in prepared for s in range(p.spec.seeds)]
    if progress:
        progress(0, len(work))
    rows: list[tuple] = []
    parallel = Parallel(n_jobs=jobs, return_as="generator_unordered")
    jobs_ = (delayed(get_kind(p.spec.kind).simulate_seed)(p, s) for p, s in work)
    for done, part in enumerate(parallel(jobs_), 1):
        rows.extend(part)
        if progress:
            progress(done, len(work))
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame = frame.sort_values(RESULT_COLUMNS[:5], kind="stable").reset_index(drop=True)
    notices = [n for p in prepared for n in p.notices]
    return RunResult(results=frame, tasks=[p.spec for p in prepared], notices=notices)
