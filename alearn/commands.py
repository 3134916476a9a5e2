"""One library call per CLI command: arguments in, plain data out.

The CLI parses arguments, calls one function here, and renders what it returns.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from alearn import outputs, simulate
from alearn.errors import ConfigError
from alearn.optimize import OptSummary, summarize_optimize
from alearn.screening import ScreenSummary, summarize_screen
from alearn.summary import Summary, summarize
from alearn.tasks import discover_tasks

METRICS = ("accuracy", "macro_f1")


@dataclass
class RunReport:
    """What ``alearn run`` and ``alearn report`` show.

    Attributes
    ----------
    summary : Summary or None
        Classification learning curves (``None`` without classify tasks).
    optimize : OptSummary or None
        % optimal of optimize tasks (``None`` without them).
    screen : ScreenSummary or None
        Recall and work saved of screen tasks (``None`` without them).
    notices : list of str
    written : list of Path
    """

    summary: Summary | None
    optimize: OptSummary | None = None
    screen: ScreenSummary | None = None
    notices: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise ConfigError(f"--metric {metric!r} is not known; expected one of {', '.join(METRICS)}")


def run_tasks(paths: Sequence[str | Path], *, out: Path, seeds: int | None = None,
              jobs: int | None = None,
              plot: Path | None = None, metric: str = "accuracy",
              progress: simulate.Progress | None = None) -> RunReport:
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
    progress : callable, optional
        ``progress(done, total)``.

    Returns
    -------
    RunReport
    """
    _check_metric(metric)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {jobs}")
    if seeds is not None and seeds < 1:
        raise ConfigError(f"--seeds must be at least 1, got {seeds}")
    tasks = discover_tasks(paths)
    result = simulate.run(tasks, seeds=seeds, jobs=jobs, progress=progress)
    written = outputs.write_run(result, out)
    if plot is not None:
        from alearn.plot import plot_curves

        written.append(plot_curves(result.results, plot, metric))
    return _report(result.results, result.budgets, metric, notices=result.notices,
                   written=written)


def report(out: Path, *, plot: Path | None = None, metric: str = "accuracy") -> RunReport:
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
    results = outputs.read_results(out)
    written = []
    if plot is not None:
        from alearn.plot import plot_curves

        written.append(plot_curves(results, plot, metric))
    budgets = outputs.read_budgets(out) if Path(out).is_dir() else None
    return _report(results, budgets, metric, written=written)


def _report(results: pd.DataFrame, budgets: list[int] | None, metric: str,
            **extra: list) -> RunReport:
    classify = summarize(results, budgets, metric=metric) \
        if outputs.has_metric(results, metric) else None
    opt = summarize_optimize(results, budgets or [8, 16, 32])
    return RunReport(summary=classify, optimize=opt, screen=summarize_screen(results), **extra)
