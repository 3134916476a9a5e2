"""The real ``alearn label --parallel k`` (no ``--evaluate``) in an 80x24 pseudo-terminal:
the table of rows under way, picking a row and typing its goals, Esc back to the table,
undo, and a ``kill -9`` that loses no result and shows the same table again."""

import json
import re
import signal

import pytest

from alearn.journal.store import read_store

pexpect = pytest.importorskip("pexpect")

from tests.render.test_tty_answers import goals_csv, plain, spawn  # noqa: E402

TABLE_ROW = re.compile(r"(?m)^\s*▸?(\d+)\s+([0-9a-f]{16})\s")


def rows_in(text):
    """The last table in ``text`` (key -> row id)."""
    block = text.rsplit("under way: enter each one's result", 1)[-1]
    return {int(k): r for k, r in TABLE_ROW.findall(block.split("measured ")[0])}


def table(child, keys="1–3"):
    """The table of the next screen (key -> row id), read up to the row prompt."""
    child.expect(rf"row \({keys}\):")
    text = plain(child.before)
    return rows_in(text), text


def test_k_rows_by_hand_pick_type_undo_and_a_kill_keeps_the_table(tmp_path):
    store = tmp_path / "s.db"
    data = goals_csv(tmp_path)
    child = spawn(data, "--parallel", 3, "--store", store, cwd=tmp_path, height=24, width=80)
    first, text = table(child)
    assert sorted(first) == [1, 2, 3]
    assert "type a row's # when its result is in" in text
    child.send("2\r")  # pick row 2: its goal prompts, its fields under the table
    child.expect(r"Speed\+ \(maximise\):")
    assert f"row {first[2]}" in plain(child.before)
    child.send("5\r")
    child.expect(r"Cost- \(minimise\):")
    assert "Esc: back to the table" in plain(child.before)
    child.send("\x1b")  # Esc: back to the table, nothing recorded
    again, _ = table(child)
    assert again == first
    child.send("2\r")
    child.expect(r"Speed\+ \(maximise\):")
    child.send("5\r")
    child.expect(r"Cost- \(minimise\):")
    child.send("1\r")
    after, text = table(child)
    assert f"row {first[2]}: Speed+ 5 · Cost- 1" in text
    assert after[1] == first[1] and after[3] == first[3] and after[2] not in first.values()
    child.send("u\r")  # undo: row 2's result goes, the row comes back as row 4
    undone, text = table(child, "1–4")
    assert undone[4] == first[2] and f"undid measurement of row {first[2]}" in text
    child.send("3 9 0.25\r")  # a row and its goals on one line; no new row: 3 under way
    child.expect(r"Speed\+ 9 · Cost- 0\.25")
    kept = rows_in(plain(child.before))
    child.expect(r"row \(1–3\):")
    assert list(kept.values()) == [undone[1], undone[2], undone[4]]
    child.kill(signal.SIGKILL)
    child.close()
    _, events = read_store(store)
    assert [e.action for e in events] == ["label", "undo", "label"]
    assert events[-1].row_id == first[3]
    assert json.loads(events[-1].value) == {"Speed+": 9.0, "Cost-": 0.25}
    # The same command after the kill: the same rows in the same places.
    child = spawn(data, "--parallel", 3, "--store", store, cwd=tmp_path, height=24, width=80)
    resumed, text = table(child)
    assert resumed == kept and "3 under way" in text
    child.send("q\r")
    child.expect("under way \\(not measured yet\\) are kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
