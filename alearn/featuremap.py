"""Mapping a fitted preprocessor's output columns back to the original columns.

Every column of the model matrix built by :func:`alearn.features.build_preprocessor`
is either a scaled numeric column or one one-hot indicator of a categorical
column. :class:`Term` records which, with what is needed to read a model in
the data's own units: the scaler's mean and scale, the category (or the pooled
rare categories) an indicator stands for, and the value a missing cell is
replaced with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.compose import ColumnTransformer


@dataclass(frozen=True)
class Term:
    """One column of the model matrix, in original terms.

    Attributes
    ----------
    column : str
        The original data column.
    kind : {"numeric", "category", "other"}
        A scaled numeric column, the indicator of one category, or the indicator
        of "any category not listed in ``frequent``" (rare or unseen values).
    mean, scale : float
        Scaled value = (value - mean) / scale (numeric only).
    value : str or None
        The category this indicator stands for (``kind == "category"``).
    frequent : tuple of str
        The categories that have their own indicator (``kind == "other"``).
    fill : float or str
        What a missing cell counts as (median or most frequent value).
    """

    column: str
    kind: str
    fill: float | str
    mean: float = 0.0
    scale: float = 1.0
    value: str | None = None
    frequent: tuple[str, ...] = ()

    def to_original(self, scaled: float) -> float:
        """A scaled value in the column's own units."""
        return float(scaled) * self.scale + self.mean

    def label(self) -> str:
        """A short readable name: ``col`` or ``col = value``."""
        if self.kind == "numeric":
            return self.column
        if self.kind == "category":
            return f"{self.column} = {self.value}"
        return f"{self.column} = other"


def feature_terms(pre: ColumnTransformer) -> list[Term]:
    """One :class:`Term` per output column of a fitted preprocessor, in order.

    Parameters
    ----------
    pre : ColumnTransformer
        Fitted, as built by :func:`alearn.features.build_preprocessor`.

    Returns
    -------
    list of Term
    """
    terms: list[Term] = []
    for name, pipe, columns in pre.transformers_:
        if name == "num":
            imputer, scaler = pipe[0], pipe[-1]
            for i, col in enumerate(columns):
                terms.append(Term(column=col, kind="numeric", fill=float(imputer.statistics_[i]),
                                  mean=float(scaler.mean_[i]), scale=float(scaler.scale_[i])))
        elif name == "cat":
            imputer, encoder = pipe[0], pipe[-1]
            infrequent = getattr(encoder, "infrequent_categories_", None) or [None] * len(columns)
            for i, col in enumerate(columns):
                rare = set() if infrequent[i] is None else {str(v) for v in infrequent[i]}
                frequent = tuple(str(v) for v in encoder.categories_[i] if str(v) not in rare)
                fill = str(imputer.statistics_[i])
                terms.extend(Term(column=col, kind="category", fill=fill, value=v)
                             for v in frequent)
                if rare:
                    terms.append(Term(column=col, kind="other", fill=fill, frequent=frequent))
    n_out = len(pre.get_feature_names_out())
    if len(terms) != n_out:  # pragma: no cover - guards against a changed preprocessor
        raise ValueError(f"mapped {len(terms)} model columns, the preprocessor has {n_out}")
    return terms


def columns_of(terms: list[Term]) -> list[str]:
    """The original columns, in first-appearance order."""
    return list(dict.fromkeys(t.column for t in terms))


def group_by_column(terms: list[Term], values: np.ndarray) -> dict[str, float]:
    """Sum per-term values (e.g. contributions) per original column."""
    out: dict[str, float] = {}
    for term, v in zip(terms, values, strict=True):
        out[term.column] = out.get(term.column, 0.0) + float(v)
    return out
