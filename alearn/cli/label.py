"""``alearn label``: a labeling session on a data file or task folder, or the
adjudication of a merged store's conflicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alearn.cli.app import READ, STRATEGY_HELP, TEXT_FEATURES_HELP, app
from alearn.models import MODELS
from alearn.progress import Phase


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
