"""Cheaper small fits (issue 27): scikit-learn's checks skipped on a pool checked once,
and a simulation unit's strategies sharing equal fits, without changing a number."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from alearn.engine.fits import FitCache
from alearn.engine.learner import Learner
from alearn.kinds.classify import simulate
from alearn.tasks import discover_tasks

TASK = Path(__file__).resolve().parents[2] / "tasks" / "breast_cancer"


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), np.array(["benign", "malignant"])[y]


def drive(learner, y, n):
    while learner.n_labeled < n:
        rows = learner.suggest(1)
        learner.teach(rows, y[rows])
    return learner


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_pool_that_is_not_finite_is_refused_once_at_the_start(cancer, bad):
    X = cancer[0].copy()
    X[5, 3] = bad
    with pytest.raises(ValueError, match="1 values that are not finite"):
        Learner(X)
    with pytest.raises(ValueError, match="not finite"):
        Learner(sp.csr_matrix(X))


def test_rows_predicted_outside_the_pool_are_still_checked(cancer):
    X, y = cancer
    learner = drive(Learner(X, seed=0), y, 10)
    outside = X[:4].copy()
    outside[2, 0] = np.nan
    with pytest.raises(ValueError, match="not finite"):
        learner.predict(outside)
    with pytest.raises(ValueError, match="not finite"):
        learner.predict_proba(outside)
    assert learner.predict(X[:4]).shape == (4,)


def test_fits_and_scores_skip_scikit_learns_per_call_checks(cancer, monkeypatch):
    X, y = cancer
    learner = Learner(X, seed=0)
    seen = []
    utility = learner._utility_fn

    def spy(model, pool):
        seen.append(sklearn.get_config())
        return utility(model, pool)

    monkeypatch.setattr(learner, "_utility_fn", spy)
    drive(learner, y, 10)
    assert seen and all(c["assume_finite"] and c["skip_parameter_validation"] for c in seen)
    assert not sklearn.get_config()["skip_parameter_validation"]  # only inside the calls


def test_learners_sharing_a_cache_choose_and_fit_as_learners_alone(cancer):
    X, y = cancer
    cache = FitCache()
    for strategy in ("margin", "entropy", "least-confident", "random"):
        alone = drive(Learner(X, strategy=strategy, seed=3), y, 24)
        shared = drive(Learner(X, strategy=strategy, seed=3, fits=cache), y, 24)
        assert shared.order == alone.order
        np.testing.assert_array_equal(shared.model.coef_, alone.model.coef_)
        np.testing.assert_array_equal(shared.utility, alone.utility)
    # Same start rows, and on two classes the uncertainty strategies ask alike.
    assert cache.hits >= 2 * (24 - 8)


def test_alearn_run_gives_the_numbers_of_unshared_fits(cli, tmp_path):
    """Through the CLI: every row of results.csv equals a run whose strategies fit alone."""
    out = tmp_path / "out"
    assert cli("run", TASK, "--seeds", "2", "--jobs", "1", "--out", out).code == 0
    got = pd.read_csv(out / "results.csv")
    spec = discover_tasks([TASK])[0]
    task = simulate.prepare(spec)
    for seed in (0, 1):
        data = simulate.seed_split(task, seed)
        for strategy in dict.fromkeys([*spec.strategies, "random"]):
            for _, answers, scores in simulate.learning_curve(task, data, seed, strategy,
                                                              spec.budgets[-1]):
                for metric, value in scores.items():
                    row = got[(got.seed == seed) & (got.strategy == strategy)
                              & (got.budget == answers) & (got.metric == metric)]
                    assert row["value"].tolist() == [value], (seed, strategy, answers, metric)
