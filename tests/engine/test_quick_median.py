"""The sessions' median imputer gives scikit-learn's numbers (only faster)."""

import numpy as np
import pytest
from sklearn.impute import SimpleImputer

from alearn.engine.pooltransformers import QuickMedianImputer


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


@pytest.mark.parametrize("nonnegative", [False, True])
def test_session_pipeline_from_a_frame_matches_the_plain_one(nonnegative):
    """The session's numbers pipeline (a frame copied once, medians filled and scaled in
    that copy) gives the simulation's matrix, leaves the frame alone and remembers its
    column names."""
    import pandas as pd

    from alearn.engine.features import build_preprocessor

    rng = np.random.default_rng(5)
    frame = pd.DataFrame({f"x{j}": rng.normal(size=500) * 10.0 ** j for j in range(4)})
    frame.loc[rng.random(500) < 0.2, "x1"] = np.nan
    kept = frame.copy()
    ours = build_preprocessor(list(frame.columns), [], nonnegative=nonnegative, quick=True)
    theirs = build_preprocessor(list(frame.columns), [], nonnegative=nonnegative)
    assert np.array_equal(ours.fit_transform(frame), theirs.fit_transform(frame))
    pd.testing.assert_frame_equal(frame, kept)
    imputer = ours.named_transformers_["num"][0]
    assert list(imputer.feature_names_in_) == list(frame.columns)
    # Later rows (a query, a description) go through the fitted pipeline as before.
    assert np.array_equal(ours.transform(frame.head(3)), theirs.transform(frame.head(3)))
    pd.testing.assert_frame_equal(frame, kept)


def test_session_pipeline_with_categories_matches_the_plain_one():
    """With a second part (one-hot categories), the parts are joined as scikit-learn
    joins them; with one dense part, that part is the matrix (no copy of the pool)."""
    import pandas as pd

    from alearn.engine.features import build_preprocessor

    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"x": rng.normal(size=300), "y": rng.normal(size=300),
                          "c": rng.choice(["a", "b", "c"], size=300)})
    for dense in (False, True):
        ours = build_preprocessor(["x", "y"], ["c"], dense=dense, quick=True)
        theirs = build_preprocessor(["x", "y"], ["c"], dense=dense)
        mine, plain = ours.fit_transform(frame), theirs.fit_transform(frame)
        assert type(mine) is type(plain)
        if not isinstance(mine, np.ndarray):
            mine, plain = mine.toarray(), plain.toarray()
        assert np.array_equal(mine, plain)
    ours = build_preprocessor(["x", "y"], [], quick=True)
    matrix = ours.fit_transform(frame[["x", "y"]])
    scaled = ours.named_transformers_["num"][-1]
    assert np.array_equal(matrix, (frame[["x", "y"]].to_numpy() - scaled.mean_) / scaled.scale_)


@pytest.mark.parametrize("seed", range(12))
def test_scaler_fitted_a_few_columns_at_a_time_is_scikit_learns(seed):
    """Every fitted number of the session's scaler is scikit-learn's, to the last bit:
    widths odd and even, constant columns, missing values, one row."""
    from sklearn.preprocessing import StandardScaler

    from alearn.engine.pooltransformers import QuickStandardScaler

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 30_000)), int(rng.integers(1, 25))
    X = rng.normal(size=(n, m)) * 10.0 ** rng.integers(-4, 7, size=m) \
        + rng.normal(size=m) * 10.0 ** rng.integers(-2, 5, size=m)
    X[:, rng.random(m) < 0.2] = 3.25  # constant columns
    if seed % 3 == 0:
        X[rng.random((n, m)) < 0.05] = np.nan
    theirs = StandardScaler().fit(X)
    ours = QuickStandardScaler(copy=False).fit(X.copy())
    for name in ("mean_", "var_", "scale_", "n_samples_seen_", "n_features_in_"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name), equal_nan=True), name
        assert np.shape(getattr(ours, name)) == np.shape(getattr(theirs, name)), name
    assert np.array_equal(ours.transform(X.copy()), theirs.transform(X), equal_nan=True)
