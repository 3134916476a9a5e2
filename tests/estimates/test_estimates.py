"""What a session says about its model: audit rows, honest intervals, screen recall, retrains."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alearn.errors import ConfigError, StoreError
from alearn.estimates.accuracy import audit_estimate, held_out_predictions
from alearn.estimates.audit import AUDIT_EVERY, audit_keys
from alearn.journal.store import read_store
from alearn.kinds.screen.stopping import MIN_DRY, advise
from alearn.session import plain_classes
from alearn.session.opening.classes import open_session


def frame(n: int = 80, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = np.array(["a", "b", "c"])[rng.integers(3, size=n)]
    shift = {"a": 0.0, "b": 2.5, "c": -2.5}
    return pd.DataFrame({"x1": [round(rng.normal() + shift[t], 4) for t in truth],
                         "x2": rng.normal(size=n).round(3), "truth": truth, "label": np.nan})


@pytest.fixture()
def pool(tmp_path):
    path = tmp_path / "pool.csv"
    frame().to_csv(path, index=False)
    return path


def row_of(session) -> int:
    return int(np.flatnonzero(session.ids == session.current().row_id)[0])


def label_truth(session, truth):
    return session.label(str(truth[row_of(session)]))


def test_every_fourth_label_is_an_audit_row_drawn_in_the_seeds_random_order(pool, tmp_path):
    truth = frame()["truth"].to_numpy()
    keys = audit_keys(0, len(truth))
    with open_session(pool, target="label", store=tmp_path / "s.db") as session:
        assert session.settings.audit == AUDIT_EVERY == 4
        for i in range(12):
            view = session.current()
            row = row_of(session)
            if (i + 1) % 4 == 0:
                # The unlabeled row that comes first in the random order.
                eligible = np.flatnonzero(session.learner.eligible)
                assert row == eligible[np.argmin(keys[eligible])]
                assert view.why.kind == "audit"
            else:
                assert view.why.kind != "audit"
            session.label(str(truth[row]))
    _, events = read_store(tmp_path / "s.db")
    assert [e.audit for e in events] == [(i + 1) % 4 == 0 for i in range(12)]


def test_audit_rows_replay_resume_undo_and_skip_exactly(pool, tmp_path):
    truth = frame()["truth"].to_numpy()
    store = tmp_path / "s.db"
    with open_session(pool, target="label", store=store) as session:
        for _ in range(3):
            label_truth(session, truth)
        audit_row = session.current().row_id
        assert session.current().why.kind == "audit"
        session.skip()  # the audit turn goes on: the next row in the random order
        second = session.current().row_id
        assert second != audit_row and session.current().why.kind == "audit"
        label_truth(session, truth)
        estimate = session.estimate
        session.undo()
        assert session.current().row_id == second and session.current().why.kind == "audit"
        label_truth(session, truth)
        state = session.state()
    with open_session(pool, store=store) as resumed:
        assert resumed.state() == state
        assert list(resumed.audit_mask()) == [False, False, False, True]
        again = resumed._estimate()
        assert (again.accuracy, again.low, again.high, again.method) == \
            (estimate.accuracy, estimate.low, estimate.high, estimate.method)
    _, events = read_store(store)
    assert [(e.action, e.audit) for e in events] == [
        ("label", False), ("label", False), ("label", False), ("skip", True),
        ("label", True), ("undo", False), ("label", True)]


def test_audit_off_gold_and_old_settings(pool, tmp_path):
    truth = frame()["truth"].to_numpy()
    with open_session(pool, target="label", store=tmp_path / "a.db", audit=0) as session:
        for _ in range(8):
            step = label_truth(session, truth)
        assert step.estimate.method == "5-fold CV on 8 labels"  # stores without audit rows
        assert session.audit_mask().sum() == 0
    with pytest.raises(StoreError, match="--audit"):
        open_session(pool, store=tmp_path / "a.db", audit=4)
    with open_session(pool, target="label", store=tmp_path / "g.db", gold="truth") as session:
        assert session.settings.audit == 0  # a --gold session measures on the gold rows
        for _ in range(8):
            step = label_truth(session, truth)
        assert step.estimate.method.startswith("measured on") and step.estimate.low is not None


def test_audit_rows_are_predicted_without_their_own_label():
    # Row 2 is the only "c": a model that saw it would get it right, one without cannot.
    X = np.array([[0.0], [0.1], [5.0], [-3.0], [-3.1]])
    rows = np.arange(5)
    labels = np.array(["a", "a", "c", "b", "b"])
    correct, confidence = held_out_predictions(X, rows, labels, np.array([2, 3]), "logreg", 0)
    assert list(correct) == [False, True] and 0 < confidence[1] <= 1
    audit = np.array([False, False, True, True, False])
    estimate = audit_estimate(X, rows, labels, audit, "logreg", 0)
    assert estimate.accuracy == 0.5 and estimate.low < 0.5 < estimate.high
    assert estimate.method == "2 audit labels drawn at random"
    leaning = audit_estimate(X, rows, labels, audit, "logreg", 0, confidence=0.9)
    assert 0.5 < leaning.accuracy < 0.9 and leaning.low < leaning.accuracy < leaning.high


def test_retrain_counter_says_when_the_model_retrains(pool, tmp_path):
    truth = frame()["truth"].to_numpy()
    with open_session(pool, target="label", batch=3, store=tmp_path / "s.db") as session:
        for _ in range(20):
            progress = session.current().progress
            step = label_truth(session, truth)
            if progress.model_waits is None:
                assert step.retrained == (progress.until_retrain == 1)


# -- screen sessions ----------------------------------------------------------------
def screen_task(folder, n=300, growth=0.2):
    rng = np.random.default_rng(5)
    truth = np.where(rng.random(n) < 0.08, "yes", "no")
    truth[:2] = ["yes", "no"]
    words = {"yes": ["ice", "melt", "arctic"], "no": ["market", "poetry", "stock"]}
    docs = [" ".join(rng.choice(words[t]) if rng.random() < 0.4 else "study"
                     for _ in range(10)) for t in truth]
    decision = np.full(n, None, dtype=object)
    decision[:2] = truth[:2]
    folder.mkdir()
    pd.DataFrame({"abstract": docs, "truth": truth, "decision": decision}).to_csv(
        folder / "d.csv", index=False)
    (folder / "task.toml").write_text(
        'data = "d.csv"\nkind = "screen"\npositive = "yes"\ntarget = "decision"\n'
        f'text = ["abstract"]\nbatch_growth = {growth}\nfeatures = {{ exclude = ["truth"] }}\n',
        encoding="utf-8")
    return truth


def test_screen_session_shows_recall_not_accuracy_and_counts_retrains(tmp_path, monkeypatch):
    truth = screen_task(tmp_path / "t")

    def no_cv(*args, **kwargs):
        raise AssertionError("a screen session cross-validated accuracy")

    monkeypatch.setattr(plain_classes, "cv_estimate", no_cv)
    with open_session(tmp_path / "t", store=tmp_path / "s.db") as session:
        assert session.settings.audit == 0 and not session.curve
        retrains = 0
        for _ in range(60):
            view = session.current()
            step = label_truth(session, truth)
            assert step.estimate is None and step.curve is None
            assert "relevant found in" in view.advice
            if view.progress.model_waits is None:
                # The counter is the growing batch: it says exactly when the model retrains.
                assert step.retrained == (view.progress.until_retrain == 1)
                retrains += step.retrained
        assert 0 < retrains < 50 and session.learner.batch_now > 1
    with pytest.raises(ConfigError, match="--audit"):
        open_session(tmp_path / "t", store=tmp_path / "s2.db", audit=4)


def test_no_estimate_of_what_is_left_until_the_finds_slow_down():
    # A steady rate (the finds have not slowed down): 30 relevant in the first 300
    # rows of 1,704, then a dry spell. The rate so far would put ~140 in the rest.
    steady = np.zeros(300 + MIN_DRY, dtype=bool)
    steady[np.linspace(0, 299, 30).astype(int)] = True
    advice = advise(steady, 1704)
    assert not advice.shown and "no estimate of the relevant left yet" in advice.message()
    assert "left in" not in advice.message()
    # Finds that thin out along the ranking: the estimate is shown, with its bound.
    falling = np.zeros(400, dtype=bool)
    falling[[*range(0, 40, 2), 45, 52, 60, 75, 90, 120, 160, 210, 260, 300]] = True
    advice = advise(falling, 1704)
    assert advice.shown and advice.unseen_estimate <= advice.unseen_upper
    assert advice.unseen_upper < advice.found  # not hundreds left in a pile of 30 found
    assert f"relevant left in {advice.remaining} unscreened" in advice.message()
