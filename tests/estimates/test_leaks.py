"""The leak question: a column that alone explains the labels so far."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alearn.estimates.leaks import LeakWatch


def _pool(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(n) < 0.5, "bug", "billing")
    frame = pd.DataFrame({"colour": rng.choice(["red", "blue", "green"], n),
                          "closed_as": np.where(y == "bug", "defect", "invoice")})
    return frame, y


def test_a_copy_of_the_classes_is_named_once_enough_labels_are_in():
    frame, y = _pool()
    watch = LeakWatch(frame, ["colour", "closed_as"])
    rows = np.arange(6)
    assert watch.check(rows, y[rows]) is None  # too few labels to ask
    rows = np.arange(20)
    leak = watch.check(rows, y[rows])
    assert leak is not None and leak.column == "closed_as" and leak.cls is None
    assert "--exclude closed_as" in leak.message()


def test_no_question_without_a_leak():
    frame, y = _pool()
    watch = LeakWatch(frame, ["colour"])
    rows = np.arange(60)
    assert watch.check(rows, y[rows]) is None


def test_a_rare_value_that_holds_every_label_of_a_class_is_named():
    rng = np.random.default_rng(1)
    n = 1000
    relevant = rng.random(n) < 0.03
    earlier = np.where(relevant | (rng.random(n) < 0.05), "yes", "no")  # 8 % of rows
    frame = pd.DataFrame({"abs": earlier, "colour": rng.choice(["a", "b"], n)})
    y = np.where(relevant, "yes", "no")
    # The other labels fall on both values (a copy of the classes would be the other case).
    other = ~relevant
    rows = np.concatenate([np.flatnonzero(relevant)[:8],
                           np.flatnonzero(other & (earlier == "yes"))[:6],
                           np.flatnonzero(other & (earlier == "no"))[:14]])
    leak = LeakWatch(frame, ["abs", "colour"]).check(rows, y[rows])
    assert leak is not None and (leak.column, leak.cls) == ("abs", "yes")
    assert "abs = yes" in leak.message() and "% of rows" in leak.message()
