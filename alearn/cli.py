"""The ``alearn`` command line: parse arguments, call the library once, render.

Errors are mapped to exit codes here and nowhere else: an :class:`AlearnError`
prints one line and exits with its code; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from alearn.errors import AlearnError

app = typer.Typer(
    name="alearn",
    help="Active-learning labeling in the terminal: choose the few rows worth labeling, "
    "train compact explainable models, and measure learning curves.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    """Active-learning labeling in the terminal."""


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(
        help="Task folders, folders of task folders, or CSV/Parquet/JSONL files.")],
    seeds: Annotated[int | None, typer.Option(
        "--seeds", help="Seeds per task (default: the task's own, 20).")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", help="Worker processes; results are identical for any value.")] = 1,
    out: Annotated[Path, typer.Option(
        "--out", help="Folder for results.csv and summary.json.")] = Path("alearn-results"),
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also write a PNG of the learning curves.")] = None,
    metric: Annotated[str, typer.Option(
        "--metric", help="Metric shown: accuracy or macro_f1.")] = "accuracy",
    per_task: Annotated[bool, typer.Option(
        "--per-task/--no-per-task", help="Show a table per task, not only the summary.")] = True,
) -> None:
    """Simulate active learning on tasks (the known labels play the human).

    Example: alearn run tasks/ --seeds 20 --jobs 2 --out results --plot results/curves.png
    """
    from alearn import commands
    from alearn.render import notice, written
    from alearn.render.report import progress, summary_tables

    with progress() as tick:
        result = commands.run_tasks(paths, out=out, seeds=seeds, jobs=jobs, plot=plot,
                                    metric=metric, progress=tick)
    for line in result.notices:
        notice(line)
    summary_tables(result.summary, per_task=per_task)
    written(result.written)


@app.command()
def report(
    out: Annotated[Path, typer.Argument(help="Folder written by `alearn run --out`.")],
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also write a PNG of the learning curves.")] = None,
    metric: Annotated[str, typer.Option(
        "--metric", help="Metric shown: accuracy or macro_f1.")] = "accuracy",
    per_task: Annotated[bool, typer.Option(
        "--per-task/--no-per-task", help="Show a table per task, not only the summary.")] = True,
) -> None:
    """Re-render the tables (and optionally the plot) of a finished run.

    Example: alearn report results --metric macro_f1
    """
    from alearn import commands
    from alearn.render import written
    from alearn.render.report import summary_tables

    result = commands.report(out, plot=plot, metric=metric)
    summary_tables(result.summary, per_task=per_task)
    written(result.written)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map errors to exit codes.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args
    try:
        # Standalone mode: usage errors print their own message and exit with 2.
        app(args=args, prog_name="alearn")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except AlearnError as exc:
        if debug:
            raise
        from alearn.render import error

        error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return 0

if __name__ == "__main__":
    sys.exit(main())
