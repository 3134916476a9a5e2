"""Rechecking likely mistakes in a live session (issue 23, item 3).

With ``recheck = "auto"`` a session now and then shows a labeled row again whose
label a model fitted without it finds unlikely; the answer is journaled like a
relabel, so a resumed session shows the same recheck and undo takes it back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alearn import commands
from alearn.journal.store import read_store


@pytest.fixture
def pool(tmp_path):
    """Two classes split by a line; the truth of each row."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 2))
    truth = np.where(x[:, 0] + x[:, 1] > 0, "a", "b")
    path = tmp_path / "p.csv"
    pd.DataFrame({"id": [f"r{i}" for i in range(200)], "x1": x[:, 0], "x2": x[:, 1],
                  "label": [None] * 200}).to_csv(path, index=False)
    return path, {f"r{i}": t for i, t in enumerate(truth)}


def _open(path, store, recheck="auto"):
    return commands.open_label_session(path, target="label", id_column="id", store=store,
                                       recheck=recheck)


def _label_until_recheck(s, truth, wrong=(0, 2, 5), top=40):
    """Answer the truth, but the other class on the answers numbered ``wrong``; stop at
    the first recheck shown (its view), or ``None``."""
    for k in range(top):
        view = s.current()
        if view.recheck is not None:
            return view
        answer = truth[view.row_id]
        if k in wrong:
            answer = "a" if answer == "b" else "b"
        s.label(answer)
    return None


def test_a_recheck_shows_a_mislabeled_row_and_its_answer_is_a_relabel(pool, tmp_path):
    path, truth = pool
    store = tmp_path / "s.db"
    with _open(path, store) as s:
        view = _label_until_recheck(s, truth)
        assert view is not None and view.why.kind == "recheck"
        row = view.row_id
        # The row shown again is one answered wrong, and the model says its true class.
        assert view.recheck.given != truth[row] and view.recheck.predicted == truth[row]
        assert view.recheck.predicted_probability > view.recheck.given_probability
        labeled = s.n_labeled
        step = s.label(truth[row])
        assert step.message == f"row {row}: {view.recheck.given} -> {truth[row]} (rechecked)"
        assert s.journal().labels[row].value == truth[row] and s.n_labeled == labeled
        assert s.learner.labels[s.position(row)] == truth[row]  # the model learns it
        assert s.current().row_id != row  # a row is rechecked once
    _, events = read_store(store)
    assert [e.action for e in events if e.row_id == row] == ["label", "label"]


def test_a_resumed_session_shows_the_same_recheck_and_undo_brings_it_back(pool, tmp_path):
    path, truth = pool
    store = tmp_path / "s.db"
    with _open(path, store) as s:
        view = _label_until_recheck(s, truth)
        assert view is not None
    with _open(path, store) as again:  # as after kill -9: the recheck is recomputed
        assert again.current().row_id == view.row_id and again.current().recheck == view.recheck
        kept = again.skip()  # s keeps the label (a recheck row has one: it is not skipped)
        assert kept.message == f"row {view.row_id}: kept {view.recheck.given} (rechecked)"
        assert again.journal().labels[view.row_id].value == view.recheck.given
        assert again.n_skipped == 0
        again.undo()
        assert again.current().row_id == view.row_id and again.current().recheck == view.recheck


def test_unsure_on_a_recheck_takes_the_label_out(pool, tmp_path):
    path, truth = pool
    with _open(path, tmp_path / "s.db") as s:
        view = _label_until_recheck(s, truth)
        step = s.mark_unsure()
        assert step.action == "unsure" and view.row_id in s.journal().unsure
        assert view.row_id not in s.journal().labels


def test_no_recheck_unless_asked(pool, tmp_path):
    path, truth = pool
    with _open(path, tmp_path / "s.db", recheck=None) as s:
        assert s.settings.recheck == "off"
        assert _label_until_recheck(s, truth) is None


def test_recheck_can_change_on_resume(pool, tmp_path):
    path, truth = pool
    store = tmp_path / "s.db"
    with _open(path, store, recheck=None) as s:
        assert _label_until_recheck(s, truth, top=20) is None
    with _open(path, store) as s:
        assert s.settings.recheck == "auto"
        assert _label_until_recheck(s, truth, top=20) is not None
