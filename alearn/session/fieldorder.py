"""Which columns matter most to the current model, for showing wide rows.

When a row has more fields than the screen has lines, the screen shows the
columns the model leans on most first. A column's weight is the model's own
measure summed over the model-matrix columns it became (a categorical column's
indicators, a text column's terms): the absolute coefficients for logistic
regression (the columns are standardised, so they compare), the impurity
importances for a tree, and for naive Bayes how far apart the classes' means
(Gaussian) or word log-probabilities (complement) lie.
"""

from __future__ import annotations

import numpy as np

from alearn.data.dataset import Dataset
from alearn.engine.featuremap import feature_terms


def output_columns(pre: object, data: Dataset) -> list[tuple[str, ...]] | None:
    """For each model-matrix column, the data columns it comes from (text terms
    come from every text column), or ``None`` when the preprocessor cannot be read."""
    try:
        terms = feature_terms(pre)  # type: ignore[arg-type]
    except (AttributeError, ValueError, TypeError, IndexError):
        return None
    text = tuple(data.text)
    return [text if t.kind in ("word", "topic") else (t.column,) for t in terms]


def model_weights(model: object) -> np.ndarray | None:
    """One non-negative number per model-matrix column (``None``: the model has none)."""
    if model is None:
        return None
    if hasattr(model, "coef_"):
        return np.abs(np.asarray(model.coef_, dtype=float)).sum(axis=0)
    if hasattr(model, "feature_importances_"):
        return np.asarray(model.feature_importances_, dtype=float)
    if hasattr(model, "theta_") and hasattr(model, "var_"):
        theta, var = np.asarray(model.theta_), np.asarray(model.var_)
        return np.ptp(theta, axis=0) / np.sqrt(var.mean(axis=0) + 1e-12)
    if hasattr(model, "feature_log_prob_"):
        return np.ptp(np.asarray(model.feature_log_prob_, dtype=float), axis=0)
    return None


def ranked_columns(model: object, columns: list[tuple[str, ...]] | None) -> tuple[str, ...]:
    """Data columns by the model's weight, strongest first (ties in the model's order);
    empty before a model, or when its weights cannot be read."""
    weights = model_weights(model)
    if weights is None or columns is None or len(weights) != len(columns):
        return ()
    total: dict[str, float] = {}
    for sources, w in zip(columns, weights, strict=True):
        for column in sources:
            total[column] = total.get(column, 0.0) + float(w)
    ranked = sorted(total.items(), key=lambda item: -item[1])  # stable: ties keep their order
    return tuple(name for name, w in ranked if w > 0)
