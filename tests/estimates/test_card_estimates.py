"""The model card says which accuracy estimate it carries: audit rows, gold, or CV."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import blobs_frame

from alearn.session.opening.classes import open_session


def labeled_store(tmp_path, **options):
    frame = blobs_frame(n=200, classes=3)
    truth = frame["class!"].to_numpy()
    frame = frame.drop(columns="class!")
    frame["truth"] = truth
    frame["label"] = None
    data = tmp_path / "pool.csv"
    frame.to_csv(data, index=False)
    store = tmp_path / "s.db"
    with open_session(data, target="label", store=store, annotator="ann", **options) as session:
        for _ in range(20):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            session.label(truth[row])
        shown = {b: e for b, e in session.curve.items()}
        latest = session.estimate
    return store, shown, latest


@pytest.mark.parametrize("options, says", [
    ({}, "5 audit labels drawn at random"),
    ({"gold": "truth"}, "measured on"),
    ({"audit": 0}, "5-fold CV on 20 labels"),
])
def test_card_carries_the_sessions_estimate(tmp_path, cli, options, says):
    store, shown, latest = labeled_store(tmp_path, **options)
    assert latest.method.startswith(says)
    result = cli("export", store, "--out", tmp_path / "m")
    assert result.code == 0, result.err
    card = json.loads((tmp_path / "m" / "card.json").read_text())
    points = {p["labels"]: p for p in card["learning_curve"]["points"]}
    # The numbers the session showed, with its interval and what they were measured on.
    for budget, est in shown.items():
        assert (points[budget]["accuracy"], points[budget]["low"], points[budget]["high"]) == \
            (est.accuracy, est.low, est.high)
        assert points[budget]["estimate"] == est.method
        assert points[budget]["majority"] == est.majority
    exported = points[20]
    assert exported["exported"] and exported["estimate"] == latest.method
    assert exported["accuracy"] == latest.accuracy
    text = (tmp_path / "m" / "card.md").read_text()
    line = next(t for t in text.splitlines() if t.startswith("- **Accuracy**"))
    assert f"{latest.accuracy:.2f} [{latest.low:.2f}, {latest.high:.2f}]" in line and says in line
    assert latest.majority is not None and f", majority class {latest.majority:.2f}" in line
    method = card["learning_curve"]["method"]
    assert {"gold": "gold labels", "audit": "audit row", "cv": "does not hold"}[
        "gold" if "gold" in options else "cv" if options else "audit"] in method


def test_majority_class_rate_is_from_the_rows_measured_on_and_flags_a_useless_model(tmp_path,
                                                                                      cli):
    from alearn.estimates.accuracy import gold_estimate, majority_rate

    gold = np.array(["good"] * 7 + ["bad"] * 3, dtype=object)
    X = np.zeros((10, 1))
    # No model yet: the first label's class is answered everywhere.
    est = gold_estimate(None, X, np.array([9]), np.array(["bad"]), np.arange(10), gold)
    assert (est.majority_class, est.majority) == majority_rate(gold[:9]) == ("good", 7 / 9)
    assert est.accuracy == 2 / 9 and est.above_majority is False
    # Through the CLI: 80 % "good"; labeling only "bad" rows makes a model no better
    # than always answering "good", and the session says so.
    rng = np.random.default_rng(1)
    n = 200
    truth = np.where(rng.random(n) < 0.8, "good", "bad")
    frame = pd.DataFrame({"x": rng.normal(size=n), "y": rng.normal(size=n), "truth": truth,
                          "label": None})
    data = tmp_path / "credit.csv"
    frame.to_csv(data, index=False)
    result = cli("label", data, "--target", "label", "--gold", "truth", "--classes", "good,bad",
                 stdin="1\n" + "2\n" * 7 + "q\n", cwd=tmp_path)
    assert result.code == 0, result.err
    flat = " ".join(result.out.split())
    assert "majority class 0.8" in flat
    assert "no better than always answering 'good'" in flat
