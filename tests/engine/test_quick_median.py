"""The sessions' median imputer gives scikit-learn's numbers (only faster)."""

import numpy as np
import pytest
from sklearn.impute import SimpleImputer

from alearn.engine.features import QuickMedianImputer


@pytest.mark.parametrize("n", [1, 2, 7, 10, 1001])
def test_same_statistics_and_output(n):
    rng = np.random.default_rng(n)
    X = rng.normal(size=(n, 5)) * 10.0 ** rng.integers(-4, 4, size=5)
    X[:, 1] = np.round(X[:, 1])
    X[rng.random(n) < 0.3, 2] = np.nan  # a column with holes
    X[:, 3] = np.nan  # an empty one
    ours = QuickMedianImputer(strategy="median", keep_empty_features=True).fit(X)
    theirs = SimpleImputer(strategy="median", keep_empty_features=True).fit(X)
    assert np.array_equal(ours.statistics_, theirs.statistics_, equal_nan=True)
    assert np.array_equal(ours.transform(X), theirs.transform(X), equal_nan=True)
