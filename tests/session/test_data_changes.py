"""A data file that changes after labeling: labels stay with their row ids.

Rows appended join the pool, removed labeled rows keep their labels in the store
but train nothing, changed labeled rows are named; ``alearn labels`` needs no data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from alearn import commands
from alearn.journal.store import read_store

WORDS = ["printer", "login", "invoice", "refund", "screen", "network"]


def _tickets(path: Path, n: int = 30) -> Path:
    rows = [{"ticket": f"T{i:03d}", "priority": (i * 7) % 5, "size": (i * 13) % 11 + 0.5,
             "area": WORDS[i % len(WORDS)], "label": None} for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _rewrite(path: Path, change) -> None:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(r) + "\n" for r in change(rows)))


@pytest.fixture
def labeled(tmp_path, cli):
    """tickets.jsonl (id column ``ticket``) with 6 labels in tickets.labels.db."""
    data = _tickets(tmp_path / "tickets.jsonl")
    done = cli("label", data, "--target", "label", "--id", "ticket", cwd=tmp_path,
               stdin="bug\nbilling\nbug\nbilling\nbug\nbug\nq\n")
    assert done.code == 0, done.err
    return data, tmp_path / "tickets.labels.db"


def _labeled_ids(store: Path) -> list[str]:
    return [e.row_id for e in read_store(store)[1] if e.action == "label"]


def test_appended_rows_join_the_pool_and_nothing_is_refused(labeled, tmp_path, cli):
    data, store = labeled
    _rewrite(data, lambda rows: [*rows, {"ticket": "T999", "priority": 1, "size": 2.5,
                                         "area": "printer", "label": None}])
    listed = cli("labels", store, cwd=tmp_path)
    assert listed.code == 0 and listed.out.count("\n") == 7, listed.err
    assert sorted(p.name for p in tmp_path.iterdir()) == \
        ["tickets.jsonl", "tickets.labels.db", "tickets.labels.db.lock"]  # no -wal, -shm
    resumed = cli("label", data, "--target", "label", "--id", "ticket", cwd=tmp_path,
                  stdin="q\n")
    assert resumed.code == 0, resumed.err
    assert "tickets.jsonl changed since this store last used it (31 rows now, 30 before)" \
        in " ".join(resumed.out.split())
    with commands.open_label_session(data, target="label", id_column="ticket",
                                     store=store) as session:
        assert "T999" in set(session.ids) and session.n_labeled == 6
        assert session.notes == []  # said once: the store records the data as it is now
    exported = cli("export", store, "--out", tmp_path / "m", cwd=tmp_path)
    assert exported.code == 0 and "fitted on 6 labels" in exported.out, exported.err


def test_removed_and_changed_labeled_rows_are_named(labeled, tmp_path, cli):
    data, store = labeled
    first, second = _labeled_ids(store)[:2]

    def change(rows):
        kept = [r for r in rows if r["ticket"] != first]
        for r in kept:
            if r["ticket"] == second:
                r["size"] = 99.5
        return kept

    _rewrite(data, change)
    fields = cli("labels", store, "--fields", "size", cwd=tmp_path)
    assert fields.code == 0, fields.err
    frame = pd.read_csv(pd.io.common.StringIO(fields.out))
    assert len(frame) == 6 and frame.loc[frame["id"] == first, "size"].isna().all()
    assert float(frame.loc[frame["id"] == second, "size"].iloc[0]) == 99.5
    assert f"1 row answered in the store is no longer in tickets.jsonl ('{first}')" in fields.err
    assert f"1 row changed since it was labeled ('{second}'); check its label" in fields.err
    exported = cli("export", store, "--out", tmp_path / "m", cwd=tmp_path)
    assert exported.code == 0 and "no longer in tickets.jsonl" in exported.err
    assert "fitted on 5 labels" in exported.out
    resumed = cli("label", data, "--target", "label", "--id", "ticket", cwd=tmp_path,
                  stdin="q\n")
    assert resumed.code == 0
    assert f"('{second}'); check its label" in " ".join(resumed.out.split())
    with commands.open_label_session(data, target="label", id_column="ticket",
                                     store=store) as session:
        assert session.gone == {first} and session.n_labeled == 5


def test_undo_with_a_removed_row_cancels_the_latest_row_shown(labeled, tmp_path):
    """The removed row was labeled last; the session undoes the latest label it shows,
    and replaying the journal (a resume, ``alearn labels``) agrees."""
    data, store = labeled
    ids = _labeled_ids(store)
    _rewrite(data, lambda rows: [r for r in rows if r["ticket"] != ids[-1]])
    with commands.open_label_session(data, target="label", id_column="ticket",
                                     store=store) as session:
        step = session.undo()
        assert step.row_id == ids[-2]
    with commands.open_label_session(data, target="label", id_column="ticket",
                                     store=store) as session:
        assert [e.row_id for e in session.active()] == ids[:-2]
    from alearn.journal.labels import current_labels

    assert list(current_labels(store)["id"]) == [*ids[:-2], ids[-1]]


def test_a_file_without_ids_that_gained_a_column_is_refused_naming_it(tmp_path, cli):
    data = tmp_path / "pool.csv"
    pd.DataFrame({"x": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5],
                  "c": list("abababab"), "label": [None] * 8}).to_csv(data, index=False)
    done = cli("label", data, "--target", "label", cwd=tmp_path, stdin="yes\nno\nq\n")
    assert done.code == 0, done.err
    frame = pd.read_csv(data)
    frame["extra"] = 1
    frame.to_csv(data, index=False)
    store = tmp_path / "pool.labels.db"
    before = store.read_bytes()
    again = cli("label", data, "--target", "label", cwd=tmp_path, stdin="q\n")
    assert again.code == 2 and again.err.count("error:") == 1
    assert "none of the 2 rows answered in this store is in" in again.err
    assert "new 'extra'" in again.err and store.read_bytes() == before
    assert cli("labels", store, cwd=tmp_path).code == 0  # the labels are still readable


def _json_pool(path: Path, gap: bool = False) -> Path:
    rows = [{"a": i * 3, "b": f"w{i % 4}", "c": None if gap and i == 0 else i % 5}
            for i in range(30)]
    path.write_text(json.dumps(rows))
    return path


def test_a_typed_file_whose_integers_gain_a_gap_keeps_its_labels(tmp_path, cli):
    """JSON (like Excel and Parquet) reads an integer column as floats once a cell is
    empty: 17 and 17.0 are the same cell, for row ids and for the changed-row check."""
    data = _json_pool(tmp_path / "d.json")
    assert cli("label", data, "--target", "lab", cwd=tmp_path,
               stdin="x\ny\nx\ny\nq\n").code == 0
    rows = json.loads(data.read_text())
    data.write_text(json.dumps([*rows, {"a": None, "b": "w1", "c": None}]))
    again = cli("label", data, "--target", "lab", cwd=tmp_path, stdin="q\n")
    said = " ".join(again.out.split())
    assert again.code == 0 and "resumed d.labels.db: 4 labels" in said, again.err
    assert "(31 rows now, 30 before)" in said and "changed since it was" not in said


def test_a_store_made_before_the_cell_reading_keeps_its_row_ids(tmp_path, cli):
    """A store whose table record has no ``ids`` (made before CONTENT_IDS) reads cells
    as it always did (``astype(str)``: 3.0 in a float column), so its rows are found."""
    import sqlite3

    data = _json_pool(tmp_path / "d.json", gap=True)  # column c is float from the start
    assert cli("label", data, "--target", "lab", cwd=tmp_path,
               stdin="x\ny\nx\nq\n").code == 0
    store = tmp_path / "d.labels.db"
    from alearn.data.rowkeys import content_ids

    frame = pd.read_json(data, dtype=False)
    legacy = set(content_ids(frame, legacy=True))
    with sqlite3.connect(store) as conn:  # as an older alearn wrote it
        table = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'table'")
                           .fetchone()[0])
        del table["ids"]
        conn.execute("UPDATE meta SET value = ? WHERE key = 'table'", (json.dumps(table),))
        ids = [r[0] for r in conn.execute("SELECT row_id FROM events")]
        old = {new: old for new, old in zip(content_ids(frame), content_ids(frame, legacy=True),
                                            strict=True)}
        conn.execute("DROP TRIGGER events_no_update")
        for row_id in ids:
            conn.execute("UPDATE events SET row_id = ? WHERE row_id = ?", (old[row_id], row_id))
    with commands.open_label_session(data, target="lab", store=store) as session:
        assert session.n_labeled == 3 and not session.gone
        assert {e.row_id for e in session.active()} <= legacy


def test_data_whose_ids_all_changed_is_refused_naming_the_id_column(labeled, tmp_path, cli):
    data, store = labeled
    _rewrite(data, lambda rows: [{**r, "ticket": "x" + r["ticket"]} for r in rows])
    before = store.read_bytes()
    done = cli("labels", store, "--fields", "size", cwd=tmp_path)
    assert done.code == 2 and done.err.count("error:") == 1
    assert "no value of its id column 'ticket' matches" in " ".join(done.err.split())
    assert store.read_bytes() == before
