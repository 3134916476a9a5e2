"""The agreement figures against maintained implementations (scikit-learn's Cohen's κ,
statsmodels' Fleiss' κ, the ``krippendorff`` package's α), and their intervals."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from alearn.estimates.agreement import (
    CHANCE_DRAWS,
    MISSING,
    agreement,
    chance_rows,
    consensus_of_others,
    expanded_level,
)


def noisy_raters(seed: int, items: int, raters: int, classes: int, right: float,
                 missing: float) -> np.ndarray:
    """Raters who give the true class with probability ``right``, else a random one,
    and leave a share ``missing`` of answers out."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(classes, size=items)
    codes = np.stack([np.where(rng.random(items) < right, truth,
                               rng.integers(classes, size=items)) for _ in range(raters)], 1)
    codes[rng.random(codes.shape) < missing] = MISSING
    return codes


CASES = [(seed, raters, classes) for seed in range(4) for raters, classes in
         ((2, 2), (2, 4), (3, 3), (5, 2))]


@pytest.mark.parametrize(("seed", "raters", "classes"), CASES)
def test_figures_match_the_maintained_implementations(seed: int, raters: int,
                                                      classes: int) -> None:
    codes = noisy_raters(seed, 60 + 10 * seed, raters, classes, right=0.7, missing=0.15)
    found = agreement(codes, classes, resamples=50)
    for pair in found.pairs:
        x, y = codes[:, pair.first], codes[:, pair.second]
        both = (x != MISSING) & (y != MISSING)
        assert pair.kappa.value == pytest.approx(cohen_kappa_score(x[both], y[both]), abs=1e-9)
        assert pair.kappa.items == both.sum()
        assert pair.agreement.value == pytest.approx(np.mean(x[both] == y[both]), abs=1e-9)
        assert pair.confusion.sum() == both.sum()
        assert np.trace(pair.confusion) == np.sum(x[both] == y[both])
    reliability = np.where(codes.T == MISSING, np.nan, codes.T).astype(float)
    assert found.alpha.value == pytest.approx(
        krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal"),
        abs=1e-9)
    complete = (codes != MISSING).all(axis=1)
    assert found.complete == complete.sum()
    assert found.fleiss.value == pytest.approx(
        fleiss_kappa(aggregate_raters(codes[complete], n_cat=classes)[0]), abs=1e-9)


def test_raw_agreement_is_the_mean_share_of_agreeing_pairs_per_item() -> None:
    codes = np.array([[0, 0, 0], [0, 0, 1], [0, 1, MISSING], [1, MISSING, MISSING]])
    found = agreement(codes, 2, resamples=10)
    # Items with two or more answers: 3/3, 1/3, 0/1 of their pairs agree.
    assert found.items == 3
    assert found.agreement.value == pytest.approx((1 + 1 / 3 + 0) / 3)


def test_the_consensus_is_the_majority_of_the_others_and_a_tie_is_none() -> None:
    codes = np.array([[0, 0, 1], [0, 1, 2], [2, 2, 2], [1, MISSING, MISSING]])
    assert consensus_of_others(codes, 0, 3).tolist() == [MISSING, MISSING, 2, MISSING]
    assert consensus_of_others(codes, 2, 3).tolist() == [0, MISSING, 2, 1]


def test_two_raters_consensus_is_the_other_rater() -> None:
    codes = noisy_raters(7, 50, 2, 3, right=0.6, missing=0.1)
    found = agreement(codes, 3, resamples=200)
    assert found.consensus[0].kappa == found.pairs[0].kappa
    assert found.consensus[1].kappa == found.pairs[0].kappa


def test_undefined_figures_are_none() -> None:
    one_class = np.zeros((10, 2), dtype=int)
    found = agreement(one_class, 2, resamples=20)
    assert found.agreement.value == 1.0
    assert found.pairs[0].kappa.value is None and found.alpha.value is None
    nothing = agreement(np.full((4, 2), MISSING), 2, resamples=20)
    assert nothing.items == 0 and nothing.agreement.value is None
    assert nothing.pairs[0].kappa == nothing.pairs[0].kappa.__class__(None, None, None, 0)


def test_same_seed_same_interval_and_key_gives_other_resamples() -> None:
    codes = noisy_raters(3, 40, 2, 2, right=0.75, missing=0.0)
    first, again = agreement(codes, 2, seed=0), agreement(codes, 2, seed=0)
    assert first.pairs[0].kappa == again.pairs[0].kappa
    other = agreement(codes, 2, seed=0, key=1)
    assert other.pairs[0].kappa.value == first.pairs[0].kappa.value
    assert other.pairs[0].kappa.low != first.pairs[0].kappa.low


def test_expanded_level_widens_few_rows_and_tends_to_the_level() -> None:
    # sqrt(9/8) * t(0.975, 8) = 2.446: the 98.6 % normal quantile.
    assert expanded_level(0.95, 9) == pytest.approx(0.98556, abs=1e-4)
    assert expanded_level(0.95, 100_000) == pytest.approx(0.95, abs=1e-4)


def test_rows_that_all_agree_still_get_a_lower_bound_below_one() -> None:
    """The plain bootstrap gives [1, 1] here; the chance prior keeps room below."""
    codes = np.repeat(np.array([[0, 0], [1, 1], [2, 2]]), 3, axis=0)
    kappa = agreement(codes, 3).pairs[0].kappa
    assert kappa.value == 1.0 and kappa.high == pytest.approx(1.0, abs=1e-3)
    assert 0.3 < kappa.low < 0.9


def test_chance_rows_keep_each_raters_answers() -> None:
    codes = noisy_raters(2, 30, 3, 3, right=0.8, missing=0.2)
    shuffled = chance_rows(codes, np.random.default_rng(0))
    assert shuffled.shape == (30 * CHANCE_DRAWS, 3)
    for column in range(3):
        assert sorted(shuffled[:30, column]) == sorted(codes[:, column])


@pytest.mark.parametrize(("right", "rows"), [(0.95, 12), (0.75, 12), (0.75, 40)])
def test_the_interval_holds_the_population_kappa(right: float, rows: int) -> None:
    """Random samples of rows from a population of two raters' answers: the 95 %
    interval holds the population's κ in at least 88 % of 150 samples."""
    rng = np.random.default_rng(5)
    population = noisy_raters(9, 4000, 2, 3, right=right, missing=0.0)
    truth = cohen_kappa_score(population[:, 0], population[:, 1])
    held = []
    for seed in range(150):
        sample = population[rng.choice(len(population), rows, replace=False)]
        kappa = agreement(sample, 3, seed, resamples=500).pairs[0].kappa
        if kappa.low is not None:
            held.append(kappa.low <= truth <= kappa.high)
    assert len(held) >= 140 and np.mean(held) >= 0.88
