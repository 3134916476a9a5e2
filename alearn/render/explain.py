"""Rendering for ``alearn export``, ``alearn predict`` and ``alearn explain``."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.table import Table
from rich.text import Text

from alearn import render
from alearn.counting import counted, signed
from alearn.export.prediction import predictions_csv


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def exported(card: dict[str, Any]) -> None:
    """A short summary of an export: model, labels, learning curve."""
    labels, model = card["labels"], card["model"]
    per_class = ", ".join(f"{k} {v}" for k, v in labels["per_class"].items())
    render.out.print(Text(f"{model['title']} fitted on {counted(labels['count'], 'label')} "
                          f"({per_class})"))
    points = card["learning_curve"]["points"]
    if points:
        table = Table(title="learning curve", title_justify="left",
                      caption=card["learning_curve"]["method"], caption_justify="left")
        for name in ("labels", "accuracy", "90 % interval", "majority class", "macro-F1",
                     "rows scored"):
            table.add_column(name, justify="right", no_wrap=True)
        for p in points:
            mark = " *" if p.get("exported") else ""
            span = "-" if p.get("low") is None else f"{p['low']:.2f}-{p['high']:.2f}"
            accuracy = _score(p["accuracy"])
            if p.get("majority") is not None and p["accuracy"] is not None \
                    and p["accuracy"] <= p["majority"]:
                accuracy += " (not above majority)"
            table.add_row(f"{p['labels']}{mark}", accuracy, span, _score(p.get("majority")),
                          _score(p["macro_f1"]), str(p["n_eval"]))
        render.out.print(table)
    render.out.print(Text(f"model file SHA-256 {card['model_file']['sha256']}"))


def rules(text: str) -> None:
    """Print ``rules.md`` as written (plain text, so it can be piped or copied)."""
    render.out.print(Text(text.rstrip("\n")), soft_wrap=True)


def predictions(frame: pd.DataFrame) -> None:
    """Print predictions as CSV on stdout, as ``--out`` writes them."""
    render.out.file.write(predictions_csv(frame))
    render.out.file.flush()


def row(explanation: Any) -> None:
    """Why one row got its prediction: the tree's rule, or per-column contributions."""
    e = explanation
    proba = ", ".join(f"{c} {p:.0%}" for c, p in e.proba.items())
    render.out.print(Text(f"row {e.row}: predicted {e.prediction} ({proba})"))
    unseen = list(getattr(e, "unseen", []))
    if unseen:
        # A condition on a value the model never saw neither holds nor fails for it.
        render.notice(f"row {e.row}: {', '.join(repr(c) for c in unseen)} hold"
                      f"{'s' if len(unseen) == 1 else ''} a value never seen in training; no "
                      "rule or weight describes it, so this prediction is a guess")
    if e.kind == "path":
        title = (f"rule {e.rule} of rules.md holds for this row" if not unseen else
                 f"rule {e.rule} of rules.md is where the model sends this row (its "
                 "unseen value is treated as a rare one)")
        table = Table(title=title, title_justify="left")
        table.add_column("condition", no_wrap=False)
        table.add_column("row's value", justify="right")
        for condition, value in e.path:
            table.add_row(Text(condition), Text(value))
        if not e.path:
            table.add_row("(always true: the tree has a single leaf)", "")
        render.out.print(table)
        return
    if e.kind == "neighbours":
        table = Table(title="its nearest labeled rows (listed in rules.md), nearest first",
                      title_justify="left")
        for name, justify in (("#", "right"), ("row", "right"), ("class", "left"),
                              (e.nearness, "right"), ("values", "left")):
            table.add_column(name, justify=justify)
        for number, at, cls, value, shown in e.neighbours:
            table.add_row(str(number), str(at), Text(cls), f"{value:.3f}", Text(shown))
        render.out.print(table)
        return
    c = e.contributions
    total = c.base + sum(c.by_column.values())
    table = Table(title=f"{c.label} rather than {c.against}: {c.unit} per column",
                  title_justify="left",
                  caption=f"base {signed(c.base, 3)} + columns = {signed(total, 3)}",
                  caption_justify="left")
    table.add_column("column")
    table.add_column("row's value", justify="right")
    table.add_column("push", justify="right")
    for column, amount in c.by_column.items():
        table.add_row(Text(column), Text(e.values.get(column, "")), signed(amount, 3))
    render.out.print(table)
