"""Mapping a fitted preprocessor's output columns back to the original columns.

Every column of the model matrix built by :func:`alearn.engine.features.build_preprocessor`
is either a scaled numeric column, one one-hot indicator of a categorical
column, a TF-IDF term of the text document (``kind == "word"``), one of its
latent-semantic components (``kind == "topic"``) or one number of its sentence
embedding (``kind == "vector"``). :class:`Term` records
which, with what is needed to read a model in the data's own units: the
scaler's mean and scale, the category (or the pooled rare categories) an
indicator stands for, and the value a missing cell is replaced with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.compose import ColumnTransformer

# What the summed pushes of a sentence embedding are called (``column: embedding``).
EMBEDDING = "embedding"


@dataclass(frozen=True)
class Term:
    """One column of the model matrix, in original terms.

    Attributes
    ----------
    column : str
        The original data column.
    kind : {"numeric", "category", "other", "word", "topic", "vector"}
        A scaled numeric column, the indicator of one category, the indicator
        of "any category not listed in ``frequent``" (rare or unseen values), a
        TF-IDF word n-gram of the text (``value``), an LSA component, or one
        number of the text's sentence embedding.
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
        if self.kind in ("word", "topic", "vector"):
            return f"{self.column}: {self.value}"
        return f"{self.column} = other"


def feature_terms(pre: ColumnTransformer) -> list[Term]:
    """One :class:`Term` per output column of a fitted preprocessor, in order.

    Parameters
    ----------
    pre : ColumnTransformer
        Fitted, as built by :func:`alearn.engine.features.build_preprocessor`.

    Returns
    -------
    list of Term
    """
    terms: list[Term] = []
    for name, pipe, columns in pre.transformers_:
        if name == "num":
            imputer, scaler = pipe[0], pipe[-1]
            for i, col in enumerate(columns):
                if hasattr(scaler, "mean_"):
                    mean, scale = float(scaler.mean_[i]), float(scaler.scale_[i])
                else:  # min-max scaled: scaled = value * scale_ + min_
                    scale = 1.0 / float(scaler.scale_[i]) if scaler.scale_[i] else 1.0
                    mean = -float(scaler.min_[i]) * scale
                terms.append(Term(column=col, kind="numeric", fill=float(imputer.statistics_[i]),
                                  mean=mean, scale=scale))
        elif name == "text":
            words, topics = text_vocabulary(pipe)
            terms.extend(Term(column=columns, kind="word", fill="", value=str(w))
                         for w in words)
            terms.extend(Term(column=columns, kind="topic", fill="", value=f"topic {k + 1}")
                         for k in range(topics))
        elif name == "embed":
            width = pre.output_indices_[name].stop - pre.output_indices_[name].start
            terms.extend(Term(column=columns, kind="vector", fill="", value=f"embedding {k + 1}")
                         for k in range(width))
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
    n_out = max((s.stop for s in pre.output_indices_.values()), default=0)
    if len(terms) != n_out:  # pragma: no cover - guards against a changed preprocessor
        raise ValueError(f"mapped {len(terms)} model columns, the preprocessor has {n_out}")
    return terms


def text_vocabulary(pipe: object) -> tuple[np.ndarray, int]:
    """The TF-IDF terms and the number of LSA components of a fitted text pipeline."""
    steps = getattr(pipe, "steps", None)
    vectorizer = steps[0][1] if steps else pipe
    words = vectorizer.get_feature_names_out()
    topics = 0
    if steps:
        union = steps[-1][1]
        topics = int(union.transformer_list[-1][1][0].n_components)
    return words, topics


def text_block(pre: ColumnTransformer) -> tuple[int, np.ndarray] | None:
    """Where the TF-IDF terms start in the model matrix, and the terms (``None`` without text)."""
    if "text" not in pre.output_indices_:
        return None
    words, _ = text_vocabulary(pre.named_transformers_["text"])
    return pre.output_indices_["text"].start, words


def columns_of(terms: list[Term]) -> list[str]:
    """The original columns, in first-appearance order."""
    return list(dict.fromkeys(t.column for t in terms))


def group_by_column(terms: list[Term], values: np.ndarray) -> dict[str, float]:
    """Sum per-term values (e.g. contributions) per original column.

    Text terms are kept apart, as ``column: word``, and only where non-zero; the
    numbers of a sentence embedding add up to one ``column: embedding`` (they
    mean nothing one by one).
    """
    out: dict[str, float] = {}
    for term, v in zip(terms, values, strict=True):
        if term.kind == "vector":
            key = f"{term.column}: {EMBEDDING}"
            out[key] = out.get(key, 0.0) + float(v)
            continue
        if term.kind in ("word", "topic"):
            if v:
                out[term.label()] = float(v)
            continue
        out[term.column] = out.get(term.column, 0.0) + float(v)
    return out
