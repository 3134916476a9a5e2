"""The recheck policy: which labeled row, if any, the next answer should look at again."""

from __future__ import annotations

import numpy as np
import pytest

from alearn.engine.recheck import (
    POLICY,
    RecheckPolicy,
    allowed,
    choose_recheck,
    fold_of,
    out_of_row_probabilities,
)
from alearn.models import make_model


def factory():
    return make_model("logreg", 0)


@pytest.fixture
def labeled():
    """30 labeled rows (every 4th of 120) of two well-separated blobs: features,
    rows, true labels."""
    rng = np.random.default_rng(3)
    y = np.array(["no", "yes"])[rng.integers(2, size=120)]
    X = rng.normal(size=(120, 2)) + 5.0 * (y == "yes")[:, None]
    rows = np.arange(0, 120, 4)
    return X, rows, y[rows]


def test_a_clearly_mislabeled_row_is_chosen(labeled):
    X, rows, y = labeled
    flipped = y.copy()
    wrong = 7
    other = sorted(set(y) - {y[wrong]})[0]
    flipped[wrong] = other
    found = choose_recheck(X, rows, flipped, answers=30, model_factory=factory)
    assert found is not None and found.position == wrong
    assert found.given == other and found.predicted == y[wrong]
    assert found.predicted_probability - found.given_probability >= POLICY.margin
    # The same arguments give the same answer.
    assert choose_recheck(X, rows, flipped, answers=30, model_factory=factory) == found


def test_clean_labels_are_not_rechecked(labeled):
    X, rows, y = labeled
    assert choose_recheck(X, rows, y, answers=30, model_factory=factory) is None


def test_a_rechecked_row_is_not_chosen_again(labeled):
    X, rows, y = labeled
    flipped = y.copy()
    flipped[7] = sorted(set(y) - {y[7]})[0]
    found = choose_recheck(X, rows, flipped, answers=30, model_factory=factory,
                           rechecked=[7], changed=1)
    assert found is None or found.position != 7


def test_a_class_with_one_label_is_not_judged(labeled):
    X, rows, y = labeled
    odd = y.copy()
    odd[7] = "stray"  # a model without it has never seen the class
    found = choose_recheck(X, rows, odd, answers=30, model_factory=factory)
    assert found is None or found.position != 7


def test_the_schedule():
    policy = RecheckPolicy(first=12, every=3, margin=0.6, free=2, per_change=3)
    assert not allowed(11, 0, 0, policy)  # too early
    assert allowed(12, 0, 0, policy)
    assert not allowed(12, 4, 5, policy)  # at most one answer in `every`
    assert allowed(30, 1, 0, policy)
    assert not allowed(30, 2, 0, policy)  # two rechecks kept their labels: stop asking
    assert allowed(30, 2, 1, policy)  # one changed a label: three more


def test_too_early_or_spent_gives_none(labeled):
    X, rows, y = labeled
    flipped = y.copy()
    flipped[7] = sorted(set(y) - {y[7]})[0]
    assert choose_recheck(X, rows, flipped, answers=POLICY.first - 1,
                          model_factory=factory) is None
    assert choose_recheck(X, rows, flipped, answers=30, model_factory=factory,
                          rechecked=[0, 1], changed=0) is None


def test_folds_deal_each_class_round_robin():
    assert fold_of(["a", "b", "a", "a", "b"], folds=2).tolist() == [0, 0, 1, 0, 1]


def test_out_of_row_probabilities_leave_each_row_out(labeled):
    X, rows, y = labeled
    classes, proba = out_of_row_probabilities(X, rows, y, factory)
    assert proba.shape == (len(rows), len(classes))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # Each row is scored by a model fitted on the other folds only.
    fold = fold_of(y)
    held = fold == 0
    model = factory().fit(X[rows[~held]], y[~held])
    np.testing.assert_allclose(proba[held], model.predict_proba(X[rows[held]]))
