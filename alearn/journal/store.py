"""The label store: an append-only SQLite journal of a labeling session.

A store is one SQLite file (standard library ``sqlite3``, WAL mode; its tables,
versions and reading: :mod:`alearn.journal.schema`) with two
tables:

* ``meta``: the dataset fingerprint and source, the session settings, the
  format version;
* ``events``: ``seq, kind, row_id, value, time, annotator, audit`` where
  ``kind`` is ``label`` (value = class), ``skip`` or ``undo``, and ``audit`` is
  1 for a label or skip of an audit row (drawn at random to measure accuracy,
  :mod:`alearn.estimates.audit`). Triggers refuse updates and deletes, so the
  journal only ever grows. Stores made before audit rows have no ``audit``
  column: their events read as not audit, and they never get audit rows.

An ``undo`` cancels the latest label or skip not yet cancelled, so the current
labels are found by replaying the journal with a stack. Every event is
committed (and synced) before :meth:`Store.append` returns.

A class session retrains in the background, so which model makes a suggestion
depends on timing; each event therefore records, in ``model``, how many labels
the model that makes the *next* suggestion was fitted on (the first ``model``
labels in force). Replaying it gives the same suggestion again. Stores made
before the column existed get it (empty) when opened for writing; an empty
``model`` means the model due after that event, as sessions then worked.

Optimize sessions (settings ``kind = "optimize"``) use the same format: a
label's value is a JSON object of goal values
(:func:`alearn.journal.goals.encode_goals`), and a skip's value, when not empty,
says why the row was skipped (a failed ``--evaluate`` command).

Only one process may write a store: :meth:`Store.open` takes an exclusive OS
lock on a ``<store>.lock`` file next to the real file (symlinks resolved; the
lock is released by the OS even when the process is killed). Readers (:func:`read_store`,
:func:`alearn.journal.labels.current_labels`) need no lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alearn.errors import StoreError
from alearn.journal.events import Event, StoreMeta
from alearn.journal.lock import busy_error, lock_path, try_lock
from alearn.journal.schema import (
    EVENT_TYPES,
    FORMAT,
    SCHEMA,
    V1_EVENT_TYPES,
    VERSION,
    connect,
    has_column,
    now,
    read_events,
    read_meta,
    upgrade,
)

# settings["kind"] of a store holding measured goal values rather than class labels.
MEASURED = "optimize"


class Store:
    """An open, locked label store (use :meth:`open`).

    Attributes
    ----------
    path : Path
    meta : StoreMeta or None
        ``None`` until :meth:`initialise` is called on a new store.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: Any,
                 meta: StoreMeta | None) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock
        self.meta = meta
        # Set up by this process (initialise called): a session may discard it unused.
        self.new = False
        self._writing = False

    def _prepare_writes(self) -> None:
        """Before the first write: WAL mode, full syncs, and the columns an older
        store lacks. Deferred to the first write, so a session refused while
        opening leaves the file byte for byte as it was."""
        if self._writing:
            return
        try:
            self._conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk before the next row is shown.
            self._conn.execute("PRAGMA synchronous = FULL")
            # A store from before a column gets it; its events keep it empty.
            for column, sql_type in (("model", "INTEGER"), ("digest", "TEXT")):
                if self.meta is not None and not has_column(self._conn, column):
                    self._conn.execute(f"ALTER TABLE events ADD COLUMN {column} {sql_type}")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot save to the label store ({exc})") from None
        self._writing = True

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (or create) a store for writing, taking its exclusive lock.

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        Store
            Check :attr:`meta`: ``None`` means a new store, to be set up with
            :meth:`initialise`.

        Raises
        ------
        StoreBusyError
            Another process has the store open.
        StoreError
            The path cannot be written, or the file is not a label store.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path}: is a folder; --store needs a file path")
        # Lock beside the real file, so a symlink or another spelling of the
        # path cannot open a second writer.
        beside = lock_path(path)
        made_lock = not beside.exists()
        try:
            lock = open(beside, "a+")  # noqa: SIM115 - held for the store's lifetime
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise StoreError(f"{path}: cannot write the label store here ({reason}); "
                             "choose another --store") from None
        if not try_lock(lock):
            raise busy_error(path, lock)
        conn = None
        try:
            lock.seek(0)
            lock.truncate()
            lock.write(str(os.getpid()))
            lock.flush()
            conn = connect(path, readonly=False)
            meta = read_meta(conn, path)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            lock.close()
            if made_lock:  # nothing is left beside a file that was refused
                beside.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"{path}: cannot open the label store ({exc})") from None
            raise
        return cls(path, conn, lock, meta)

    def initialise(self, fingerprint: str, source: str, settings: dict[str, Any],
                   table: dict[str, Any] | None = None,
                   team: dict[str, Any] | None = None) -> StoreMeta:
        """Set up a new store for a dataset and settings (in one transaction).

        Parameters
        ----------
        fingerprint : str
            The dataset's fingerprint.
        source : str
            Where the data came from (shown in messages).
        settings : dict
            JSON-serialisable session settings.
        table : dict, optional
            The data's shape (:attr:`StoreMeta.table`).
        team : dict, optional
            A merged store's members and rule (:attr:`StoreMeta.team`).

        Returns
        -------
        StoreMeta
        """
        if self.meta is not None:
            raise StoreError(f"{self.path}: the label store is already set up")
        self._prepare_writes()
        meta = StoreMeta(fingerprint=fingerprint, source=source, settings=dict(settings),
                         created=now(), table=table, team=team)
        values = {"format": FORMAT, "version": VERSION, "fingerprint": fingerprint,
                  "source": source, "settings": json.dumps(settings, sort_keys=True),
                  "created": meta.created}
        if table is not None:
            values["table"] = json.dumps(table, sort_keys=True)
        if team is not None:
            values["team"] = json.dumps(team, sort_keys=True)
        with self._transaction("set up the label store") as conn:
            for statement in SCHEMA:
                conn.execute(statement)
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                             sorted(values.items()))
        self.meta = meta
        self.new = True
        return meta

    def update_settings(self, changes: dict[str, Any]) -> None:
        """Record more settings in a set-up store (one transaction; the journal is
        untouched): settings that do not decide which rows are suggested (the
        columns hidden from the screen), and columns a person took out of the
        model (the journal still replays: labels do not depend on the features)."""
        if self.meta is None:
            raise StoreError(f"{self.path}: the label store is not set up")
        settings = {**self.meta.settings, **changes}
        self._set_meta({"settings": json.dumps(settings, sort_keys=True)})
        self.meta = dataclasses.replace(self.meta, settings=settings)

    def update_data(self, fingerprint: str, table: dict[str, Any]) -> None:
        """Record the data as it is now (after a session accepted a change to it:
        rows added or removed), so the change is reported once. The journal is
        untouched: labels belong to row ids, not to the file."""
        if self.meta is None:
            raise StoreError(f"{self.path}: the label store is not set up")
        self._set_meta({"fingerprint": fingerprint, "table": json.dumps(table, sort_keys=True)})
        self.meta = dataclasses.replace(self.meta, fingerprint=fingerprint, table=dict(table))

    def _set_meta(self, values: dict[str, str]) -> None:
        """Write meta keys in one transaction."""
        self._prepare_writes()
        with self._transaction("save to the label store") as conn:
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             sorted(values.items()))

    def events(self) -> list[Event]:
        """The whole journal, in order."""
        return read_events(self._conn)

    def append(self, action: str, row_id: str, value: str | None, annotator: str,
               audit: bool = False, model: int | None = None,
               digest: str | None = None) -> Event:
        """Add one event and commit it before returning.

        Parameters
        ----------
        action : str
            One of :data:`EVENT_TYPES` (what each means: :mod:`alearn.journal.state`).
        row_id : str
        value : str or None
        annotator : str
        audit : bool
            The row is an audit row (only in stores that have the column:
            sessions on older stores draw none).
        model : int, optional
            Labels the model of the next suggestion was fitted on (see :class:`Event`).
        digest : str, optional
            A hash of the row's content (see :class:`Event`).

        Returns
        -------
        Event
        """
        if action not in EVENT_TYPES:
            raise ValueError(f"unknown event action {action!r}")
        self._prepare_writes()
        if action not in V1_EVENT_TYPES:
            self._upgrade()
        time = now()
        try:
            # Stores made before the audit column draw no audit rows, so never name it there.
            columns = "kind, row_id, value, time, annotator, model, digest" + \
                (", audit" if audit else "")
            values = (action, row_id, value, time, annotator, model, digest) + \
                ((1,) if audit else ())
            cursor = self._conn.execute(
                f"INSERT INTO events ({columns}) VALUES ({', '.join('?' * len(values))})", values)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot save to the label store ({exc})") from None
        return Event(int(cursor.lastrowid), action, row_id, value, time, annotator, audit, model,
                     digest)

    def copy_events(self, events: list[Event]) -> None:
        """Append events of another store as they were (type, row, value, time,
        annotator, audit flag, model, digest), in order, in one transaction: all of
        them or none. Their ``seq`` is this journal's next ones.

        Parameters
        ----------
        events : list of Event
        """
        self._prepare_writes()
        self._upgrade()
        rows = [(e.action, e.row_id, e.value, e.time, e.annotator, int(e.audit), e.model,
                 e.digest) for e in events]
        with self._transaction("copy the events into the label store") as conn:
            conn.executemany(
                "INSERT INTO events (kind, row_id, value, time, annotator, audit, model, digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _upgrade(self) -> None:
        """Before the first event only version 2 knows: :func:`~alearn.journal.schema.upgrade`,
        in one transaction."""
        version = self._conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if version is None or version[0] == VERSION:
            return
        with self._transaction("upgrade the label store") as conn:
            upgrade(conn)

    @contextlib.contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back and refused in one
        line (``cannot {what} (...)``)."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            yield self._conn
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"{self.path}: cannot {what} ({exc})") from None

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the database and release the lock (idempotent).

        The file leaves WAL mode first, so it is whole on its own: a reader
        (``alearn labels``) then leaves no ``-wal``/``-shm`` files behind.
        """
        if self._conn is not None:
            if self._writing:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA journal_mode = DELETE")
            self._conn.close()
            self._conn = None  # type: ignore[assignment]
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def discard(self) -> None:
        """Close the store and remove its files (a store that never received an event)."""
        self.close()
        remove_store_files(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def remove_store_files(path: Path) -> None:
    """Remove a store and the files SQLite and the lock keep beside it."""
    real = Path(path).resolve()
    for leftover in (Path(path), real, *(real.with_name(real.name + s)
                                         for s in ("-wal", "-shm", ".lock"))):
        leftover.unlink(missing_ok=True)


def _open_readonly(path: str | Path) -> tuple[sqlite3.Connection, StoreMeta]:
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such label store")
    try:
        conn = connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the label store ({exc})") from None
    try:
        meta = read_meta(conn, path)
    except BaseException:
        conn.close()
        raise
    if meta is None:
        conn.close()
        raise StoreError(f"{path}: an empty file, not an alearn label store")
    return conn, meta


def read_store(path: str | Path) -> tuple[StoreMeta, list[Event]]:
    """Read a store's meta and journal without locking it.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    (StoreMeta, list of Event)

    Raises
    ------
    StoreError
        Missing file, or not a label store.
    """
    conn, meta = _open_readonly(path)
    try:
        return meta, read_events(conn)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot read the label store ({exc})") from None
    finally:
        conn.close()
