"""``alearn label TEAM.db --adjudicate`` in a pseudo-terminal: keys, kill -9 and resume."""

import os
import re
import signal
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import team_pool

from alearn.journal.merged import team_state
from alearn.journal.store import read_store
from alearn.session.opening.classes import open_session

pexpect = pytest.importorskip("pexpect")

ALEARN = str(Path(sys.executable).with_name("alearn"))
TIMEOUT = 90
ROW = re.compile(r"row (i\d+)\r?\n")


@pytest.fixture
def team(tmp_path, cli):
    pool = team_pool(tmp_path)
    flip = {"no": "yes", "yes": "no"}
    for name, wrong in (("ann", 1000), ("bob", 2)):  # bob errs on even ids
        with open_session(pool, target="label", classes="no,yes", id="item", hide=("truth",),
                          store=tmp_path / f"{name}.db", annotator=name) as session:
            truth = session.data.table["truth"].to_numpy()
            for _ in range(12):
                row_id = session.current().row_id
                value = truth[int(np.flatnonzero(session.ids == row_id)[0])]
                session.label(flip[value] if int(row_id[1:]) % wrong == 0 else value)
    out = tmp_path / "team.db"
    assert cli("merge", tmp_path / "ann.db", tmp_path / "bob.db", "--out", out).code == 0
    return out


def spawn(store, cwd):
    env = dict(os.environ, TERM="dumb", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return pexpect.spawn(ALEARN, ["label", str(store), "--adjudicate", "--annotator", "carol"],
                         cwd=str(cwd), env=env, encoding="utf-8", timeout=TIMEOUT,
                         dimensions=(40, 100))


def screen(child):
    child.expect(r"q quit\r?\n")
    return child.before


def test_a_decision_survives_kill_9_and_the_session_resumes_on_the_same_conflict(team,
                                                                                  tmp_path):
    meta, events = read_store(team)
    conflicts = [r.row_id for r in team_state(meta, events).conflicts()]
    assert len(conflicts) >= 3
    child = spawn(team, tmp_path)
    text = screen(child)
    assert ROW.search(text).group(1) == conflicts[0]
    assert re.search(r"ann\s+(yes|no)", text) and re.search(r"bob\s+(yes|no)", text)
    assert f"conflicts open {len(conflicts)} · decided 0 of {len(conflicts)}" in text
    child.send("2")  # yes
    text = screen(child)
    assert f"row {conflicts[0]}: yes (decided)" in text
    assert ROW.search(text).group(1) == conflicts[1]
    child.send("x")
    assert "unknown key 'x'" in screen(child)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    meta, events = read_store(team)
    state = team_state(meta, events)
    assert state.rows[conflicts[0]].status == "decided"
    assert state.rows[conflicts[0]].label == "yes"

    # the lock died with the process; the session resumes on the conflict it showed
    child = spawn(team, tmp_path)
    text = screen(child)
    assert ROW.search(text).group(1) == conflicts[1]
    assert "resumed: 1 conflict decided before" in text
    child.send("u")
    text = screen(child)
    assert f"undid decision yes of row {conflicts[0]}" in text
    assert ROW.search(text).group(1) == conflicts[0]
    child.send("q")
    child.expect("saved 0 decisions and 1 undo in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    meta, events = read_store(team)
    assert team_state(meta, events).rows[conflicts[0]].status == "conflict"
