"""``alearn run`` and ``alearn report``: simulate active learning on task folders, and
show a finished run again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alearn.cli.app import READ, TEXT_FEATURES_HELP, app
from alearn.kinds.classify import METRICS

# The options `run` and `report` share.
PlotOption = Annotated[Path | None, typer.Option(
    "--plot", help="Also write a PNG of the learning curves.")]
MetricOption = Annotated[str, typer.Option(
    "--metric", help=f"Metric shown: {' or '.join(METRICS)}.")]
PerTaskOption = Annotated[bool, typer.Option(
    "--per-task/--no-per-task", help="Show a table per task, not only the summary.")]


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(
        help="Task folders, folders of task folders (or of data files), or data files "
        f"({READ}; text also .gz, .bz2, .zip, .xz).")],
    seeds: Annotated[int | None, typer.Option(
        "--seeds", help="Seeds per task (default: the task's own, 20).")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Worker processes (default: one per core); results are "
        "identical for any value.")] = None,
    out: Annotated[Path, typer.Option(
        "--out", help="Folder for results.csv and summary.json.")] = Path("alearn-results"),
    plot: PlotOption = None,
    metric: MetricOption = "accuracy",
    per_task: PerTaskOption = True,
    fresh: Annotated[bool, typer.Option(
        "--fresh", help="Recompute every (task, seed) unit instead of reusing the ones "
        "kept under --out/units by an earlier or interrupted run.")] = False,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="Run the units on Dask: tcp://HOST:PORT of a running scheduler, "
        "or local:N for N worker processes here (needs pip install 'alearn[dask]'); "
        "results are identical to a local run.")] = None,
    text_features: Annotated[str | None, typer.Option(
        "--text-features", help=TEXT_FEATURES_HELP + " for every task (default: each "
        "task's text_features, tfidf).")] = None,
) -> None:
    """Simulate active learning on tasks (the known labels play the human).

    Each finished (task, seed) is kept under --out/units: after Ctrl-C or a crash,
    the same command resumes and computes only what is missing. A task that cannot
    be loaded or simulated is reported (exit code 2) and the others still run.

    Example: alearn run tasks/ --seeds 20 --jobs 2 --out results --plot results/curves.png

    Example: alearn run tasks/ --seeds 20 --out results --cluster local:2

    Example: alearn run reviews/ --seeds 10 --text-features embed --out results
    """
    from alearn import commands
    from alearn.data.embed import reporting
    from alearn.render import notice, written
    from alearn.render.report import failures, progress, run_tables

    with progress() as tick, reporting(tick.embedding):  # type: ignore[attr-defined]
        result = commands.run_tasks(paths, out=out, seeds=seeds, jobs=jobs, plot=plot,
                                    metric=metric, per_task=per_task, progress=tick,
                                    fresh=fresh, cluster=cluster,
                                    text_features=text_features)
    for line in result.notices:
        notice(line)
    run_tables(result)
    written(result.written)
    if result.failed:
        failures(result.failed)
        raise typer.Exit(2)


@app.command()
def report(
    out: Annotated[Path, typer.Argument(help="Folder written by `alearn run --out`.")],
    plot: PlotOption = None,
    metric: MetricOption = "accuracy",
    per_task: PerTaskOption = True,
) -> None:
    """Re-render the tables (and optionally the plot) of a finished run.

    Tasks the run could not run are listed again, and the exit code is then 2.

    Example: alearn report results --metric macro_f1
    """
    from alearn import commands
    from alearn.render import written
    from alearn.render.report import failures, run_tables

    result = commands.report(out, plot=plot, metric=metric, per_task=per_task)
    run_tables(result)
    written(result.written)
    if result.failed:
        failures(result.failed)
        raise typer.Exit(2)
