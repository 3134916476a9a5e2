"""Commands on models: ``alearn export`` (fit and write one), ``predict`` and
``explain``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alearn.cli.app import READ, WRITTEN, app
from alearn.kinds import KINDS
from alearn.models import MODELS


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
