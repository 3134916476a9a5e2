"""Retraining in the background: a row chosen before a retrain finished is marked,
the journal records which model chose each row, and replaying it (resume,
undo) gives the same next row as the live session, however the retrains were
timed.

The worker thread is replaced by one the test runs by hand (``FakePool``):
a retrain the session waits for without a limit runs at once (as a real one
would finish), one waited for with a time limit has not finished until the
test says so (``finish``), as when a person answers faster than the fit.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import alearn.session.retrain as retrain
from alearn.journal.store import read_store
from alearn.session.opening.classes import open_session


class FakeFuture(Future):
    """A fit that runs when it is waited for without a limit, or when finished by hand."""

    def __init__(self, call, args):
        super().__init__()
        self.call, self.args = call, args

    def execute(self):
        if not self.done() and self.set_running_or_notify_cancel():
            self.set_result(self.call(*self.args))

    def result(self, timeout=None):
        if timeout is None:
            self.execute()
        return super().result(timeout=0 if timeout is not None else None)


class FakePool:
    """Stands in for the worker: retrains wait for :meth:`finish`, other calls run now."""

    pools: ClassVar[list[FakePool]] = []

    def __init__(self, *args, **kwargs):
        self.queued: list[FakeFuture] = []
        FakePool.pools.append(self)

    def submit(self, call, *args):
        future = FakeFuture(call, args)
        if getattr(call, "__name__", "") == "_run":
            self.queued.append(future)
        else:
            future.execute()
        return future

    def finish(self):
        for future in self.queued:
            future.execute()
        self.queued = []

    def shutdown(self, wait=True, cancel_futures=False):
        for future in self.queued:
            future.cancel()


@pytest.fixture
def held(monkeypatch):
    FakePool.pools = []
    monkeypatch.setattr(retrain, "ThreadPoolExecutor", FakePool)
    return FakePool


@pytest.fixture
def pool(tmp_path):
    rng = np.random.default_rng(7)
    n = 60
    truth = np.array(["a", "b", "c"])[rng.integers(3, size=n)]
    shift = {"a": 0.0, "b": 2.5, "c": -2.5}
    frame = pd.DataFrame({"x1": [round(rng.normal() + shift[t], 4) for t in truth],
                          "x2": rng.normal(size=n).round(3), "truth": truth})
    path = tmp_path / "pool.csv"
    frame.to_csv(path, index=False)
    return path, dict(zip(frame.index, truth, strict=True))


def opened(path, store, **options):
    return open_session(path, target="label", classes="a,b,c", store=store, annotator="t",
                        batch=1, **options)


def answer(session, truth):
    row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
    return truth[row]


def test_a_row_chosen_while_the_retrain_runs_is_marked_and_journaled(held, pool, tmp_path):
    path, truth = pool
    store = tmp_path / "s.db"
    session = opened(path, store)
    session.wait = 0.0  # a person who answers before any retrain finishes
    fake = held.pools[-1]
    # Past the cold start, with a model in force.
    while not (session.state()["has_model"] and session.current().why.kind == "uncertain"):
        session.label(answer(session, truth))
        fake.finish()
    session.label(answer(session, truth))  # the finished retrain comes into force
    in_force = session.state()["model"]
    n = session.learner.n_labeled
    step = session.label(answer(session, truth))  # its retrain is due, and held
    view = session.current()
    assert not step.retrained and view.retraining == n + 1
    assert view.model_labels == in_force and session.state()["model"] == in_force
    assert read_store(store)[1][-1].model == in_force
    fake.finish()
    step = session.label(answer(session, truth))
    # The finished retrain came into force with that answer, and says so.
    assert step.retrained and step.estimate is not None
    assert session.state()["model"] == n + 1
    assert read_store(store)[1][-1].model == n + 1
    assert session.current().retraining == n + 2
    session.close()


def test_scripts_wait_for_every_retrain(held, pool, tmp_path):
    path, truth = pool
    with opened(path, tmp_path / "s.db") as session:
        assert session.wait is None
        for _ in range(6):
            step = session.label(answer(session, truth))
            assert step.retrained  # batch 1: every label retrains, and it is waited for
            assert session.current().retraining is None
            assert session.state()["model"] == session.learner.n_labeled


ACTIONS = st.lists(st.sampled_from(["label", "label", "label", "skip", "undo", "finish"]),
                   min_size=1, max_size=25)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS, batch=st.sampled_from([1, 2, 3]))
def test_resume_gives_the_live_next_row_however_retrains_were_timed(held, pool, tmp_path_factory,
                                                                  actions, batch):
    path, truth = pool
    store = tmp_path_factory.mktemp("bg") / "s.db"
    session = open_session(path, target="label", classes="a,b,c", store=store, annotator="t",
                           batch=batch)
    session.wait = 0.0
    fake = held.pools[-1]
    for action in actions:
        if action == "finish":
            fake.finish()
        elif action == "skip":
            session.skip()
        elif action == "undo":
            session.undo()
        elif not session.current().done:
            session.label(answer(session, truth))
    live = session.state()
    session.close()
    # As after kill -9: a new process replays the journal (retrains run for real).
    resumed = open_session(path, store=store, annotator="t")
    try:
        assert resumed.state() == live
    finally:
        resumed.close()
