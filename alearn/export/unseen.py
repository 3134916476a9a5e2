"""Categories a model never saw in training: found per column, reported with their share.

A one-hot encoder maps a value it was not fitted on to its pooled rare value (or
to nothing), so upper-cased or otherwise re-spelled categories would silently
turn into guesses; ``alearn predict`` says so, and ``--strict`` refuses them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from alearn.errors import DataError

# Unseen categories on at least this share of rows earn a note (any, with --strict,
# is an error): the model treats them as an infrequent or absent value.
UNSEEN_NOTE_SHARE = 0.01



def seen_categories(pipeline: Any) -> dict[str, list[str]]:
    """Categorical column -> the values its one-hot encoder was fitted on."""
    pre = pipeline[0]
    seen: dict[str, list[str]] = {}
    for _, transformer, columns in getattr(pre, "transformers_", []):
        encoder = transformer[-1] if hasattr(transformer, "steps") else transformer
        if not hasattr(encoder, "categories_") or isinstance(columns, str):
            continue
        for column, values in zip(columns, encoder.categories_, strict=True):
            seen[str(column)] = [str(v) for v in values]
    return seen


def unseen_values(features: pd.DataFrame, pipeline: Any) -> dict[str, pd.Series]:
    """Categorical column -> mask of rows holding a value the model never saw."""
    out = {}
    for column, values in seen_categories(pipeline).items():
        if column in features.columns:
            cells = features[column]
            mask = cells.notna() & ~cells.isin(values)
            if mask.any():
                out[column] = mask
    return out


def _unseen_line(found: dict[str, pd.Series], features: pd.DataFrame,
                 seen: dict[str, list[str]]) -> str:
    """One line for every column holding unseen values: each column's share of rows, a
    few of the values, and those that differ from a known value only in case."""
    shares = ", ".join(f"{c!r} ({m.mean():.0%} of rows)" for c, m in list(found.items())[:4])
    more = f" and {len(found) - 4} more" if len(found) > 4 else ""
    values, case = [], []
    for column, mask in found.items():
        lower = {k.lower(): k for k in seen[column]}
        for value in dict.fromkeys(features[column][mask].astype(str)):
            values.append(value)
            if value.lower() in lower:
                case.append(f"{value!r} for {lower[value.lower()]!r}")
    values = list(dict.fromkeys(values))
    shown = ", ".join(repr(v) for v in values[:3]) + (", ..." if len(values) > 3 else "")
    hint = (f"; some differ only in case ({', '.join(list(dict.fromkeys(case))[:2])})"
            if case else "")
    many = len(found) > 1
    return (f"column{'s' if many else ''} {shares}{more} hold{'' if many else 's'} values "
            f"never seen in training ({shown}){hint}; the model treats them as a rare value, "
            "so those predictions are guesses")


def check_unseen(features: pd.DataFrame, pipeline: Any, where: str, strict: bool
                 ) -> list[str]:
    """A note on categories the model never saw (on at least ``UNSEEN_NOTE_SHARE`` of rows).

    Raises
    ------
    DataError
        ``strict`` and any row holds an unseen category.
    """
    found = {c: m for c, m in unseen_values(features, pipeline).items()
             if strict or m.mean() >= UNSEEN_NOTE_SHARE}
    if not found:
        return []
    line = _unseen_line(found, features, seen_categories(pipeline))
    if strict:
        raise DataError(f"{where}: {line} (--strict refuses them)")
    return [f"{where}: {line}"]
