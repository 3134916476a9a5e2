"""Batch simulation over tasks and seeds: each task simulated as its kind says.

The known labels play the human; every (task, seed) is one unit of work, run
in parallel with joblib or on a Dask cluster (:mod:`alearn.run.cluster`).
Results are sorted, so they are byte-identical for any number of workers and
either engine. With a :class:`~alearn.run.units.UnitStore`, finished units are
kept as they finish and a rerun computes only the missing ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from joblib import Parallel, delayed

from alearn.counting import counted
from alearn.errors import AlearnError
from alearn.kinds import get_kind
from alearn.run.units import RunInterrupted, UnitStore, data_fingerprint, plain_rows, task_key
from alearn.tasks import revise

if TYPE_CHECKING:
    from alearn.spec import TaskSpec

RESULT_COLUMNS = ["task", "strategy", "seed", "budget", "metric", "value"]
EMBEDDINGS_DIR = "embeddings"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Failure:
    """A task that could not be loaded or simulated.

    Attributes
    ----------
    task : str
        The task's name (its folder's name when its ``task.toml`` is broken).
    path : str
        The task file or data file.
    message : str
        The one-line error.
    """

    task: str
    path: str
    message: str


@dataclass
class RunResult:
    """What a simulation run produced.

    Attributes
    ----------
    results : DataFrame
        Tidy rows ``task, strategy, seed, budget, metric, value``; the ceiling
        is the strategy ``"all-labels"`` at budget = pool size.
    tasks : list of TaskSpec
        The tasks that ran (failed ones are left out).
    notices : list of str
        Columns left out, unlabeled rows dropped, and similar (kept in the summary).
    failed : list of Failure
        Tasks that could not be loaded or simulated.
    log : list of str
        Notes about this run only (units reused, unit files recomputed); not
        part of the results.
    """

    results: pd.DataFrame
    tasks: list[TaskSpec]
    notices: list[str]
    failed: list[Failure] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @property
    def budgets(self) -> list[int]:
        """Every budget any task reports, in order."""
        return sorted({b for t in self.tasks for b in t.budgets})

    @property
    def task_budgets(self) -> dict[str, tuple[int, ...]]:
        """Each task's budgets by name: a kind reports at its own tasks' budgets."""
        return {t.name: tuple(t.budgets) for t in self.tasks}


def _where(spec: TaskSpec) -> str:
    return spec.source or str(spec.data_path or spec.data)


def _prepare(spec: TaskSpec, cache: Path | None) -> Any:
    # Errors come back as values: one bad task must not stop the others' loading.
    try:
        return get_kind(spec.kind).prepare(spec, cache=cache)
    except AlearnError as exc:
        return exc


def _unit(index: int, prepared: Any, seed: int) -> tuple[int, int, list[list] | None, Any]:
    """One (task, seed): its rows as plain values, or the AlearnError it raised."""
    try:
        rows = get_kind(prepared.spec.kind).simulate_seed(prepared, seed)
    except AlearnError as exc:
        return index, seed, None, exc
    return index, seed, plain_rows(rows), None


def _local(jobs: int, prepared: Sequence[Any], work: Sequence[tuple[int, int]]) -> Iterator:
    parallel = Parallel(n_jobs=jobs, return_as="generator_unordered")
    return parallel(delayed(_unit)(i, prepared[i], s) for i, s in work)


def run(tasks: Sequence[TaskSpec], *, seeds: int | None = None, jobs: int = 1,
        progress: Progress | None = None, units: UnitStore | None = None,
        client: Any = None, keep_going: bool = False,
        failed: Sequence[Failure] = ()) -> RunResult:
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
        Called as ``progress(done, total)`` after each task-seed finishes
        (reused units count as done from the start).
    units : UnitStore, optional
        Keep each finished unit there and reuse the ones already kept.
    client : distributed.Client, optional
        Run the units on this Dask cluster instead of local processes.
    keep_going : bool
        Record a task that fails (an :class:`AlearnError` while loading or
        simulating it) in ``failed`` and run the others; otherwise raise it.
    failed : sequence of Failure
        Failures found before the run (broken task files), reported with these.

    Returns
    -------
    RunResult

    Raises
    ------
    RunInterrupted
        Ctrl-C while units were kept in ``units``.
    """
    tasks = [t if seeds is None else revise(t, seeds=seeds) for t in tasks]
    failures = {f.task: f for f in failed}
    # Load every task first (in parallel too): bad input fails before any simulation.
    # Text embeddings are kept beside the units (--out/embeddings), keyed by the data.
    cache = units.root.parent / EMBEDDINGS_DIR if units else None
    loaded = list(Parallel(n_jobs=min(jobs, len(tasks)) or 1)(
        delayed(_prepare)(t, cache) for t in tasks))
    for spec, p in zip(tasks, loaded, strict=True):
        if isinstance(p, AlearnError):
            if not keep_going:
                raise p
            failures[spec.name] = Failure(spec.name, _where(spec), p.message)
    prepared = [p for p in loaded if not isinstance(p, AlearnError)]
    keys = [task_key(p.spec, data_fingerprint(p.spec) or "") for p in prepared]
    rows: dict[tuple[int, int], list[list]] = {}
    work: list[tuple[int, int]] = []
    for i, p in enumerate(prepared):
        for s in range(p.spec.seeds):
            kept = units.load(p.spec.name, keys[i], s) if units else None
            if kept is None:
                work.append((i, s))
            else:
                rows[i, s] = kept
    total = len(rows) + len(work)
    reused = len(rows)
    if progress:
        progress(reused, total)
    try:
        if work:
            if client is not None:
                from alearn.run.cluster import map_units

                finished = map_units(client, _unit, prepared, work)
            else:
                finished = _local(jobs, prepared, work)
            with closing(finished):
                for done, (i, s, part, error) in enumerate(finished, reused + 1):
                    name = prepared[i].spec.name
                    if error is not None:
                        if not keep_going:
                            raise error
                        failures.setdefault(name, Failure(name, _where(prepared[i].spec),
                                                          f"seed {s}: {error.message}"))
                    else:
                        rows[i, s] = part
                        if units:
                            units.save(name, keys[i], s, part)
                    if progress:
                        progress(done, total)
    except KeyboardInterrupt:
        if units is None:
            raise
        raise RunInterrupted(
            f"interrupted: {reused + units.saved} of {counted(total, 'unit')} "
            f"{'is' if reused + units.saved == 1 else 'are'} kept under "
            f"{units.root}; run the same command again to resume") from None
    ok = [i for i, p in enumerate(prepared) if p.spec.name not in failures]
    flat = [r for i in ok for s in range(prepared[i].spec.seeds) for r in rows[i, s]]
    frame = pd.DataFrame(flat, columns=RESULT_COLUMNS)
    frame = frame.sort_values(RESULT_COLUMNS[:5], kind="stable").reset_index(drop=True)
    notices = [n for i in ok for n in prepared[i].notices]
    log = list(units.notes) if units else []
    if reused:
        log.append(f"reused {reused} of {total} finished units from {units.root}")
    if units:
        units.prune({prepared[i].spec.name: keys[i] for i in ok})
    order = [t.name for t in tasks]
    return RunResult(results=frame, tasks=[prepared[i].spec for i in ok], notices=notices,
                     failed=sorted(failures.values(),
                                   key=lambda f: order.index(f.task) if f.task in order else -1),
                     log=log)
