"""Contract tests run over every registered kind and every strategy it accepts.

Like scikit-learn's ``check_estimator``: a new kind or strategy is covered by
registering it. Each kind needs an example task below (a test fails until it
has one), and an adapter that replays its learner's purchases.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest

from alearn.errors import ConfigError
from alearn.kinds import KINDS
from alearn.run import runner
from alearn.spec import TaskSpec
from alearn.tasks import COMMON_KEYS, make_task, parse_task

# -- example tasks -------------------------------------------------------------


def _classify(tmp_path: Path) -> TaskSpec:
    rng = np.random.default_rng(0)
    n = 120
    y = rng.integers(3, size=n)
    frame = pd.DataFrame({"a": rng.normal(size=n) + y, "b": rng.normal(size=n) - y,
                          "c": rng.choice(["p", "q"], n), "label": np.array(["x", "y", "z"])[y]})
    frame.to_csv(tmp_path / "c.csv", index=False)
    return make_task(name="c", data=str(tmp_path / "c.csv"), target="label", seeds=2,
                    budgets=(4, 10))


def _screen(tmp_path: Path) -> TaskSpec:
    rng = np.random.default_rng(1)
    n = 150
    y = np.zeros(n, dtype=bool)
    y[rng.choice(n, 10, replace=False)] = True
    frame = pd.DataFrame({"a": rng.normal(size=n) + 2.5 * y, "b": rng.normal(size=n),
                          "decision": np.where(y, "yes", "no")})
    frame.to_csv(tmp_path / "s.csv", index=False)
    return make_task(name="s", data=str(tmp_path / "s.csv"), kind="screen", target="decision",
                    positive="yes", seeds=2, budgets=(8, 30))


def _optimize(tmp_path: Path) -> TaskSpec:
    rng = np.random.default_rng(2)
    n = 80
    a, b = rng.random(n), rng.random(n)
    frame = pd.DataFrame({"A": a, "B": b, "kind": rng.choice(["u", "v"], n),
                          "Speed+": a + 0.1 * rng.random(n), "Cost-": a + b})
    frame.to_csv(tmp_path / "o.csv", index=False)
    return make_task(name="o", data=str(tmp_path / "o.csv"), kind="optimize", seeds=2,
                    budgets=(6, 12))


EXAMPLES: dict[str, Callable[[Path], TaskSpec]] = {
    "classify": _classify, "screen": _screen, "optimize": _optimize}


# -- purchases: the rows a learner buys, and the same run with unbought labels changed ---


class _Oracle(np.ndarray):
    """Labels whose bulk reads are wrong: only a one-row read (a purchase) tells the truth."""

    truth: np.ndarray

    def __getitem__(self, index):
        if isinstance(index, int | np.integer):
            return self.truth[index]
        return super().__getitem__(index)


def _classify_bought(prepared, strategy: str, seed: int, budget: int, perturb: bool):
    from alearn.kinds.classify.simulate import purchases, seed_split

    data = seed_split(prepared, seed)
    if perturb:  # every label read in bulk is another class
        classes = np.unique(data.y_pool)
        shifted = classes[(np.searchsorted(classes, data.y_pool) + 1) % classes.size]
        oracle = shifted.astype(data.y_pool.dtype).view(_Oracle)
        oracle.truth = data.y_pool.copy()
        data.y_pool = oracle
    order: list[int] = []
    for learner in purchases(prepared, data, seed, strategy, budget):
        order = list(learner.order)
    return order


def _screen_bought(prepared, strategy: str, seed: int, budget: int, perturb: bool):
    from alearn.kinds.screen import simulate

    order, _ = simulate.screen_order(prepared, strategy, seed)
    if not perturb:
        return [int(r) for r in order[:budget]]
    # Unscreened irrelevant rows become relevant: the first `budget` rows must not move.
    first = set(int(r) for r in order[:budget])
    flip = np.array([r not in first and not prepared.relevant[r]
                     for r in range(prepared.labels.size)])
    prepared.labels = np.where(flip, prepared.spec.positive, prepared.labels)
    # The priors are rows the reviewer brings, drawn from the true labels: keep them.
    start = simulate.start_rows(prepared, seed)
    prepared.relevant = prepared.relevant | flip
    with mock.patch.object(simulate, "start_rows", lambda task, seed: start):
        order, _ = simulate.screen_order(prepared, strategy, seed)
    return [int(r) for r in order[:len(first)]]


def _optimize_bought(prepared, strategy: str, seed: int, budget: int, perturb: bool):
    from alearn.kinds.optimize.simulate import optimize

    Y = prepared.Y.copy()
    if not perturb:
        return optimize(prepared.X, lambda r: Y[r], prepared.weights, budget, seed, strategy)
    first = optimize(prepared.X, lambda r: Y[r], prepared.weights, budget, seed, strategy)
    noisy = np.random.default_rng(9).random(Y.shape) * 100
    noisy[first] = Y[first]
    return optimize(prepared.X, lambda r: noisy[r], prepared.weights, budget, seed, strategy)


BOUGHT = {"classify": _classify_bought, "screen": _screen_bought,
          "optimize": _optimize_bought}

PAIRS = [(k, s) for k in KINDS for s in KINDS[k].strategies]


def test_every_kind_has_an_example_and_an_adapter():
    assert set(EXAMPLES) == set(KINDS) == set(BOUGHT)


@pytest.mark.parametrize(("kind", "strategy"), PAIRS)
def test_same_seed_same_purchases(tmp_path, kind, strategy):
    spec = EXAMPLES[kind](tmp_path)
    budget = spec.budgets[-1]
    first = BOUGHT[kind](KINDS[kind].prepare(spec), strategy, 0, budget, False)
    again = BOUGHT[kind](KINDS[kind].prepare(spec), strategy, 0, budget, False)
    assert first == again
    # A screen stops early once every relevant row is found.
    assert 0 < len(first) <= budget and len(set(first)) == len(first)


@pytest.mark.parametrize(("kind", "strategy"), PAIRS)
def test_only_bought_labels_are_read(tmp_path, kind, strategy):
    """Changing the label of every row not yet bought never changes what is bought."""
    spec = EXAMPLES[kind](tmp_path)
    budget = spec.budgets[-1]
    honest = BOUGHT[kind](KINDS[kind].prepare(spec), strategy, 0, budget, False)
    perturbed = BOUGHT[kind](KINDS[kind].prepare(spec), strategy, 0, budget, True)
    assert perturbed == honest


@pytest.mark.parametrize("kind", list(KINDS))
def test_results_do_not_depend_on_jobs(tmp_path, kind):
    spec = EXAMPLES[kind](tmp_path)
    one = runner.run([spec], jobs=1).results
    two = runner.run([spec], jobs=2).results
    pd.testing.assert_frame_equal(one, two)
    assert set(one["strategy"]) >= set(spec.strategies)


@pytest.mark.parametrize("kind", list(KINDS))
def test_keys_the_kind_does_not_read_are_refused(tmp_path, kind):
    others = sorted({k for other in KINDS.values() for k in other.task_keys}
                    - set(KINDS[kind].task_keys) - set(COMMON_KEYS))
    assert others, "every kind ignores some other kind's key"
    values = {"model": "tree", "positive": "x", "test_size": 0.2, "batch_growth": 0.1,
              "maximize": ["a"], "minimize": ["a"], "target": "y", "batch": 2,
              "start": "random", "start_size": 3, "text": ["a"], "text_weights": {"a": 2},
              "ngrams": 1, "stop_words": "none", "lsa": 5, "recall_target": 0.9,
              "priors": ["1", "2"], "text_features": "both", "label_noise": 0.1,
              "recheck": "auto", "query": "defect prediction", "parallel": 2,
              "describe": {"a": "b"}}
    for key in others:
        raw = {"data": "d.csv", "kind": kind, key: values[key]}
        with pytest.raises(ConfigError, match=f"key '{key}' is not read by {kind} tasks"):
            parse_task(raw, tmp_path / "task.toml")
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        parse_task({"data": "d.csv", "kind": kind, "colour": 1}, tmp_path / "task.toml")


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_key_a_kind_reads_is_accepted_with_its_default(tmp_path, kind):
    spec = make_task(name="t", data="d.csv", kind=kind, positive="x" if kind == "screen" else None)
    for key, default in KINDS[kind].task_keys.items():
        if key != "positive":
            assert getattr(spec, key) == default, key
    assert spec.strategies == KINDS[kind].default_strategies
    assert set(spec.strategies) <= set(KINDS[kind].strategies)


@pytest.mark.parametrize("kind", list(KINDS))
def test_unknown_strategy_names_what_the_kind_accepts(kind):
    with pytest.raises(ConfigError, match=f"for {kind} tasks; expected one of "
                       f"{KINDS[kind].strategies.expected()}"):
        make_task(name="t", data="d.csv", kind=kind, strategies=("magic",),
                 positive="x")
