"""The label store's SQLite file: its tables, its versions, and reading it.

Two tables: ``meta`` (the dataset fingerprint and source, the session
settings, the format version) and ``events`` (``seq, kind, row_id, value, time,
annotator, audit, model, digest``; what each column means:
:mod:`alearn.journal.store` and :class:`~alearn.journal.events.Event`).
Triggers refuse updates and deletes, so the journal only ever grows.

Older files are read as they are: a store made before the ``audit``, ``model``
or ``digest`` column reads those as empty, and a version 1 store (which knows
the first three event types) becomes version 2 when a later type is first
written (:func:`upgrade`). Writing is :class:`alearn.journal.store.Store`'s.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alearn.errors import StoreError
from alearn.journal.events import Event, StoreMeta

FORMAT = "alearn-label-store"
# Version 2 allows every event of EVENT_TYPES; version 1 stores know the first three
# and become version 2 when a later type is first written (:func:`upgrade`).
VERSION = "2"
READS = ("1", "2")
V1_EVENT_TYPES = ("label", "skip", "undo")
# What each means for a row: alearn.journal.state. "decide" is the label in force of
# a store that merges several annotators' (chosen by adjudication).
EVENT_TYPES = (*V1_EVENT_TYPES, "unlabel", "unsure", "note", "decide")

EVENTS_TABLE = f"""CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ({", ".join(repr(t) for t in EVENT_TYPES)})),
        row_id TEXT NOT NULL,
        value TEXT,
        time TEXT NOT NULL,
        annotator TEXT NOT NULL,
        audit INTEGER NOT NULL DEFAULT 0 CHECK (audit IN (0, 1)),
        model INTEGER,
        digest TEXT)"""
TRIGGERS = (
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the label journal is append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the label journal is append-only'); END""",
)
# Run one by one inside a transaction (executescript would commit on its own).
SCHEMA = ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", EVENTS_TABLE,
           *TRIGGERS)


def now() -> str:
    """The time an event or a store is stamped with (UTC, milliseconds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection to the file, read-only or not, that fails fast on a busy file."""
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None)
    else:
        conn = sqlite3.connect(path, isolation_level=None)
    # A second connection should fail fast rather than hang on a busy file.
    conn.execute("PRAGMA busy_timeout = 2000")
    return conn


def read_meta(conn: sqlite3.Connection, path: Path) -> StoreMeta | None:
    """The store's meta, ``None`` for a fresh file; StoreError for anything else."""
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if not {"meta", "events"} <= tables:
            raise StoreError(f"{path}: an SQLite file, but not an alearn label store")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not an alearn label store ({exc})") from None
    if meta.get("format") != FORMAT:
        raise StoreError(f"{path}: an SQLite file, but not an alearn label store")
    if meta.get("version") not in READS:
        raise StoreError(f"{path}: label store version {meta.get('version')!r}; this alearn "
                         f"reads versions {' and '.join(READS)}")
    return StoreMeta(fingerprint=meta["fingerprint"], source=meta["source"],
                     settings=json.loads(meta["settings"]), created=meta["created"],
                     table=json.loads(meta["table"]) if "table" in meta else None,
                     team=json.loads(meta["team"]) if "team" in meta else None)


def has_column(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the journal has column ``name`` (stores made before it do not)."""
    return any(row[1] == name for row in conn.execute("PRAGMA table_info(events)"))


def read_events(conn: sqlite3.Connection) -> list[Event]:
    """The whole journal in order; a column the file lacks reads as empty."""
    audit = "audit" if has_column(conn, "audit") else "0"
    model = "model" if has_column(conn, "model") else "NULL"
    digest = "digest" if has_column(conn, "digest") else "NULL"
    rows = conn.execute(
        f"SELECT seq, kind, row_id, value, time, annotator, {audit}, {model}, {digest} "
        "FROM events ORDER BY seq").fetchall()
    return [Event(*row[:6], audit=bool(row[6]), model=row[7], digest=row[8]) for row in rows]


def upgrade(conn: sqlite3.Connection) -> None:
    """Make a version 1 store version 2 (its journal's table takes every event type);
    the caller holds the write transaction. A version 1 store that never gets a
    later event type stays version 1, readable by the alearn that made it."""
    version = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    if version is None or version[0] == VERSION:
        return
    audit = "audit" if has_column(conn, "audit") else "0"
    conn.execute("ALTER TABLE events RENAME TO events_v1")
    conn.execute(EVENTS_TABLE)
    conn.execute(
        "INSERT INTO events (seq, kind, row_id, value, time, annotator, audit, model, "
        f"digest) SELECT seq, kind, row_id, value, time, annotator, {audit}, model, "
        "digest FROM events_v1 ORDER BY seq")
    conn.execute("DROP TABLE events_v1")  # and its triggers
    for trigger in TRIGGERS:
        conn.execute(trigger)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'version'", (VERSION,))
