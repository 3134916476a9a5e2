"""Revisiting answered rows: relabel, take back, unsure, notes, history (issue 23).

Each is one journal event; undo undoes the last action whichever it was; a resumed
session is in the same state and shows the same row; ``alearn labels`` exports them.
"""

from __future__ import annotations

import io
import sqlite3

import numpy as np
import pandas as pd
import pytest

from alearn import commands
from alearn.journal.labels import current_labels
from alearn.journal.schema import V1_EVENT_TYPES
from alearn.journal.store import read_store


@pytest.fixture
def pool(tmp_path):
    n = 40
    path = tmp_path / "p.csv"
    pd.DataFrame({"id": [f"r{i}" for i in range(n)], "x": np.arange(n) * 1.5,
                  "y": [(i * 7) % 5 for i in range(n)], "label": [None] * n}).to_csv(
        path, index=False)
    return path


def _open(pool, store):
    return commands.open_label_session(pool, target="label", id_column="id", store=store)


def test_every_revision_is_journaled_undoable_and_replays(pool, tmp_path):
    store = tmp_path / "s.db"
    with _open(pool, store) as s:
        answered = []
        for i in range(6):
            answered.append(s.current().row_id)
            s.label("a" if i % 2 else "b")
        assert s.relabel(answered[0], "a").message == f"row {answered[0]}: b -> a"
        unsure = s.current().row_id
        assert s.mark_unsure().action == "unsure"
        assert s.note("looks odd", answered[1]).action == "note"
        assert s.unlabel(answered[2]).action == "unlabel"
        assert s.n_labeled == 5 and s.n_unsure == 1
        labels = s.journal().labels
        assert labels[answered[0]].value == "a" and answered[2] not in labels
        # The relabel keeps the row's place in labeling order, and the model learns it.
        assert s.learner.order[0] == s.position(answered[0])
        assert s.learner.labels[s.position(answered[0])] == "a"
        step = s.undo()  # the take-back is undone: the row's label is back
        assert step.row_id == answered[2] and s.journal().labels[answered[2]].value == "b"
        state, shown = s.state(), s.current().row_id
    with _open(pool, store) as again:
        assert again.state() == state and again.current().row_id == shown
        assert again.journal().unsure.keys() == {unsure}
    frame = current_labels(store)
    assert list(frame.columns) == ["id", "label", "annotator", "time", "unsure", "note"]
    assert frame.set_index("id").loc[unsure, "unsure"] and \
        pd.isna(frame.set_index("id").loc[unsure, "label"])
    assert frame.set_index("id").loc[answered[1], "note"] == "looks odd"


def test_undo_of_a_relabel_brings_the_earlier_label_back(pool, tmp_path):
    with _open(pool, tmp_path / "s.db") as s:
        first = s.current().row_id
        s.label("a")
        s.label("b")
        s.label("a")
        s.relabel(first, "b")
        assert s.classes == ["a", "b"]  # keys stay where they were
        s.undo()
        assert s.journal().labels[first].value == "a" and s.n_labeled == 3


def test_an_unsure_row_comes_back_when_no_other_row_is_left(tmp_path):
    path = tmp_path / "tiny.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "label": [None] * 3}).to_csv(path, index=False)
    with commands.open_label_session(path, target="label", store=tmp_path / "s.db",
                                     audit=0) as s:
        held = s.current().row_id
        s.mark_unsure()
        s.label("a")
        s.label("b")
        view = s.current()
        assert view.row_id == held and view.why is not None and view.why.kind == "unsure"
        s.label("a")
        assert s.current().done and s.n_unsure == 0


def test_refusals_name_the_row_or_the_class(pool, tmp_path):
    with _open(pool, tmp_path / "s.db") as s:
        first = s.current().row_id
        s.label("a")
        assert s.relabel("nope", "a").message == "no row 'nope' in the data"
        assert "is a key" in s.relabel(first, "~").message
        assert "not answered yet" in s.relabel(s.current().row_id, "a").message
        assert s.note("hi", "nope").action == "none"
        assert s.unlabel(s.current().row_id).action == "none"


def test_a_version_1_store_becomes_version_2_at_its_first_revision(pool, tmp_path):
    store = tmp_path / "s.db"
    with _open(pool, store) as s:
        s.label("a")
        s.label("b")
    with sqlite3.connect(store) as conn:  # as an older alearn made it
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'version'")
    with _open(pool, store) as s:
        first = next(iter(s.journal().labels))
        s.relabel(first, "b")  # a label event: version 1 knows it
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == "1"
    with _open(pool, store) as s:
        s.note("checked twice", first)
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == "2"
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM events")
    events = read_store(store)[1]
    assert [e.action for e in events] == ["label", "label", "label", "note"]
    assert all(e.action in V1_EVENT_TYPES for e in events[:3])


def test_piped_revisions_and_labels_history(pool, tmp_path, cli):
    store = tmp_path / "s.db"
    done = cli("label", pool, "--target", "label", "--id", "id", "--store", store,
               cwd=tmp_path, stdin="a\nb\na\n~\n#\nodd one\n:history 3\nq\n")
    assert done.code == 0, done.err
    assert "history, newest first" in " ".join(done.out.split())
    first = next(iter(pd.read_csv(io.StringIO(cli("labels", store).out))["id"]))
    relabel = cli("label", pool, "--target", "label", "--id", "id", "--store", store,
                  cwd=tmp_path, stdin=f":relabel {first} b\n:find {first}\nq\n")
    assert relabel.code == 0 and f"row {first}: a -> b" in " ".join(relabel.out.split())
    listed = pd.read_csv(io.StringIO(cli("labels", store).out))
    assert listed.set_index("id").loc[first, "label"] == "b"
    assert listed["unsure"].sum() == 1 and listed["note"].notna().sum() == 1
    history = pd.read_csv(io.StringIO(cli("labels", store, "--history").out))
    assert list(history.columns) == ["seq", "time", "annotator", "id", "action", "value",
                                     "replaced", "undone"]
    last = history.iloc[-1]
    assert (last["id"], last["action"], last["value"], last["replaced"]) == (first, "label",
                                                                            "b", "a")
    assert set(history["action"]) == {"label", "unsure", "note"}


def test_a_row_labeled_in_the_data_is_changed_there_not_in_the_store(tmp_path):
    path = tmp_path / "seeded.csv"
    pd.DataFrame({"id": [f"r{i}" for i in range(20)], "x": (np.arange(20) * 7) % 13 + 0.5,
                  "label": ["a", "b"] + [None] * 18}).to_csv(path, index=False)
    with commands.open_label_session(path, target="label", id_column="id",
                                     store=tmp_path / "s.db") as s:
        for act in (lambda: s.mark_unsure("r0"), lambda: s.relabel("r0", "b"),
                    lambda: s.unlabel("r0")):
            step = act()
            assert step.action == "none" and "labeled in the data's own target column" \
                in step.message


@pytest.mark.parametrize("moves", [
    ["label a", "label b", "unlabel 0", "label a", "label b", "unsure 1"],
    ["label a", "label b", "relabel 0 b", "label c", "label a"],
    ["label a", "label b", "label c", "relabel 1 a", "relabel 1 b", "undo", "label d"],
])
def test_class_keys_stay_put_live_and_on_resume(pool, tmp_path, moves):
    store = tmp_path / "s.db"
    with _open(pool, store) as s:
        given: list[str] = []
        before: list[str] = []
        for move in moves:
            verb, *args = move.split()
            if verb == "label":
                given.append(s.current().row_id)
                s.label(args[0])
            elif verb == "relabel":
                s.relabel(given[int(args[0])], args[1])
            elif verb == "unlabel":
                s.unlabel(given[int(args[0])])
            elif verb == "unsure":
                s.mark_unsure(given[int(args[0])])
            else:
                s.undo()
            kept = [c for c in before if c in s.classes]
            assert s.classes[:len(kept)] == kept  # no class moves to another key
            before = list(s.classes)
        live, state = list(s.classes), s.state()
    with _open(pool, store) as again:
        assert again.classes == live and again.state() == state


def test_an_unsure_row_labeled_at_the_end_resumes_in_the_same_state(tmp_path):
    path = tmp_path / "tiny.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "label": [None] * 4}).to_csv(path, index=False)
    store = tmp_path / "s.db"
    with commands.open_label_session(path, target="label", store=store, audit=0) as s:
        s.mark_unsure()
        for cls in ("a", "b", "a", "b"):
            s.label(cls)
        assert s.progress().unsure == 0
        state = s.state()
    with commands.open_label_session(path, target="label", store=store, audit=0) as again:
        assert again.state() == state


def test_odd_commands_and_names_are_refused_in_one_line(pool, tmp_path, cli):
    # Piped lines are a script's: the first command that cannot be done ends the
    # session with the line's number (exit 2), the answers before it saved.
    store = tmp_path / "s.db"
    for stdin, number in (("a\n:history ²\n~\n", 2), ("a\n~\n:history 0\n", 3),
                          ("a\n~\n:nonsense\n", 3)):
        done = cli("label", pool, "--target", "label", "--id", "id", "--store", store,
                   cwd=tmp_path, stdin=stdin)
        assert done.code == 2 and f"input line {number}: unknown command" in done.err, done.err
    # On a terminal the same line is a message (tests/render/test_session_tty.py drives it).
    listed = pd.read_csv(io.StringIO(cli("labels", store).out))
    assert len(listed) == 5 and listed["unsure"].sum() == 2  # every answer before is saved
    refused = cli("label", pool, "--target", "label", "--classes", "a,:)", "--store",
                  tmp_path / "t.db", cwd=tmp_path, stdin="q\n")
    assert refused.code == 2 and "starts with ':'" in refused.err
