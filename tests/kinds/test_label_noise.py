"""Simulated label noise (``label_noise``) and rechecks (``recheck``) in classify runs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from alearn.engine.learner import Learner
from alearn.kinds.classify import simulate
from alearn.kinds.classify.person import Person
from alearn.tasks import load_task, revise


def test_a_careful_person_answers_the_truth():
    truth = np.array(["a", "b", "c"] * 10, dtype=object)
    person = Person(truth, np.array(["a", "b", "c"]), 0.0, seed=1)
    assert [person.answer(r) for r in range(30)] == list(truth)


def test_noise_is_per_answer_from_its_own_stream():
    truth = np.array(["a", "b", "c"] * 400, dtype=object)
    classes = np.array(["a", "b", "c"])
    first = Person(truth, classes, 0.2, seed=4)
    answers = [first.answer(r) for r in range(truth.size)]
    wrong = np.array(answers) != truth
    assert 0.17 < wrong.mean() < 0.23
    # A wrong answer is another class, each of the others alike.
    others = pd.Series([a for a, t in zip(answers, truth, strict=True) if a != t and t == "a"])
    assert set(others) == {"b", "c"} and abs(others.eq("b").mean() - 0.5) < 0.15
    # The answer depends on the row and on how often it was asked, not on the order
    # rows are asked in (so every strategy's learner hears the same answers).
    backwards = Person(truth, classes, 0.2, seed=4)
    assert [backwards.answer(r) for r in reversed(range(truth.size))][::-1] == answers
    again = [first.answer(r) for r in range(truth.size)]  # second answers: fresh draws
    assert 0.17 < (np.array(again) != truth).mean() < 0.23
    assert again != answers
    assert [Person(truth, classes, 0.2, seed=5).answer(r) for r in range(truth.size)] != answers


def _prepared(task_dir, **keys):
    spec = load_task(task_dir(seeds=1, budgets=[24], strategies=["margin"], **keys))
    return simulate.prepare(spec)


def test_noise_leaves_the_strategies_draws_alone(task_dir):
    quiet = _prepared(task_dir)
    noisy = dataclasses.replace(quiet, spec=revise(quiet.spec, label_noise=0.3))
    data = simulate.seed_split(quiet, 0)
    # Random sampling never reads a label: its rows are the same with and without noise.
    orders = [list(learner.order) for task in (quiet, noisy)
              for learner in simulate.purchases(task, data, 0, "random", 24)][23::24]
    assert orders[0] == orders[1]
    # The noisy labels are the person's: some of them wrong.
    learner = list(simulate.purchases(noisy, data, 0, "random", 24))[-1]
    order = np.asarray(learner.order)
    assert (learner.labels[order] != data.y_pool[order].astype(str)).any()


def test_off_and_no_noise_is_the_plain_loop(task_dir, monkeypatch):
    prepared = _prepared(task_dir, label_noise=0.0, recheck="off")
    relabels = []
    monkeypatch.setattr(Learner, "relabel", lambda *a: relabels.append(a))
    rows = simulate.simulate_seed(prepared, 0)
    curves = [r for r in rows if r[1] not in simulate.REFERENCES]
    assert sorted({r[3] for r in curves}) == list(range(1, 25)) and not relabels


def test_rechecks_are_answers(task_dir):
    prepared = _prepared(task_dir, label_noise=0.3, recheck="auto")
    data = simulate.seed_split(prepared, 2)
    steps = [(learner.n_labeled, answers)
             for learner, answers in simulate.answering(prepared, data, 2, "margin", 24)]
    assert [a for _, a in steps] == list(range(1, 25))
    labels_at_end = steps[-1][0]
    assert labels_at_end < 24  # some answers were rechecks, counted on the same axis
    # Every unit of the run reports each answer once.
    rows = simulate.simulate_seed(prepared, 2)
    margin = [r[3] for r in rows if r[1] == "margin" and r[4] == "accuracy"]
    assert margin == list(range(1, 25))


def test_run_with_noise_and_rechecks_through_the_cli(cli, task_dir, tmp_path):
    task = task_dir(seeds=1, budgets=[8, 20], strategies=["margin"], label_noise=0.2,
                    recheck="auto")
    done = cli("run", task, "--out", tmp_path / "o")
    assert done.code == 0, done.err
    frame = pd.read_csv(tmp_path / "o" / "results.csv")
    assert frame[frame.strategy == "margin"].budget.max() == 20
    again = cli("run", task, "--out", tmp_path / "o2")
    assert again.code == 0
    assert (tmp_path / "o2" / "results.csv").read_bytes() == \
        (tmp_path / "o" / "results.csv").read_bytes()
