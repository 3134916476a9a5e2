"""Text columns as one document per row (what TF-IDF features are built from)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def text_feature_name(columns: Sequence[str]) -> str:
    """The name of the joined document column built from text columns."""
    return " + ".join(columns)


def join_text(frame: pd.DataFrame, columns: Sequence[str],
              weights: dict[str, int] | None = None) -> pd.Series:
    """One document per row: the text columns joined by spaces, each repeated by its weight.

    Parameters
    ----------
    frame : DataFrame
        Holds the text columns (missing cells count as no words).
    columns : sequence of str
    weights : dict, optional
        Column -> how many times its words are repeated (default 1): a short,
        telling column such as a title can count more than a long abstract.

    Returns
    -------
    Series of str
    """
    weights = weights or {}
    parts = [((frame[c].fillna("").astype(str) + " ") * int(weights.get(c, 1)))
             for c in columns]
    out = parts[0]
    for part in parts[1:]:
        out = out + part
    return out.str.strip().astype(object)
