"""Optimize sessions: measure suggested rows by hand or with --evaluate, undo, resume."""

import dataclasses
import io
import json
import os
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alearn.data.dataset import load_dataset
from alearn.errors import ConfigError, DataError, EvaluateError, StoreError
from alearn.journal.store import read_store
from alearn.kinds.optimize import acquirers, goals
from alearn.kinds.optimize import simulate as optimize
from alearn.kinds.optimize.encode import encode
from alearn.kinds.optimize.evaluate import env_name, evaluate_row, parse_goals
from alearn.session.evaluations import MAX_FAILED_IN_A_ROW
from alearn.session.measure_views import parse_answer
from alearn.session.opening.classes import open_session
from alearn.session.opening.measure import open_optimize_session
from alearn.tasks import make_task

GOALS = ["Speed+", "Cost-"]


def opt_frame(n=50, seed=0):
    rng = np.random.default_rng(seed)
    a, b = rng.random(n).round(4), rng.random(n).round(4)
    kind = rng.choice(["x", "y"], n)
    return pd.DataFrame({"A": a, "B": b, "kind": kind,
                         "Speed+": (a + 0.3 * b).round(4),
                         "Cost-": (b + a * a + (kind == "x")).round(4)})


@pytest.fixture
def opt_csv(tmp_path):
    """Goal values in the file: the tests' oracle (the session never reads them)."""
    path = tmp_path / "opt.csv"
    opt_frame().to_csv(path, index=False)
    return path


def truth(path):
    frame = pd.read_csv(path)
    data = load_dataset(make_task(name="t", data=str(path), kind="optimize"))
    return {i: frame.loc[k, GOALS].astype(float).tolist() for k, i in enumerate(data.ids)}


def answer_all(session, oracle, n):
    for _ in range(n):
        session.measure(oracle[session.current().row_id])


# -- typed answers ----------------------------------------------------------------
def test_answers_are_numbers_or_actions():
    assert parse_answer("3.5", 2).values == (3.5,)
    assert parse_answer(" -2 1e3 ", 2).values == (-2.0, 1000.0)
    assert parse_answer("1 2 3", 2).action == "invalid"
    for garbage in ("abc", "nan", "inf", "", "3,5", "1 x"):
        assert parse_answer(garbage, 2).action == "invalid", garbage
    assert "use a dot" in parse_answer("3,5", 1).message
    assert [parse_answer(k, 1).action for k in "suq?"] == ["skip", "undo", "quit", "help"]


def test_prompts_reask_on_garbage_and_record_numbers(opt_csv, tmp_path, cli, monkeypatch):
    store = tmp_path / "s.db"
    # Row 1: garbage then two prompts; row 2: both goals on one line; row 3 skip; quit.
    monkeypatch.setattr("sys.stdin", io.StringIO("abc\n1.5\nnan\n7\n2 3\ns\nq\n"))
    result = cli("label", opt_csv, "--store", store, "--annotator", "ann")
    assert result.code == 0, result.err
    assert "'abc' is not a number" in result.out and "'nan' is not a number" in result.out
    assert "Speed+ (maximise)" in result.out and "Cost- (minimise)" in result.out
    assert "saved 2 measured rows (1 skipped, 0 failed)" in result.out
    _, events = read_store(store)
    assert [e.action for e in events] == ["label", "label", "skip"]
    assert json.loads(events[0].value) == {"Speed+": 1.5, "Cost-": 7.0}
    exported = cli("labels", store)
    lines = exported.out.strip().splitlines()
    assert lines[0] == "id,Speed+,Cost-,annotator,time"
    assert [line.split(",")[1:3] for line in lines[1:]] == [["1.5", "7.0"], ["2.0", "3.0"]]


# -- suggestions --------------------------------------------------------------------
def test_same_rows_as_the_simulation_and_only_measured_goals_seen(opt_csv, tmp_path,
                                                                   monkeypatch):
    oracle = truth(opt_csv)
    data = load_dataset(make_task(name="t", data=str(opt_csv), kind="optimize"))
    Y = np.array([oracle[i] for i in data.ids])
    weights = goals.heaven(data.goals)
    with open_optimize_session(opt_csv, store=tmp_path / "a.db") as session:
        strategy = session.settings.strategy
    expected = optimize.optimize(encode(data), lambda r: Y[r], weights, 12, 0,
                                 strategy=strategy)
    seen = []
    real = acquirers.ACQUIRERS[strategy].make

    class Spy:
        def __init__(self, X, seed):
            self.inner = real(X, seed)

        def start(self, k):
            return self.inner.start(k)

        def next(self, labeled, y, eligible):
            seen.append((list(labeled), y.copy(), eligible.copy()))
            return self.inner.next(labeled, y, eligible)

    # The registry is immutable; swap the entry's factory for this test only.
    monkeypatch.setitem(acquirers.ACQUIRERS._entries, strategy,
                        dataclasses.replace(acquirers.ACQUIRERS[strategy], make=Spy))
    with open_optimize_session(opt_csv, store=tmp_path / "s.db") as session:
        answer_all(session, oracle, 12)
        rows, _ = session.measured()
    assert rows == expected
    # The strategy saw the measured rows only: their d2h normalised over them alone.
    assert len(seen) == 12 - acquirers.START
    for labeled, y, eligible in seen:
        assert np.allclose(y, goals.own_d2h(Y[labeled], weights))
        assert not eligible[labeled].any() and eligible.sum() == len(Y) - len(labeled)


def test_goal_columns_of_the_file_are_never_read_or_shown(tmp_path):
    frame = opt_frame()
    frame["Speed+"] = "secret"
    frame["Cost-"] = "?"
    path = tmp_path / "blank.csv"
    frame.to_csv(path, index=False)
    with open_optimize_session(path, store=tmp_path / "s.db") as session:
        view = session.current()
        assert [name for name, _, _ in view.fields] == ["A", "B", "kind"]
        assert list(view.goals) == GOALS and view.why == "start"
        for k in range(6):
            session.measure([k, 10 - k])
        assert session.n_measured == 6


def test_undo_and_resume_replay_to_the_same_next_row(opt_csv, tmp_path):
    oracle = truth(opt_csv)
    rng = np.random.default_rng(7)
    ops = list(rng.choice(["m", "m", "m", "s", "u"], size=30))
    store = tmp_path / "s.db"
    with open_optimize_session(opt_csv, store=store) as session:
        history = [session.state()]
        for op in ops:
            before = session.state()
            if op == "m":
                session.measure(oracle[session.current().row_id])
            elif op == "s":
                session.skip()
            else:
                had = len(session.active())
                session.undo()
                if had:  # the state before the undone action comes back
                    assert session.state() == history[-2]
                    history.pop()
                continue
            assert session.state() != before
            history.append(session.state())
        final = session.state()
    with open_optimize_session(opt_csv, store=store) as again:
        assert again.resumed and again.state() == final
        # Undo after resume, then redo the same measurement: same state again.
        again.undo()
        redo = again.state()
        assert redo["next"] is not None
    with open_optimize_session(opt_csv, store=store) as third:
        assert third.state() == redo


def test_best_row_and_rules_match_the_measured_rows(opt_csv, tmp_path):
    oracle = truth(opt_csv)
    with open_optimize_session(opt_csv, store=tmp_path / "s.db") as session:
        steps = []
        for _ in range(16):
            steps.append(session.measure(oracle[session.current().row_id]))
        rows, Y = session.measured()
        # Recomputed by hand: normalise over the measured rows only, heaven = (1, 0).
        lo, hi = Y.min(axis=0), Y.max(axis=0)
        norm = (Y - lo) / (hi - lo)
        d = np.sqrt(((norm - [1.0, 0.0]) ** 2).mean(axis=1))
        best = session.best()
        assert best.row_id == str(session.ids[rows[int(np.argmin(d))]])
        assert best.d2h == pytest.approx(d.min())
        assert best.values == dict(zip(GOALS, oracle[best.row_id], strict=True))
        assert session.current().best == best
        assert [s.rules is not None for s in steps].count(True) == 2  # at 8 and 16
        rules = session.rules()
        assert 1 <= len(rules) <= 8 and sum(r.count for r in rules) == 16
        assert [r.d2h for r in rules] == sorted(r.d2h for r in rules)
        assert rules[0].text().startswith("IF `") and "THEN d2h" in rules[0].text()
        room = session.headroom()
        assert room.best == pytest.approx(d.min())
        assert 0.0 <= room.floor <= room.expected  # the floor may sit above the best: no room
        assert room.rows == len(session.ids) - 16


# -- --evaluate -----------------------------------------------------------------------
def script(tmp_path, name, body):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    return f"{sys.executable} {path}"


GOOD = """
    import json, os, sys
    row = json.load(sys.stdin)
    if any(k.endswith(("+", "-")) for k in row):
        sys.exit(3)  # goal columns must never be passed on
    a = float(os.environ["ALEARN_A"])
    print("warming up...")
    print(json.dumps({"Speed+": a + 0.3 * row["B"], "Cost-": row["B"] + a * a
                      + (os.environ["ALEARN_KIND"] == "x"), "other": "ignored"}))
"""


def first_call_then_good(tmp_path, name, bad):
    """A script that misbehaves (``bad``) on its first call and is GOOD afterwards."""
    marker = tmp_path / f"{name}.called"
    body = textwrap.dedent(f"""
        import os, sys
        if not os.path.exists({str(marker)!r}):
            open({str(marker)!r}, "w").close()
    """) + textwrap.indent(textwrap.dedent(bad), "    ") + textwrap.dedent(GOOD)
    return script(tmp_path, name, body)


def test_evaluate_with_a_good_command(opt_csv, tmp_path):
    oracle = truth(opt_csv)
    command = script(tmp_path, "good", GOOD)
    with open_optimize_session(opt_csv, store=tmp_path / "s.db", evaluate=command,
                               budget=6) as session:
        from alearn.session.evaluations import run_evaluations

        reason = run_evaluations(session)
        assert "budget of 6" in reason
        rows, Y = session.measured()
        assert len(rows) == 6
        for row, y in zip(rows, Y, strict=True):
            assert y == pytest.approx(oracle[str(session.ids[row])], abs=1e-3)


@pytest.mark.parametrize("name, bad, error", [
    ("failing", "print('boom', file=sys.stderr); sys.exit(4)", "exit code 4: boom"),
    ("hanging", "import time; time.sleep(30)", "timed out after 1 s"),
    ("garbage", "print('hello there'); sys.exit(0)", "expected a JSON object"),
    ("missing", "print('{\"Speed+\": 1}'); sys.exit(0)", "no value for goal 'Cost-'"),
    ("text", "print('{\"Speed+\": \"fast\", \"Cost-\": 1}'); sys.exit(0)", "not a finite"),
    ("nan", "print('{\"Speed+\": NaN, \"Cost-\": 1}'); sys.exit(0)", "not a finite"),
    ("infinite", "print('{\"Speed+\": 1, \"Cost-\": -Infinity}'); sys.exit(0)", "not a finite"),
])
def test_failed_evaluations_are_recorded_and_skipped(opt_csv, tmp_path, cli, name, bad, error):
    command = first_call_then_good(tmp_path, name, bad)
    store = tmp_path / "s.db"
    began = time.monotonic()
    result = cli("label", opt_csv, "--evaluate", command, "--timeout", "1", "--budget", "5",
                 "--store", store)
    assert result.code == 0, result.err
    assert time.monotonic() - began < 20
    assert "evaluation failed" in result.out and "budget of 5" in result.out
    _, events = read_store(store)
    assert [e.action for e in events] == ["skip"] + ["label"] * 5
    assert error in events[0].value
    assert "saved 5 measured rows (0 skipped, 1 failed)" in " ".join(result.out.split())
    assert "room left: over the" in " ".join(result.out.split())
    # The store survives: resuming measures nothing more, undo brings the row back.
    with open_optimize_session(opt_csv, store=store) as session:
        assert session.progress().failed == 1 and session.current().done is False
        for _ in range(5):
            session.undo()
        assert "failed evaluation" in session.undo().message
        assert session.current().row_id == events[0].row_id


def test_hanging_command_is_killed_with_its_children(tmp_path):
    pidfile = tmp_path / "child.pid"
    command = script(tmp_path, "spawn", f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(pidfile)!r}, "w").write(str(child.pid))
        time.sleep(60)
    """)
    got = evaluate_row(command, [("A", 1.0)], "r1", GOALS, timeout=1.0)
    assert not got.ok and "timed out" in got.error and got.seconds < 10
    pid = int(pidfile.read_text())
    for _ in range(50):
        status = Path(f"/proc/{pid}/status")
        if not status.exists() or "zombie" in status.read_text():
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the command's child survived the timeout")


def test_always_failing_command_stops_the_run_and_the_store_survives(opt_csv, tmp_path, cli):
    store = tmp_path / "s.db"
    result = cli("label", opt_csv, "--evaluate", "exit 1", "--store", store)
    assert result.code == 2, result.err  # scripts see the broken command
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.err
    assert f"stopped after {MAX_FAILED_IN_A_ROW} failed evaluations" in errors[0]
    _, events = read_store(store)
    assert [e.action for e in events] == ["skip"] * MAX_FAILED_IN_A_ROW
    good = script(tmp_path, "good", GOOD)
    result = cli("label", opt_csv, "--evaluate", good, "--budget", "3", "--store", store)
    assert result.code == 0 and "resumed" in result.err
    assert "saved 3 measured rows (0 skipped, 5 failed)" in " ".join(result.out.split())


def test_goal_output_parsing_and_environment_names():
    assert parse_goals('{"Speed+": 2, "Cost-": "3.5"}', GOALS) == [2.0, 3.5]
    assert parse_goals('log\n{"Speed+": 1, "Cost-": 0}\n', GOALS) == [1.0, 0.0]
    assert env_name("max spout-x") == "ALEARN_MAX_SPOUT_X"
    for bad in ("", "[1, 2]", '{"Speed+": true, "Cost-": 1}', '{"Speed+": NaN, "Cost-": 1}'):
        with pytest.raises(EvaluateError, match=r"JSON object|not a finite"):
            parse_goals(bad, GOALS)


# -- bad input ------------------------------------------------------------------------
def test_bad_options_and_mixed_stores_are_clear_errors(opt_csv, tmp_path, cli, monkeypatch):
    store = tmp_path / "s.db"
    result = cli("label", opt_csv, "--classes", "a,b", "--store", store)
    assert result.code == 2 and "--classes is for classification" in result.err
    result = cli("label", opt_csv, "--evaluate", "true", "--timeout", "0", "--store", store)
    assert result.code == 2 and "--timeout must be a positive" in result.err
    result = cli("label", opt_csv, "--strategy", "margin", "--store", store)
    assert result.code == 2 and "not known for optimize tasks" in result.err
    assert not store.exists()
    classify = tmp_path / "c.csv"
    opt_frame().drop(columns=GOALS).assign(label=np.nan).to_csv(classify, index=False)
    result = cli("label", classify, "--evaluate", "true", "--store", store)
    assert result.code == 2 and "--evaluate is for optimize tasks" in result.err
    # An optimize store is refused by classification commands, and the other way round.
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert cli("label", opt_csv, "--store", store).code == 0
    with pytest.raises(StoreError, match="optimize session"):
        open_session(opt_csv, target="Speed+", store=store)
    result = cli("export", store, "--out", tmp_path / "model")
    assert result.code == 2 and "export them with `alearn labels`" in result.err
    cstore = tmp_path / "c.db"
    with open_session(classify, target="label", store=cstore):
        pass
    frame = opt_frame()
    frame.to_csv(classify, index=False)  # now with goals, same store: other data
    with pytest.raises(StoreError):
        open_optimize_session(classify, store=cstore)
    # No goal columns in an optimize task folder.
    folder = tmp_path / "task"
    folder.mkdir()
    opt_frame().drop(columns=GOALS).to_csv(folder / "d.csv", index=False)
    (folder / "task.toml").write_text('data = "d.csv"\nkind = "optimize"\n')
    with pytest.raises(DataError, match="no goal columns"):
        open_optimize_session(folder, store=tmp_path / "g.db")
    with pytest.raises(ConfigError, match="--evaluate is empty"):
        open_optimize_session(opt_csv, evaluate=" ", store=tmp_path / "e.db")


def test_d2h_is_shown_from_three_measured_rows_and_start_rows_named(opt_csv, tmp_path, cli):
    screens = cli("label", opt_csv, "--store", tmp_path / "s.db", stdin="1 5\n2 4\n3 3\nq\n")
    assert screens.code == 0, screens.err
    # One screen per row: the first, then after 1, 2 and 3 measured rows.
    first, one, two, three = [s for s in screens.out.split("\n─") if "row " in s][:4]
    for shown in (first, one, two):
        assert "d2h" not in shown.replace("d2h (distance to heaven) from 3 measured rows", "")
        assert "best so far" not in shown and "new best row" not in shown
    assert "from 3 measured rows on" in one and "from 3 measured rows on" in two
    assert "best so far: row" in three and "· d2h " in three
    # gpei's start rows are k-means++ seeds, not random ones.
    assert "a start row, spread out by k-means++ seeding" in first and "random" not in first
    random_start = cli("label", opt_csv, "--store", tmp_path / "r.db", "--strategy", "random",
                       stdin="q\n")
    assert "a start row, drawn at random before any goal is known" in random_start.out


def test_one_optimize_task_is_one_task_in_the_report(opt_csv, tmp_path, cli):
    result = cli("run", opt_csv, "--seeds", "1", "--out", tmp_path / "out", "--jobs", "1")
    assert result.code == 0, result.err
    assert "All 1 optimize task:" in result.out and "1 optimize tasks" not in result.out


def test_help_explains_d2h(opt_csv, tmp_path, cli):
    result = cli("label", opt_csv, "--store", tmp_path / "s.db", stdin="?\nq\n")
    assert "d2h: distance from the best measured goal values" in " ".join(result.out.split())
