"""Optimize tasks: the feature matrix the acquirers and distances use (never the goals)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer

from alearn.data.dataset import Dataset
from alearn.engine.features import MAX_CATEGORIES


def encode(data: Dataset) -> np.ndarray:
    """Feature matrix for the surrogate and distances (features only, never goals).

    Numbers become evenly spaced levels in [0, 1] (the rank of each distinct
    value over the rows, divided by the number of levels minus one):
    configuration options often take log-spaced values that min-max scaling
    would squash together. Two-valued categories become one 0/1
    column, others one-hot scaled by 1/sqrt(2) so any change of category is a
    distance of 1. Missing numbers take the median; a missing category is a
    category of its own.
    """
    blocks = []
    if data.numeric:
        numbers = SimpleImputer(strategy="median", keep_empty_features=True).fit_transform(
            data.features[data.numeric])
        for j in range(numbers.shape[1]):
            levels, inverse = np.unique(numbers[:, j], return_inverse=True)
            numbers[:, j] = inverse / max(levels.size - 1, 1)
        blocks.append(numbers)
    for col in data.categorical:
        # pandas counts in C; a missing symbol is a level of its own, rare levels are pooled.
        values = data.features[col].astype(object).where(data.features[col].notna(), "(missing)")
        counts = values.value_counts(sort=True)
        if counts.size > MAX_CATEGORIES:
            values = values.where(values.isin(counts.index[: MAX_CATEGORIES - 1]), "(other)")
        block = pd.get_dummies(values).to_numpy(dtype=float)
        blocks.append(block[:, :1] if block.shape[1] == 2 else block * np.sqrt(0.5))
    return np.hstack(blocks)
