import numpy as np
import pytest
from modAL.uncertainty import entropy_sampling, margin_sampling, uncertainty_sampling
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from alearn.engine.strategies import get_strategy, select
from alearn.errors import ConfigError


@pytest.fixture(scope="module")
def fitted():
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    rng = np.random.default_rng(3)
    labeled = rng.choice(len(y), size=12, replace=False)
    model = LogisticRegression(max_iter=1000).fit(X[labeled], y[labeled])
    return model, X


@pytest.mark.parametrize("name, modal_query", [
    ("margin", margin_sampling),
    ("entropy", entropy_sampling),
    ("least-confident", uncertainty_sampling),
])
def test_same_rows_as_modal(fitted, name, modal_query):
    model, X = fitted
    utility = get_strategy(name)(model, X)
    eligible = np.ones(X.shape[0], dtype=bool)
    tiebreak = np.random.default_rng(0).random(X.shape[0])
    ours = select(utility, 5, eligible, tiebreak)
    theirs, _ = modal_query(model, X, n_instances=5)
    assert set(ours) == set(theirs)
    assert ours[0] == theirs[np.argmax(utility[theirs])]


def test_select_respects_eligibility_and_breaks_ties_by_seed():
    utility = np.array([1.0, 5.0, 5.0, 5.0, 0.0])
    eligible = np.array([True, True, True, False, True])
    a = select(utility, 2, eligible, np.random.default_rng(1).random(5))
    assert set(a) <= {1, 2} | {0} and 3 not in a and a[0] in (1, 2)
    picks = {tuple(select(utility, 1, eligible, np.random.default_rng(s).random(5)))
             for s in range(20)}
    assert picks == {(1,), (2,)}  # ties go either way, decided by the seed only
    same = [select(utility, 3, eligible, np.random.default_rng(7).random(5)) for _ in range(2)]
    assert np.array_equal(*same)
    assert select(utility, 10, eligible, np.zeros(5)).size == 4
    assert select(utility, 1, np.zeros(5, dtype=bool), np.zeros(5)).size == 0


def test_unknown_strategy():
    with pytest.raises(ConfigError, match="'magic' is not known"):
        get_strategy("magic")
