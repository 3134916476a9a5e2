"""What more labels buy: the forecast of the next labels' accuracy gain."""

from __future__ import annotations

import numpy as np
import pytest

from alearn.estimates.forecast import (
    HELPS,
    MIN_LABELS,
    Forecast,
    K,
    Signals,
    forecast_from,
    forecast_gain,
    signals,
)


def blobs(classes: int, per_class: int, spread: float, seed: int = 0
          ) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters in 2-D: ``spread`` small = easy to learn from a few labels."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=10, size=(classes, 2))
    y = np.repeat([f"c{i}" for i in range(classes)], per_class)
    X = centres[np.repeat(np.arange(classes), per_class)] + rng.normal(scale=spread,
                                                                      size=(y.size, 2))
    return X, y


def first_labels(y: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).permutation(y.size)[:n]


def test_a_flat_curve_forecasts_no_gain_and_says_more_labels_are_unlikely_to_help():
    # Two far-apart clusters: after 40 labels the model is sure and no longer moves.
    X, y = blobs(2, 300, spread=0.5)
    rows = first_labels(y, 40)
    got = forecast_gain(X, rows, y[rows], "logreg", 0)
    assert got is not None and got.k == K
    assert abs(got.gain) < 0.01
    assert round(got.high, 2) <= HELPS and got.unlikely_to_help
    assert got.words().endswith("; more labels are unlikely to help")


def test_a_steep_early_curve_forecasts_a_positive_gain():
    # Eight overlapping classes and 12 labels: unsure, and every label still moves the model.
    X, y = blobs(8, 100, spread=4.0)
    rows = first_labels(y, 12)
    sig = signals(X, rows, y[rows], "logreg", 0)
    assert sig is not None and sig.changed > 0.3 and sig.unsure > 0.1
    got = forecast_from(sig)
    assert got.gain > 0.03
    assert got.low < got.gain < got.high
    assert not got.unlikely_to_help
    assert "unlikely" not in got.words()


def test_more_change_and_more_doubt_forecast_more_gain():
    calm = forecast_from(Signals(n=32, unsure=0.1, changed=0.02, rows=2000))
    moving = forecast_from(Signals(n=32, unsure=0.4, changed=0.3, rows=2000))
    assert moving.gain > calm.gain
    assert moving.high > calm.high


def test_the_screen_line_reads_as_a_change_with_its_interval():
    line = Forecast(k=16, gain=0.031, low=-0.012, high=0.068, n=20).words()
    assert line == "16 more labels: +0.03 [-0.01, +0.07]"
    # A change that rounds to nothing is +0.00, never -0.00.
    assert Forecast(k=16, gain=-0.001, low=-0.004, high=0.004, n=60).words() == \
        "16 more labels: +0.00 [+0.00, +0.00]; more labels are unlikely to help"


def test_unlikely_to_help_is_judged_on_the_upper_end_as_shown():
    assert Forecast(k=16, gain=0.0, low=-0.02, high=0.0149, n=40).unlikely_to_help  # "+0.01"
    assert not Forecast(k=16, gain=0.0, low=-0.02, high=0.0151, n=40).unlikely_to_help


def test_the_same_labels_give_the_same_forecast():
    X, y = blobs(3, 200, spread=3.0)
    rows = first_labels(y, 20)
    assert forecast_gain(X, rows, y[rows], "logreg", 3) == \
        forecast_gain(X, rows, y[rows], "logreg", 3)


@pytest.mark.parametrize("n", [0, 1, MIN_LABELS - 1])
def test_too_few_labels_give_no_forecast(n):
    X, y = blobs(2, 50, spread=1.0)
    rows = first_labels(y, n)
    assert forecast_gain(X, rows, y[rows], "logreg", 0) is None


def test_one_class_labeled_gives_no_forecast():
    X, y = blobs(2, 50, spread=1.0)
    rows = np.arange(20)  # every one of class c0
    assert forecast_gain(X, rows, y[rows], "logreg", 0) is None


def test_skipped_rows_are_not_counted_among_the_rows_not_labeled():
    X, y = blobs(2, 100, spread=2.0)
    rows = first_labels(y, 20)
    skipped = np.zeros(y.size, dtype=bool)
    skipped[np.setdiff1d(np.arange(y.size), rows)[:50]] = True
    sig = signals(X, rows, y[rows], "logreg", 0, excluded=skipped)
    assert sig is not None and sig.rows == y.size - 20 - 50


def test_the_session_and_the_card_say_what_more_labels_buy(tmp_path, cli):
    """The forecast line follows a retrain's accuracy on the screen, and the model card
    records it."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 120
    y = np.where(rng.random(n) < 0.5, "a", "b")
    path = tmp_path / "p.csv"
    pd.DataFrame({"x1": rng.normal(size=n) + (y == "a") * 1.5, "x2": rng.normal(size=n),
                  "label": [None] * n}).to_csv(path, index=False)
    answers = "\n".join(["a", "b"] * 8) + "\nq\n"
    done = cli("label", path, "--target", "label", "--store", tmp_path / "s.db",
               cwd=tmp_path, stdin=answers)
    assert done.code == 0 and "16 more labels: " in done.out, done.err
    exported = cli("export", tmp_path / "s.db", "--out", tmp_path / "m", cwd=tmp_path)
    assert exported.code == 0, exported.err
    assert "Forecast from these labels: 16 more labels:" in (tmp_path / "m" / "card.md").read_text()
