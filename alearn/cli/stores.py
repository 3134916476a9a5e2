"""Commands that read label stores: ``alearn labels``, ``stopping``, ``merge`` and
``agreement``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from alearn.cli.app import WRITTEN, app
from alearn.journal.merged import DEFAULT_RULE, RULES


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
