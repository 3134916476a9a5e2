import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from alearn.engine.learner import Learner


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), np.array(["setosa", "versicolor", "virginica"])[y]


def drive(learner, y, n):
    while learner.n_labeled < n:
        rows = learner.suggest(1)
        learner.teach(rows, y[rows])
    return learner


def test_start_rows_come_first_and_count_in_budget(iris):
    X, y = iris
    learner = Learner(X, start="kmeans", start_size=4, seed=0)
    start = learner.start_rows()
    assert len(set(start)) == 4
    drive(learner, y, 4)
    assert learner.order == list(start)
    drive(learner, y, 10)
    assert learner.n_labeled == 10 and learner.labeled.sum() == 10
    # Only taught rows carry labels.
    assert all(learner.labels[i] is None for i in np.flatnonzero(~learner.labeled))


def test_same_seed_same_choices_other_seed_differs(iris):
    X, y = iris
    a = drive(Learner(X, seed=5), y, 16).order
    b = drive(Learner(X, seed=5), y, 16).order
    c = drive(Learner(X, seed=6), y, 16).order
    assert a == b and a != c


def test_one_class_fallback_spreads_out(iris):
    X, _y = iris
    learner = Learner(X, start="random", start_size=1, seed=0)
    first = learner.suggest(1)
    learner.teach(first, ["only"])
    assert learner.model is None
    nxt = learner.suggest(3)
    assert len(set(nxt)) == 3 and first[0] not in nxt
    # The fallback picks the farthest row from what is labeled.
    dist = np.linalg.norm(X - X[first[0]], axis=1)
    assert dist[nxt[0]] >= np.quantile(dist, 0.9)
    assert list(learner.predict(X[:3])) == ["only"] * 3


def test_batch_retrains_after_each_batch(iris):
    X, y = iris
    learner = Learner(X, batch=4, start="random", start_size=2, seed=1)
    retrains = []
    while learner.n_labeled < 20:
        rows = learner.suggest(1)
        retrains.append(learner.teach(rows, y[rows]))
    fits_after_model = [i + 1 for i, r in enumerate(retrains) if r]
    first_model = fits_after_model[0]
    assert all((n - first_model) % 4 == 0 for n in fits_after_model[1:])
    assert learner.suggest(4).size == 4


def test_skip_excludes_and_random_ignores_start(iris):
    X, y = iris
    learner = Learner(X, strategy="random", seed=2)
    first = learner.suggest(1)
    learner.skip(first)
    assert first[0] not in learner.suggest(150)
    assert learner.suggest(200).size == len(y) - 1


def test_teaching_a_labeled_row_twice_fails(iris):
    X, y = iris
    learner = Learner(X, seed=0)
    learner.teach([0], [y[0]])
    with pytest.raises(ValueError, match="already labeled"):
        learner.teach([0], [y[0]])


def test_relabel_replaces_a_label_and_refits(iris):
    X, y = iris
    learner = drive(Learner(X, seed=0), y, 12)
    row = learner.order[3]
    model = learner.model
    assert not learner.relabel(row, y[row])  # the same answer: nothing changes
    assert learner.model is model
    other = next(c for c in np.unique(y) if c != y[row])
    assert learner.relabel(row, other)
    assert learner.labels[row] == other and learner.n_labeled == 12
    assert learner.model is not model and learner.order[3] == row
    fresh = Learner(X, seed=0)
    fresh.teach(learner.order, learner.labels[learner.order])
    np.testing.assert_array_equal(learner.predict_proba(X), fresh.predict_proba(X))
    with pytest.raises(ValueError, match="not labeled"):
        learner.relabel(int(np.flatnonzero(~learner.labeled)[0]), other)


@pytest.mark.parametrize("cap", [5000, 100])
def test_replay_equals_teaching_one_by_one_when_screening(iris, cap, monkeypatch):
    # Two non-relevant classes before any relevant row: no model can be fitted yet,
    # and replaying the journal must retrain on the same schedule as live teaching.
    # With cap 100 every retrain samples its presumed negatives: the replayed
    # learner must draw the same sample.
    from alearn.engine import presumed as learner_module

    monkeypatch.setattr(learner_module, "PRESUMED_MAX", cap)
    X, _ = iris
    labels = ["no", "other", "no", "no", "yes", "no", "no", "no", "no", "yes"]
    live = Learner(X, strategy="certainty", start="random", start_size=1, batch=3, seed=0,
                   positive="yes")
    steps = []
    for label in labels:
        row = live.suggest(1)
        live.teach(row, [label])
        steps.append(("teach", list(row), [label]))
    again = Learner(X, strategy="certainty", start="random", start_size=1, batch=3, seed=0,
                    positive="yes")
    again.replay(steps)
    assert (again.pending, again.n_fits) == (live.pending, live.n_fits)
    assert list(again.suggest(3)) == list(live.suggest(3))
    assert np.array_equal(again.model.coef_, live.model.coef_)


def test_screening_fit_samples_presumed_negatives_past_the_cap(monkeypatch):
    """Past PRESUMED_MAX unscreened rows a retrain fits every labeled row and a seeded
    sample of the rest; the same labels draw the same sample, and the sampled fit
    ranks and scores the pool like the fit on every row."""
    from alearn.engine import presumed as learner_module

    rng = np.random.default_rng(0)
    relevant = rng.random(3000) < 0.05
    X = rng.normal(size=(3000, 20)) + relevant[:, None] * np.linspace(0, 1.5, 20)
    y = np.where(relevant, "yes", "no")
    order = [*np.flatnonzero(relevant)[:10], *np.flatnonzero(~relevant)[:90]]

    full = Learner(X, strategy="certainty", start="random", seed=0, positive="yes")
    monkeypatch.setattr(learner_module, "PRESUMED_MAX", 2900)  # every unscreened row
    assert learner_module.presumed_sample(3000, order, 0) is None
    reference = full.fit_labels(order, y[order]).decision_function(X)

    monkeypatch.setattr(learner_module, "PRESUMED_MAX", 1000)
    rows, weight = learner_module.presumed_sample(3000, order, 0)
    assert rows.size == 1000 + len(order)
    assert set(order) <= set(rows.tolist())
    # Labeled rows count once; the 1,000 sampled stand for all 2,900 unscreened.
    assert weight[np.isin(rows, order)].tolist() == [1.0] * len(order)
    assert weight.sum() == pytest.approx(3000)
    assert np.array_equal(rows, learner_module.presumed_sample(3000, list(order), 0)[0])
    assert not np.array_equal(rows, learner_module.presumed_sample(3000, order, 1)[0])
    sampled = full.fit_labels(order, y[order])
    assert sampled.class_weight == {0: 3000 / (2 * (3000 - 10)), 1: 3000 / 20}
    scores = sampled.decision_function(X)
    assert np.corrcoef(scores, reference)[0, 1] > 0.99
    # Weighted up, the sample keeps the full fit's scale (unweighted it is off by ~0.5 sd).
    assert np.abs(scores - reference).mean() < 0.25 * reference.std()
    top = set(np.argsort(-reference)[:100])
    assert len(top & set(np.argsort(-scores)[:100])) >= 85


@pytest.mark.parametrize("name", ["logreg", "tree", "nb"])
def test_every_screen_model_fits_past_the_presumed_cap(name, monkeypatch):
    # Each model a screen accepts fits the sample (with its own class weighting,
    # if any) and ranks relevant rows well above random order (2 in the top 40).
    from alearn.engine import presumed as learner_module

    monkeypatch.setattr(learner_module, "PRESUMED_MAX", 100)
    rng = np.random.default_rng(1)
    relevant = np.arange(400) < 20
    X = rng.random((400, 6)) + relevant[:, None] * 0.8
    y = np.where(relevant, "yes", "no")
    learner = Learner(X, model=name, strategy="certainty", start="random", seed=0,
                      positive="yes")
    order = [0, 1, 2, *range(200, 260)]
    model = learner.fit_labels(order, y[order])
    assert model is not None
    top = np.argsort(-learner.score(model))[:40]
    assert relevant[top].sum() >= 5
