"""One library call per CLI command: arguments in, plain data out.

The CLI parses arguments, calls one function here, and renders what it returns.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alearn.errors import MAX_JOBS, MAX_SEEDS, ConfigError, DataError, StoreError, check_range
from alearn.files import check_output_dir, check_output_file
from alearn.journal.lock import check_free
from alearn.journal.merged import Team, is_merged_store
from alearn.journal.store import read_store
from alearn.kinds import KINDS
from alearn.kinds.base import TableData, TaskBudgets
from alearn.kinds.classify import METRICS
from alearn.progress import Report
from alearn.run.layout import results_file
from alearn.session.options import LabelOptions
from alearn.tasks import discover_tasks, load_task, with_text_features

if TYPE_CHECKING:
    import pandas as pd

    from alearn.run import runner
    from alearn.session.adjudicate import Adjudication
    from alearn.session.core import Session

# The run, report and label machinery (pandas, joblib, scikit-learn) is imported
# inside the calls, so an error exit or --help loads none of it (tests/test_layers.py).


@dataclass
class RunReport:
    """What ``alearn run`` and ``alearn report`` show.

    Attributes
    ----------
    tables : list of TableData
        Every kind's tables, in registry order (classify, optimize, screen).
    notices : list of str
    written : list of Path
    failed : list of Failure
        Tasks that could not be loaded or simulated (the command then exits 2).
    """

    tables: list[TableData]
    notices: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: list[runner.Failure] = field(default_factory=list)


def _check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise ConfigError(f"--metric {metric!r} is not known; expected one of "
                          f"{', '.join(METRICS)}")


def run_tasks(paths: Sequence[str | Path], *, out: Path, seeds: int | None = None,
              jobs: int | None = None,
              plot: Path | None = None, metric: str = "accuracy", per_task: bool = True,
              progress: runner.Progress | None = None, fresh: bool = False,
              cluster: str | None = None, text_features: str | None = None) -> RunReport:
    """Simulate active learning on task folders and write the results.

    Parameters
    ----------
    paths : sequence of path
        Task folders, folders of task folders, or data files.
    out : Path
        Folder for ``results.csv`` and ``summary.json``.
    seeds : int, optional
        Override every task's number of seeds.
    jobs : int, optional
        Worker processes (default: one per core); results do not depend on it.
    plot : Path, optional
        PNG file for the learning curves.
    metric : str
        Metric for the summary shown.
    per_task : bool
        Include a table per task, not only the summary over tasks.
    progress : callable, optional
        ``progress(done, total)``.
    fresh : bool
        Recompute every unit, ignoring the unit files kept under ``out``.
    cluster : str, optional
        Run the units on Dask: ``tcp://host:port`` of a scheduler, or
        ``local:N`` for N local worker processes.
    text_features : str, optional
        Override every task's ``text_features`` (``tfidf``, ``embed`` or ``both``).

    Returns
    -------
    RunReport
        With ``failed`` listing the tasks that could not run; the others'
        results are written. Nothing is written when no task could run.

    Raises
    ------
    ConfigError, DataError
        Bad options, a missing path, ``out`` holding another study's results,
        or the only task failing.
    RunInterrupted
        Ctrl-C; the finished units are kept for a resume.
    """
    _check_metric(metric)
    if jobs is None:
        jobs = os.cpu_count() or 1
    check_range("--jobs", jobs, 1, MAX_JOBS)
    check_range("--seeds", seeds, 1, MAX_SEEDS)
    # Where results go is checked before the work, so a long run cannot fail at the end.
    check_output_dir(out, "--out")
    if plot is not None:
        check_output_file(plot, "--plot")
    broken: list = []
    tasks = discover_tasks(paths, broken=broken)
    if text_features is not None:
        tasks = [with_text_features(t, text_features) for t in tasks]
    if not tasks and len(broken) == 1:
        raise broken[0][2]
    from alearn.run import outputs, runner
    from alearn.run.units import UnitStore

    failed = [runner.Failure(name, str(path), exc.message) for name, path, exc in broken]
    _check_study(out, {t.name for t in tasks} | {f.task for f in failed}, fresh)
    with ExitStack() as stack:
        client = None
        if cluster is not None:
            from alearn.run.cluster import open_client

            client = stack.enter_context(open_client(cluster))
        result = runner.run(tasks, seeds=seeds, jobs=jobs, progress=progress,
                            units=UnitStore(out, fresh=fresh), client=client,
                            keep_going=len(tasks) + len(failed) > 1, failed=failed)
    if not result.tasks:
        return RunReport(tables=[], notices=result.log, failed=result.failed)
    written = outputs.write_run(result, out)
    if plot is not None:
        from alearn.run.plot import plot_curves

        written.append(plot_curves(result.results, plot, result.task_budgets, metric))
    return _report(result.results, result.task_budgets, metric, per_task,
                   notices=result.notices + result.log, written=written,
                   failed=result.failed)


def _check_study(out: Path, names: set[str], fresh: bool) -> None:
    """Refuse to mix another study's results into ``out`` (unless ``--fresh``)."""
    from alearn.run import outputs

    before = None if fresh else outputs.study_tasks(out)
    if before is not None and before != names:
        other = ", ".join(sorted(before - names)[:3]) or ", ".join(sorted(names - before)[:3])
        raise ConfigError(f"{out}: holds the results of a different study (tasks differ: "
                          f"{other}); choose another --out, or add --fresh to replace them")


def report(out: Path, *, plot: Path | None = None, metric: str = "accuracy",
           per_task: bool = True) -> RunReport:
    """Re-summarise a finished run from its output folder.

    Parameters
    ----------
    out : Path
        The folder ``alearn run --out`` wrote (or its ``results.csv``).
    plot : Path, optional
        PNG file for the learning curves.
    metric : str

    Returns
    -------
    RunReport
    """
    _check_metric(metric)
    if plot is not None:
        check_output_file(plot, "--plot")
    results_file(out)  # a folder without results is refused before pandas loads
    from alearn.run import outputs

    results = outputs.read_results(out)
    budgets = outputs.read_task_budgets(out)
    try:
        shown = _report(results, budgets, metric, per_task, failed=outputs.read_failed(out))
        if plot is not None:
            from alearn.run.plot import plot_curves

            shown.written.append(plot_curves(results, plot, budgets, metric))
    except (KeyError, ValueError, IndexError) as exc:
        # read_results catches the usual damage; this is the net for the rest.
        raise DataError(f"{out}: the results are incomplete or not from `alearn run` "
                        f"({type(exc).__name__}: {exc}); run `alearn run` again") from None
    return shown


def _report(results: pd.DataFrame, budgets: TaskBudgets | None, metric: str,
            per_task: bool = True, **extra: Any) -> RunReport:
    tables = [table for kind in KINDS.values()
              for table in kind.tables(results, budgets, metric, per_task)]
    return RunReport(tables=tables, **extra)


def open_label_session(data: str | Path, *, target: str | None = None,
                       classes: str | None = None, batch: int | None = None,
                       strategy: str | None = None, model: str | None = None,
                       store: str | Path | None = None, gold: str | None = None,
                       budget: int | None = None, annotator: str | None = None,
                       text: str | None = None, text_features: str | None = None,
                       evaluate: str | None = None,
                       timeout: float | None = None, parallel: int | None = None,
                       id_column: str | None = None,
                       hide: Sequence[str] | None = None,
                       exclude: Sequence[str] | None = None, new_target: bool | None = None,
                       audit: int | None = None,
                       recall_target: float | None = None, recheck: str | None = None,
                       prior_ids: Sequence[str] | None = None,
                       query: str | None = None, describe: Sequence[str] | None = None,
                       progress: Report | None = None) -> Session:
    """Open (or resume) the session ``alearn label`` runs: the task's kind opens it
    (:func:`alearn.session.types.open_for_task`).

    Parameters are the command's options (:class:`alearn.session.options.LabelOptions`;
    ``id_column`` is ``--id``); an option the session does not read is refused, and
    ``--strategy`` must be one the task's kind accepts (its ``strategies`` registry).
    ``progress`` is told the phases of opening (reading, typing the columns, the row
    ids, the cold start), for a big file.

    Returns
    -------
    Session
        A ``ClassSession`` or ``MeasureSession``, open; close it (or use it as a
        context manager) to release the store.

    Raises
    ------
    ConfigError, DataError, StoreError, StoreBusyError
    """
    if is_merged_store(data):
        raise StoreError(f"{data}: a merged store (alearn merge); decide its conflicts with "
                         f"`alearn label {data} --adjudicate`")
    task = load_task(data)
    options = LabelOptions(target=target, classes=classes, batch=batch, strategy=strategy,
                           model=model, store=store, gold=gold, budget=budget,
                           annotator=annotator, text=text, text_features=text_features,
                           evaluate=evaluate, timeout=timeout, parallel=parallel,
                           id=id_column, hide=tuple(hide) if hide else None,
                           exclude=tuple(exclude) if exclude else None, new_target=new_target,
                           audit=audit, recall_target=recall_target, recheck=recheck,
                           query=query, prior_ids=tuple(prior_ids) if prior_ids else None,
                           describe=tuple(describe) if describe else None,
                           progress=progress)
    # A busy store is refused before the session machinery (scikit-learn) loads.
    check_free(options.store_path(task.name))
    if is_merged_store(options.store_path(task.name)):
        raise StoreError(f"{options.store_path(task.name)}: a merged store (alearn merge) "
                         "takes no new labels; label in your own store and merge again, or "
                         "decide its conflicts with --adjudicate")
    from alearn.session.types import open_for_task

    return open_for_task(task, options)


def open_adjudication(store: str | Path, *, annotator: str | None = None,
                      given: Sequence[str] = ()) -> Adjudication:
    """Open a merged store to decide its conflicts (``alearn label TEAM.db --adjudicate``).

    Parameters
    ----------
    store : path
        A store written by ``alearn merge``.
    annotator : str, optional
        The adjudicator's name, recorded with each decision (default: the user name).
    given : sequence of str
        Other options of ``alearn label`` given with ``--adjudicate``: refused.

    Returns
    -------
    Adjudication
        Open; close it (or use it as a context manager) to release the store.

    Raises
    ------
    ConfigError, StoreError, StoreBusyError
    """
    if given:
        raise ConfigError(f"{given[0]} is not read with --adjudicate: a merged store keeps "
                          "its settings; give only the store (and --annotator)")
    # One person's store, or a busy one, is refused before the data and models load.
    Team.of(read_store(store)[0], store)
    check_free(store)
    from alearn.session.adjudicate import open_adjudication as opened

    return opened(store, annotator)
