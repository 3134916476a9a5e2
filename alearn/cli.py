"""The ``alearn`` command line: parse arguments, call the library once, render.

Errors are mapped to exit codes here and nowhere else: an :class:`AlearnError`
prints one line and exits with its code; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading


def _interrupted_while_starting(signum: int, frame: object) -> None:
    # Ctrl-C while the libraries load: nothing has been written yet, so leave at once
    # with one line instead of an import traceback.
    sys.stderr.write("error: interrupted (Ctrl-C) while starting; nothing was written\n")
    os._exit(130)


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, _interrupted_while_starting)

from pathlib import Path  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from alearn import __version__  # noqa: E402
from alearn.data.formats import FORMATS  # noqa: E402
from alearn.errors import AlearnError  # noqa: E402
from alearn.journal.merged import DEFAULT_RULE, RULES  # noqa: E402
from alearn.kinds import KINDS  # noqa: E402
from alearn.kinds.classify import METRICS  # noqa: E402
from alearn.models import MODELS  # noqa: E402
from alearn.progress import Phase  # noqa: E402

# Help texts come from the registries, so a new strategy or kind shows up here.
READ = ", ".join(s for f in FORMATS.values() for s in f.suffixes)
WRITTEN = FORMATS.subset([f.name for f in FORMATS.values() if f.write is not None]).choices()
STRATEGY_HELP = "; ".join(f"{k.name} tasks: {k.strategies.choices()}" for k in KINDS.values())
TEXT_FEATURES_HELP = ("How text columns become features: tfidf (word terms), embed (sentence "
                      "embeddings; needs pip install 'alearn[embed]') or both")

app = typer.Typer(
    name="alearn",
    help="Active-learning labeling in the terminal: choose the few rows worth labeling, "
    "train compact explainable models, and measure learning curves.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"alearn {_version()}")
        raise typer.Exit()


def _version() -> str:
    """The installed package's version (its metadata), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alearn")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return __version__


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
    show_version: Annotated[bool, typer.Option(
        "--version", help="Show alearn's version and exit.", is_eager=True,
        callback=_show_version)] = False,
) -> None:
    """Active-learning labeling in the terminal."""


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
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also write a PNG of the learning curves.")] = None,
    metric: Annotated[str, typer.Option(
        "--metric", help=f"Metric shown: {' or '.join(METRICS)}.")] = "accuracy",
    per_task: Annotated[bool, typer.Option(
        "--per-task/--no-per-task", help="Show a table per task, not only the summary.")] = True,
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
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also write a PNG of the learning curves.")] = None,
    metric: Annotated[str, typer.Option(
        "--metric", help=f"Metric shown: {' or '.join(METRICS)}.")] = "accuracy",
    per_task: Annotated[bool, typer.Option(
        "--per-task/--no-per-task", help="Show a table per task, not only the summary.")] = True,
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


@app.command()
def label(
    ctx: typer.Context,
    data: Annotated[Path, typer.Argument(help=f"A data file ({READ}) or a task folder.")],
    target: Annotated[str | None, typer.Option(
        "--target", help="Column to label; may be absent or mostly empty. Labels already in "
        "it are used as the start.")] = None,
    classes: Annotated[str | None, typer.Option(
        "--classes", help="Comma-separated classes, on keys 1-9 in this order. Without it, "
        "classes come from existing labels or are typed during the session.")] = None,
    batch: Annotated[int | None, typer.Option(
        "--batch", help="Labels per retrain (default: the task's, 1).")] = None,
    strategy: Annotated[str | None, typer.Option(
        "--strategy", help=f"{STRATEGY_HELP} (default: the task's first).")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", help=f"{MODELS.choices()} (default: the task's, logreg).")] = None,
    store: Annotated[Path | None, typer.Option(
        "--store", help="Label store (SQLite); the same store resumes the session. "
        "Default: ./<task name>.labels.db")] = None,
    gold: Annotated[str | None, typer.Option(
        "--gold", help="True labels to measure accuracy on: a column of DATA, or a file "
        "with the id column (or a labeled copy of DATA).")] = None,
    budget: Annotated[int | None, typer.Option(
        "--budget", help="Stop after this many labels in the store.")] = None,
    annotator: Annotated[str | None, typer.Option(
        "--annotator", help="Name saved with each label (default: your user name).")] = None,
    text: Annotated[str | None, typer.Option(
        "--text", help="Comma-separated free-text columns (TF-IDF words; default: the "
        "task's text, else long free-text columns, named in a notice).")] = None,
    text_features: Annotated[str | None, typer.Option(
        "--text-features", help=TEXT_FEATURES_HELP + " (default: the task's, tfidf); "
        "embeddings are cached beside the store.")] = None,
    evaluate: Annotated[str | None, typer.Option(
        "--evaluate", help="Optimize tasks: a shell command that measures each suggested row "
        "(row as JSON on stdin and ALEARN_<COLUMN> variables; prints a JSON object of goal "
        "values).")] = None,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="Optimize tasks: seconds per --evaluate run (default 60).")] = None,
    parallel: Annotated[int | None, typer.Option(
        "--parallel", metavar="<k>", help="Optimize tasks: k rows under way at once (with "
        "--evaluate, k evaluations run at once; without, a table of k rows whose results "
        "you enter in any order); each freed slot gets a row chosen knowing which rows are "
        "under way (default 1).")] = None,
    id_column: Annotated[str | None, typer.Option(
        "--id", help="Column naming each row (unique values), stored with the labels and "
        "exported by `alearn labels`; never a feature. Default: the task's id, else a column "
        "that can only be an id (named in a note), else a hash of the row's content.")] = None,
    hide: Annotated[list[str] | None, typer.Option(
        "--hide", metavar="<column>",
        help="Column never shown on the screen (repeatable, or comma-separated), "
        "e.g. one that gives the answer away; the model still uses it (a note says so) "
        "unless --exclude drops it. Kept in the store.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="<column>",
        help="Column the model never uses (repeatable, or comma-separated), added to the "
        "task's [features] exclude; it is still shown unless hidden. Kept in the store.")
    ] = None,
    new_target: Annotated[bool, typer.Option(
        "--new-target", help="--target names a new column to fill in, even though a column "
        "with a similar name exists (without it, a close name is taken for a typo).")
    ] = False,
    audit: Annotated[int | None, typer.Option(
        "--audit", help="Classify: every N-th label is a row drawn at random, to measure "
        "accuracy honestly (default 4; 0: none, then accuracy is cross-validated and "
        "biased; --gold sessions: 0).")] = None,
    recall_target: Annotated[float | None, typer.Option(
        "--recall-target", help="Screen tasks: the recall the stopping advice aims for, in "
        "(0, 1] (default: the task's recall_target, 0.95). Advice only: it never changes "
        "the rows suggested.")] = None,
    query: Annotated[str | None, typer.Option(
        "--query", help="Screen tasks: the research question or inclusion criteria (the "
        "task's query); with no labels yet, the records most like it come first, and every "
        "retrain counts it as one relevant record. Kept in the store.")] = None,
    prior_ids: Annotated[list[str] | None, typer.Option(
        "--prior-ids", metavar="<id>",
        help="Screen tasks: records already known to be relevant (repeatable, or "
        "comma-separated; row ids, or 0-based row numbers when the data has no id column), "
        "labeled relevant from the start (default: the task's priors).")] = None,
    describe: Annotated[list[str] | None, typer.Option(
        "--describe", metavar="<class=text>",
        help="Classify: what a class is, in a sentence (repeatable; the task's describe), "
        "e.g. --describe 'bug=a bug report: something is broken'. Before any label the rows "
        "are ranked and pre-labeled by the descriptions (best with --text-features embed); "
        "they fade as labels come. Kept in the store.")] = None,
    recheck: Annotated[str | None, typer.Option(
        "--recheck", help="Classify: auto — now and then show a labeled row again whose label "
        "a model fitted without it finds unlikely (keep or change it; one answer each); "
        "off. Default: the task's recheck, off. May change on resume.")] = None,
    adjudicate: Annotated[bool, typer.Option(
        "--adjudicate", help="DATA is a merged store (`alearn merge`): decide its conflicts, "
        "one at a time, seeing each annotator's answer and note.")] = False,
) -> None:
    """Label rows interactively: one keystroke per label, retrain after each batch.

    Keys: 1-9 class, n type a class name, s skip, u undo, e expand long text,
    f all fields, ? help, q save and quit.
    With stdin not a terminal, reads one answer per line (class name or key).
    Optimize tasks (goal columns ending in + or -): type each goal's measured value
    for the suggested row, or measure rows with --evaluate "CMD".

    Example: alearn label tickets.csv --target label --classes bug,feature,question --batch 4

    Example: alearn label tickets.csv --id ticket --hide resolution --exclude resolution

    Example: alearn label reviews.csv --target label! --text-features embed --model knn

    Example: alearn label reviews.csv --classes fresh,rotten --text-features embed
    --describe 'fresh=a positive movie review' --describe 'rotten=a negative movie review'

    Example: alearn label screening/ --recall-target 0.9   (a task folder, kind = "screen")

    Example: alearn label screening/ --query "defect prediction metrics"

    Example: alearn label team.labels.db --adjudicate --annotator carol
    """
    if adjudicate:
        from alearn import commands

        # Options typed on the command line (typer's own click: its enum, by name).
        given = [p.opts[0] for p in ctx.command.params
                 if p.name not in ("data", "annotator", "adjudicate")
                 and getattr(ctx.get_parameter_source(str(p.name)), "name", "") == "COMMANDLINE"]
        with commands.open_adjudication(data, annotator=annotator, given=given) as adjudication:
            from alearn.render.adjudicate_screen import run as run_adjudication

            run_adjudication(adjudication)
        return
    from alearn import commands
    from alearn.data.embed import reporting
    from alearn.render.loading import loading

    with loading() as progress, reporting(
            lambda done, total: progress(Phase("embedding text", done, total, "rows"))):
        session = commands.open_label_session(
            data, target=target, classes=classes, batch=batch, strategy=strategy, model=model,
            store=store, gold=gold, budget=budget, annotator=annotator, text=text,
            text_features=text_features, evaluate=evaluate, timeout=timeout,
            parallel=parallel, id_column=id_column, hide=hide, exclude=exclude,
            new_target=new_target or None,
            audit=audit, recall_target=recall_target, recheck=recheck, query=query,
            prior_ids=prior_ids, describe=describe,
            progress=progress)
    from alearn.render.session_screen import run as run_screen

    with session:
        run_screen(session)


@app.command()
def labels(
    store: Annotated[Path, typer.Argument(help="A label store written by `alearn label`.")],
    format: Annotated[str | None, typer.Option(
        "--format", help=f"{WRITTEN} (default: from --out's suffix, else csv).")
    ] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="File to write (default: print to stdout).")] = None,
    fields: Annotated[list[str] | None, typer.Option(
        "--fields", metavar="<columns>",
        help="Columns of the data to add after the label columns, matched by "
        "row id (repeatable, or comma-separated), so the labels join back to your rows.")
    ] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="With --fields: the data file, when it is no longer where it was "
        "labeled (default: that path, else a file of the same name next to the store).")
    ] = None,
    history: Annotated[bool, typer.Option(
        "--history", help="Every answer and note instead, in journal order: time, annotator, "
        "row, action, value, what it replaced, and whether it was undone.")] = False,
) -> None:
    """Export the current labels of a store (undone ones excluded), with row ids.

    Columns: id, label, annotator, time, then any --fields; in labeling order. For
    an optimize session's store, one column per goal instead of label.

    Example: alearn labels tickets.labels.db --format parquet --out labels.parquet

    Example: alearn labels tickets.labels.db --fields title,priority --out labels.csv
    """
    from alearn.export.labels import export_labels, parse_fields

    _, text, notes = export_labels(store, format, out, parse_fields(fields), data,
                                   history=history)
    from alearn.render import notice, written

    for line in notes:
        notice(line)
    if text is not None:
        sys.stdout.write(text)
    else:
        written([out])


@app.command()
def stopping(
    store: Annotated[Path, typer.Argument(help="A screening store written by `alearn label`.")],
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the statement's JSON record here (a .json file).")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="The data file, when it is no longer where it was labeled "
        "(default: that path, else a file of the same name next to the store).")] = None,
) -> None:
    """Print the stopping statement of a screening store: a methods paragraph citing
    the rule and its parameters, the target recall, the estimate and its bound (or a
    random-sample check), records screened and relevant found, the alearn version,
    and the SHA-256 of the data and of the journal.

    Example: alearn stopping refs.labels.db --out stopping.json
    """
    from alearn.export.stopping import store_statement

    statement, notes = store_statement(store, data, out)
    from alearn.render import notice, written

    for line in notes:
        notice(line)
    sys.stdout.write(statement.paragraph + "\n")
    if out is not None:
        written([out])


@app.command()
def merge(
    stores: Annotated[list[Path], typer.Argument(
        help="The label stores of two or more annotators, one each, made for the same data "
        "with the same settings.")],
    out: Annotated[Path, typer.Option(
        "--out", help="The merged store to write (a new file).")],
    rule: Annotated[str, typer.Option(
        "--rule", help="How a row's label is settled: " + "; ".join(
            f"{name}: {text}" for name, text in RULES.items()) + ".")] = DEFAULT_RULE,
) -> None:
    """Merge annotators' stores into one: every answer and who gave it, the label each
    row has by the rule, and the conflicts to adjudicate.

    Example: alearn merge alice.labels.db bob.labels.db --out team.labels.db

    Then: alearn label team.labels.db --adjudicate; alearn labels team.labels.db
    """
    from alearn.export.merge import merge_stores

    result = merge_stores(stores, out, rule)
    from alearn.render.team import merged

    merged(result)


@app.command()
def agreement(
    stores: Annotated[list[Path], typer.Argument(
        help="Two or more label stores, one per annotator, made for the same data with the "
        "same settings.")],
    data: Annotated[Path | None, typer.Option(
        "--data", help="The data file, when it is no longer where the stores were labeled "
        "(default: that path, else a file of the same name next to a store).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Also write every figure as JSON to this file.")] = None,
) -> None:
    """How far annotators agree: raw agreement, Cohen's kappa (each pair), Fleiss' kappa
    and Krippendorff's alpha, each person against the others' majority, and each pair's
    confusion, with 95 % bootstrap intervals.

    Reported twice: on the shared random rows (the audit rows everyone's session drew
    from one random order: report these) and on every row two or more people labeled
    (chosen by each person's model: biased).

    Example: alearn agreement alice.labels.db bob.labels.db --out agreement.json
    """
    from alearn.export.agreement import team_agreement

    report = team_agreement(stores, data, out)
    from alearn.render import written
    from alearn.render.agreement import show

    show(report)
    if out is not None:
        written([out])


@app.command()
def export(
    source: Annotated[Path, typer.Argument(
        help="A label store written by `alearn label`, or a task folder (with --budget).")],
    out: Annotated[Path, typer.Option(
        "--out", help="Folder for the model file, rules.md, card.json and card.md.")],
    budget: Annotated[int | None, typer.Option(
        "--budget", help="Task only: fit on the first N labels the simulated run bought.")
    ] = None,
    seed: Annotated[int, typer.Option(
        "--seed", help="Task only: the run's seed (split, start, tie-breaks).")] = 0,
    strategy: Annotated[str | None, typer.Option(
        "--strategy", help=f"Task only: {KINDS['classify'].strategies.choices()} "
        "(default: the task's first).")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", help=f"{MODELS.choices()} (default: the task's or session's).")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="skops (safe to load) or joblib (loading needs --trust).")
    ] = "skops",
    data: Annotated[Path | None, typer.Option(
        "--data", help="Store only: its data file, when it is no longer where it was "
        "labeled (default: that path, else a file of the same name next to the store).")
    ] = None,
) -> None:
    """Fit a compact model on collected labels; write it with readable rules and a card.

    Example: alearn export tasks/iris --budget 32 --model tree --out models/iris
    Example: alearn export moved/tickets.labels.db --data moved/tickets.csv --out models/t
    """
    from alearn.export.export import export_model

    result = export_model(source, out, budget=budget, seed=seed, strategy=strategy,
                          model=model, fmt=fmt, data=data)
    from alearn.render import notice, written
    from alearn.render.explain import exported

    for line in result.notes:
        notice(line)
    exported(result.card)
    written(result.written)


@app.command()
def predict(
    folder: Annotated[Path, typer.Argument(help="Folder written by `alearn export --out`.")],
    data: Annotated[Path, typer.Argument(help=f"Data file to predict ({READ}).")],
    out: Annotated[Path | None, typer.Option(
        "--out", help=f"File to write, in the format its suffix names ({WRITTEN}; .gz etc. "
        "compress text) (default: print CSV to stdout).")] = None,
    id_column: Annotated[str | None, typer.Option(
        "--id", help="Column identifying rows (default: the training data's id column, "
        "else row numbers).")] = None,
    trust: Annotated[bool, typer.Option(
        "--trust", help="Allow a joblib model file (it can run code when loaded).")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Refuse category values never seen in training (default: a note "
        "naming the columns and the share of rows).")] = False,
) -> None:
    """Predict classes and class probabilities for every row of a data file.

    Output columns: the data's id column (or `row`), prediction, p_<class> per class.
    Columns the model does not use are ignored (with a note); missing feature
    columns are an error naming them; repeated ids are kept (with a note).

    Example: alearn predict models/iris new-flowers.csv --id flower --out predictions.csv
    """
    from alearn.export.predict import predict_data

    result = predict_data(folder, data, trust=trust, id_column=id_column, out=out,
                          strict=strict)
    from alearn.render import notice, written
    from alearn.render.explain import predictions

    for line in result.notes:
        notice(line)
    if out is None:
        predictions(result.frame)
    else:
        written([out])


@app.command()
def explain(
    folder: Annotated[Path, typer.Argument(help="Folder written by `alearn export --out`.")],
    row: Annotated[str | None, typer.Option(
        "--row", help="Explain this row: a value of the id column, or a 1-based row number "
        "when the data has none.")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="The data file holding --row.")] = None,
    id_column: Annotated[str | None, typer.Option(
        "--id", help="Column --row refers to (default: the training data's id column, "
        "else row numbers).")] = None,
    trust: Annotated[bool, typer.Option(
        "--trust", help="Allow a joblib model file (it can run code when loaded).")] = False,
) -> None:
    """Print the model's rules; with --row, why that row got its prediction.

    Example: alearn explain models/iris --row f17 --data new-flowers.csv --id flower
    """
    from alearn.export.predict import explain as explain_model

    result = explain_model(folder, row=row, data=data, id_column=id_column, trust=trust)
    from alearn.render.explain import row as render_row
    from alearn.render.explain import rules

    if isinstance(result, str):
        rules(result)
    else:
        render_row(result)


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
    if not debug:
        _quiet_third_party()
    try:
        # Standalone mode: usage errors print their own message and exit with 2.
        app(args=args, prog_name="alearn")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code == INTERRUPTED:  # typer turns Ctrl-C into exit 130
            _interrupted()
        return code
    except AlearnError as exc:
        if debug:
            raise
        from alearn.render import error

        error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        if debug:
            raise
        _interrupted()
        return INTERRUPTED
    except Exception as exc:  # a bug, not bad input: one line, the traceback with --debug
        if debug:
            raise
        from alearn.render import error

        error(f"internal error: {type(exc).__name__}: {_first_line(exc)} (run with --debug "
              "for the traceback, and please report it)")
        return 1
    return 0


INTERRUPTED = 130


def _interrupted() -> None:
    """Say so, and stop the worker processes at once rather than after their task."""
    try:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=False, kill_workers=True)
    except Exception:  # stopping workers is best effort on the way out
        pass
    from alearn.render import error

    # Every output is written by a rename, so the previous files are as they were.
    error("interrupted (Ctrl-C); no file was half-written")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no message"


def _quiet_third_party() -> None:
    """Keep library warnings (scikit-learn, pandas, joblib's resource tracker) off the
    terminal; the environment variable reaches worker processes too."""
    import warnings

    warnings.simplefilter("ignore")
    os.environ["PYTHONWARNINGS"] = "ignore"


# Loaded: Ctrl-C raises KeyboardInterrupt again, which main turns into exit 130.
if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, signal.default_int_handler)

if __name__ == "__main__":
    sys.exit(main())
