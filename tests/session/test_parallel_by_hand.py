"""``alearn label --parallel k`` without ``--evaluate``: a person sees k rows under way,
enters their results in any order, each journaled at once and its slot refilled; undo
brings a row back into the table; a resumed (or killed) session shows the same rows."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from alearn.journal.store import read_store
from alearn.session.opening.measure import open_optimize_session

TABLE_ROW = re.compile(r"(?m)^\s*▸?(\d+)\s+([0-9a-f]{16})\s")


@pytest.fixture
def goals_csv(tmp_path):
    rng = np.random.default_rng(0)
    a, b = rng.random(40).round(3), rng.random(40).round(3)
    path = tmp_path / "goals.csv"
    pd.DataFrame({"A": a, "B": b, "Speed+": (a + b).round(3),
                  "Cost-": (a * b).round(3)}).to_csv(path, index=False)
    return path


def tables(out: str) -> list[dict[int, str]]:
    """Every table of rows under way printed (key -> row id), in order."""
    found = []
    for block in out.split("under way: enter each one's result")[1:]:
        rows: dict[int, str] = {}
        for key, row in TABLE_ROW.findall(block.split("measured ")[0]):
            rows[int(key)] = row
        found.append(rows)
    return found


def test_k_rows_are_shown_and_measured_in_any_order_each_slot_refilled(goals_csv, cli):
    store = goals_csv.parent / "s.db"
    result = cli("label", goals_csv, "--parallel", 3, "--store", store,
                 stdin="3 5 1\n1\n4\n2\n2 s\nq\n")
    assert result.code == 0, result.err
    shown = tables(result.out)
    first = shown[0]
    assert sorted(first) == [1, 2, 3] and len(set(first.values())) == 3
    # Row 3 measured first: its place gets a new row, rows 1 and 2 stay where they were.
    after = shown[1]
    assert after[1] == first[1] and after[2] == first[2] and after[3] not in first.values()
    _, events = read_store(store)
    assert [(e.action, e.row_id) for e in events] == [
        ("label", first[3]), ("label", first[1]), ("skip", first[2])]
    assert json.loads(events[0].value) == {"Speed+": 5.0, "Cost-": 1.0}
    assert json.loads(events[1].value) == {"Speed+": 4.0, "Cost-": 2.0}
    assert "3 rows under way (not measured yet) are kept" in result.out
    # Resumed: the same 3 rows in the same places, nothing measured twice.
    last = shown[-1]
    again = cli("label", goals_csv, "--parallel", 3, "--store", store, stdin="q\n")
    assert again.code == 0, again.err
    assert tables(again.out)[0] == last
    assert "3 under way" in again.out


def test_undo_brings_the_row_back_and_a_killed_session_shows_the_same_rows(goals_csv, cli):
    store = goals_csv.parent / "s.db"
    result = cli("label", goals_csv, "--parallel", 2, "--store", store,
                 stdin="2 7 0.5\nu\nq\n")
    assert result.code == 0, result.err
    first, _, undone = tables(result.out)
    assert len(undone) == 3 and undone[3] == first[2]  # back in the table, one row more
    assert f"undid measurement of row {first[2]}" in result.out
    # As after a kill -9: the store alone (no summary written) holds the rows under way.
    session = open_optimize_session(goals_csv, store=store, parallel=2)
    try:
        assert [r.row_id for r in session.current().batch] == list(undone.values())
        step = session.measure_row(undone[1], [1.0, 2.0])
        assert step.action == "measure"
        assert session.measure_row(undone[1], [1.0, 2.0]).action == "none"  # second result
        # The table is not refilled while as many rows as slots are under way.
        assert len(session.current().batch) == 2
    finally:
        session.close()
    _, events = read_store(store)
    assert [e.action for e in events] == ["label", "undo", "label"]


def test_a_pick_that_is_not_a_row_is_refused_and_asked_again(goals_csv, cli):
    store = goals_csv.parent / "s.db"
    result = cli("label", goals_csv, "--parallel", 2, "--store", store,
                 stdin="5\nx 1\n1 1 2 3\n1 1 2\nq\n")
    assert result.code == 0, result.err
    assert "no row 5 in the table; type a row's number (1–2)" in result.out
    assert "'x' is not a row's number" in result.out
    assert "3 numbers typed, but only 2 goals left for this row" in result.out
    _, events = read_store(store)
    assert [e.action for e in events] == ["label"]
