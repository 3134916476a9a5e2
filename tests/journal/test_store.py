"""The label store: an append-only, locked SQLite journal."""

import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from alearn.errors import ConfigError, StoreBusyError, StoreError
from alearn.export.labels import export_labels
from alearn.journal.events import active_events
from alearn.journal.labels import current_labels
from alearn.journal.store import Store, read_store


def make_store(path, fingerprint="f" * 64):
    store = Store.open(path)
    store.initialise(fingerprint, "data.csv", {"strategy": "margin"})
    return store


def test_journal_round_trip_and_undo_cancels_latest(tmp_path):
    path = tmp_path / "s.db"
    with make_store(path) as store:
        store.append("label", "r1", "cat", "ann")
        store.append("skip", "r2", None, "ann")
        store.append("label", "r3", "dog", "ann")
        store.append("undo", "r3", "label", "ann")
        store.append("undo", "r2", "skip", "ann")
        store.append("label", "r2", "dog", "bob")
        events = store.events()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert [e.action for e in active_events(events)] == ["label", "label"]
    labels = current_labels(path)
    assert list(labels.columns) == ["id", "label", "annotator", "time"]
    assert labels[["id", "label", "annotator"]].values.tolist() == [
        ["r1", "cat", "ann"], ["r2", "dog", "bob"]]
    meta, again = read_store(path)
    assert meta.fingerprint == "f" * 64 and meta.settings == {"strategy": "margin"}
    assert again == events


def test_wal_mode_while_open_whole_file_after_and_append_only(tmp_path):
    path = tmp_path / "s.db"
    with make_store(path) as store:
        store.append("label", "r1", "cat", "ann")
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
    # Closed, the store is one file: a reader leaves no -wal or -shm behind.
    read_store(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.db", "s.db.lock"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET value = 'dog'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")
    conn.close()


def test_each_event_is_visible_to_another_reader_at_once(tmp_path):
    path = tmp_path / "s.db"
    with make_store(path) as store:
        store.append("label", "r1", "cat", "ann")
        # A separate process sees it while the session is still open.
        code = ("from alearn.journal.labels import current_labels; import sys; "
                f"sys.exit(0 if len(current_labels({str(path)!r})) == 1 else 1)")
        assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_second_writer_is_refused_in_process_and_from_another_process(tmp_path):
    path = tmp_path / "s.db"
    with make_store(path):
        with pytest.raises(StoreBusyError, match="in use by another alearn process"):
            Store.open(path)
        code = ("from alearn.journal.store import Store; from alearn.errors import StoreBusyError\n"
                f"try:\n    Store.open({str(path)!r})\nexcept StoreBusyError:\n    raise "
                "SystemExit(3)\n")
        assert subprocess.run([sys.executable, "-c", code]).returncode == 3
    # Released on close.
    Store.open(path).close()


def test_a_symlink_or_another_spelling_cannot_open_a_second_writer(tmp_path):
    path = tmp_path / "s.db"
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(path)
    with make_store(path):
        for spelling in (link, tmp_path / "sub" / ".." / "s.db"):
            with pytest.raises(StoreBusyError, match="in use by another alearn process"):
                Store.open(spelling)
    with Store.open(link) as store:  # through the link, the real store is locked
        with pytest.raises(StoreBusyError):
            Store.open(path)
        assert store.meta is not None


def test_a_refused_file_gets_no_lock_file_beside_it(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not an alearn label store"):
        Store.open(junk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.db"]


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    path = tmp_path / "s.db"
    make_store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "from alearn.journal.store import Store; import sys, time; "
         f"s = Store.open({str(path)!r}); print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusyError):
            Store.open(path)
    finally:
        holder.kill()
        holder.wait()
    Store.open(path).close()


def test_not_a_store_and_unwritable_paths_are_clear_errors(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not an alearn label store"):
        Store.open(junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an alearn label store"):
        Store.open(other)
    with pytest.raises(StoreError, match="not an alearn label store"):
        current_labels(other)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot write the label store here"):
        Store.open(blocker / "s.db")
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)
    with pytest.raises(StoreError, match="no such label store"):
        current_labels(tmp_path / "missing.db")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_formats(tmp_path, fmt):
    path = tmp_path / "s.db"
    with make_store(path) as store:
        store.append("label", "r1", "cat", "ann")
        store.append("label", "r2", "dog", "ann")
        store.append("undo", "r2", "label", "ann")
    out = tmp_path / f"labels.{fmt}"
    frame, text, _ = export_labels(path, fmt, out)
    assert text is None and len(frame) == 1
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet,
            "jsonl": lambda p: pd.read_json(p, lines=True)}[fmt](out)
    assert read["id"].tolist() == ["r1"] and read["label"].tolist() == ["cat"]
    if fmt != "parquet":
        _, text, _ = export_labels(path, fmt)
        assert "r1" in text and "r2" not in text
    # The format follows the file's suffix when not given.
    frame, _, _ = export_labels(path, None, tmp_path / "again.parquet")
    assert pd.read_parquet(tmp_path / "again.parquet")["id"].tolist() == ["r1"]


def test_export_bad_options(tmp_path):
    path = tmp_path / "s.db"
    make_store(path).close()
    with pytest.raises(ConfigError, match="--format 'xml' is not known"):
        export_labels(path, "xml")
    with pytest.raises(ConfigError, match="needs --out"):
        export_labels(path, "parquet")
