"""``alearn label --evaluate CMD --parallel k``: k commands at once, each result journaled
as it arrives, a hung command killed alone, a killed run resumed; and ``parallel = k``
in simulations."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alearn.errors import StoreError
from alearn.journal.store import read_store
from alearn.kinds.optimize.evaluate import Evaluation
from alearn.kinds.optimize.simulate import optimize
from alearn.session.opening.measure import open_optimize_session

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def task(tmp_path):
    """60 rows with two goals, and an evaluator that logs when it starts and ends.

    ``SLEEP`` seconds per row; the row whose A is ``HANG_A`` sleeps an hour.
    """
    rng = np.random.default_rng(0)
    a, b = rng.random(60).round(3), rng.random(60).round(3)
    data = tmp_path / "opt.csv"
    pd.DataFrame({"A": a, "B": b, "Speed+": (a + b).round(3),
                  "Cost-": (a * b).round(3)}).to_csv(data, index=False)
    script = tmp_path / "ev.py"
    script.write_text(textwrap.dedent("""\
        import json, os, time
        a, b = float(os.environ["ALEARN_A"]), float(os.environ["ALEARN_B"])
        row = os.environ["ALEARN_ROW_ID"]
        log = os.environ["EV_LOG"]
        with open(log, "a") as fh:
            fh.write(f"start {row} {time.time()}\\n")
        hang = os.environ.get("HANG_A")
        time.sleep(3600 if hang and float(hang) == a else float(os.environ["SLEEP"]))
        with open(log, "a") as fh:
            fh.write(f"end {row} {time.time()}\\n")
        print(json.dumps({"Speed+": a + b, "Cost-": a * b}))
        """))
    return data, f"{sys.executable} {script}", tmp_path / "ev.log", a


def _overlap(log: Path) -> int:
    """Most commands running at the same time, from the evaluator's log."""
    events = []
    for line in log.read_text().splitlines():
        what, _, when = line.split()
        events.append((float(when), 1 if what == "start" else -1))
    running = most = 0
    for _, change in sorted(events):
        running += change
        most = max(most, running)
    return most


def test_k_commands_run_at_once_and_every_result_is_journaled(task, cli, monkeypatch):
    data, command, log, _ = task
    monkeypatch.setenv("EV_LOG", str(log))
    monkeypatch.setenv("SLEEP", "0.3")
    store = data.parent / "s.db"
    result = cli("label", data, "--evaluate", command, "--parallel", 4, "--budget", 12,
                 "--store", store)
    assert result.code == 0, result.err
    assert "done: the budget of 12 measured rows is reached" in result.out
    assert "under way" in result.out
    meta, events = read_store(store)
    assert [e.action for e in events] == ["label"] * 12
    assert len({e.row_id for e in events}) == 12
    assert _overlap(log) == 4  # never more than k, and k at once
    assert meta.settings["in_flight"] == []  # nothing left under way


def test_a_hung_command_is_killed_alone(task, cli, monkeypatch):
    data, command, log, _ = task
    monkeypatch.setenv("EV_LOG", str(log))
    monkeypatch.setenv("SLEEP", "0.2")
    # The first start row hangs; the others go on and are measured meanwhile.
    with open_optimize_session(data, store=data.parent / "probe.db") as session:
        first = session.current().row_id
        first_a = dict((n, v) for n, v, _ in session.current().fields)["A"]
    monkeypatch.setenv("HANG_A", str(first_a))
    store = data.parent / "s.db"
    began = time.monotonic()
    result = cli("label", data, "--evaluate", command, "--parallel", 3, "--budget", 8,
                 "--timeout", 3, "--store", store)
    assert time.monotonic() - began < 60
    assert result.code == 0, result.err
    _, events = read_store(store)
    failed = [e for e in events if e.action == "skip"]
    assert [e.row_id for e in failed] == [first] and "timed out after 3 s" in failed[0].value
    assert sum(e.action == "label" for e in events) == 8
    # Measurements finished while the hung command ran: it failed after others were recorded.
    assert events.index(failed[0]) > 0


def test_a_second_result_for_a_row_is_not_recorded(task):
    data, *_ = task
    with open_optimize_session(data, store=data.parent / "s.db", evaluate="true",
                               parallel=2) as session:
        row = session.claim()
        assert row is not None and session.under_way == [row]
        first = session.record(row, Evaluation([1.0, 2.0], None, 0.1))
        again = session.record(row, Evaluation([9.0, 9.0], None, 0.1))
        assert first.action == "measure"
        assert again.action == "none" and "not recorded" in again.message
        state = session.state()
        assert state["measured"] == [row] and state["values"] == [[1.0, 2.0]]


def test_a_killed_run_loses_nothing_and_resumes_the_rows_under_way(task, tmp_path):
    data, command, log, _ = task
    store = tmp_path / "s.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EV_LOG": str(log), "SLEEP": "1.5"}
    args = [sys.executable, "-m", "alearn.cli", "label", str(data), "--evaluate", command,
            "--parallel", "3", "--budget", "10", "--store", str(store)]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:  # wait for a measurement recorded while others are under way
            assert time.monotonic() < deadline, "no measurement was recorded"
            try:
                meta, events = read_store(store)
            except StoreError:  # not there yet, or being set up
                events = []
            if events and meta.settings.get("in_flight"):
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    meta, before = read_store(store)
    under_way = meta.settings["in_flight"]
    assert before and under_way
    unfinished = [r for r in under_way if r not in {e.row_id for e in before}]
    # A session opened on the killed store hands the rows under way out first. (Which
    # finishes first in the resumed run is a race, so the order is checked here.)
    copy = tmp_path / "copy.db"
    for part in ("", "-wal", "-shm"):  # a killed writer leaves its last commits in the WAL
        if Path(f"{store}{part}").exists():
            Path(f"{copy}{part}").write_bytes(Path(f"{store}{part}").read_bytes())
    with open_optimize_session(data, store=copy, evaluate=command, parallel=3,
                               budget=10) as session:
        assert [session.claim() for _ in unfinished] == unfinished
    done = subprocess.run(args, env={**env, "SLEEP": "0.1"}, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    _, after = read_store(store)
    assert after[: len(before)] == before  # every recorded measurement kept
    labels = [e.row_id for e in after if e.action == "label"]
    assert len(labels) == 10 == len(set(labels))
    assert set(unfinished) <= {e.row_id for e in after[len(before):]}  # and measured


def test_parallel_rows_are_spread_out_and_the_same_for_the_same_seed(task):
    data, *_ = task
    frame = pd.read_csv(data)
    X = frame[["A", "B"]].to_numpy()
    Y = frame[["Speed+", "Cost-"]].to_numpy()
    w = np.array([1.0, 0.0])
    runs = [optimize(X, lambda r: Y[r], w, 16, 3, parallel=4) for _ in range(2)]
    assert runs[0] == runs[1] and len(set(runs[0])) == 16
    one = optimize(X, lambda r: Y[r], w, 16, 3)
    assert one[:4] == runs[0][:4]  # k-means++ start extended, not redrawn


def test_the_task_key_parallel_simulates_k_at_once(tmp_path, cli, task):
    data, *_ = task
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "opt.csv").write_bytes(data.read_bytes())
    (folder / "task.toml").write_text('name = "t"\ndata = "opt.csv"\nkind = "optimize"\n'
                                      'budgets = [8, 16]\nseeds = 2\nparallel = 4\n')
    out = tmp_path / "o"
    assert cli("run", folder, "--out", out).code == 0
    results = pd.read_csv(out / "results.csv")
    assert set(results["seed"]) == {0, 1}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["tasks"][0]["parallel"] == 4
