"""The per-unit cache that makes runs resumable: one file per finished (task, seed).

A unit file lives at ``<out>/units/<task>/<key>/<seed>.json``. The key is a
digest of everything that determines the unit's rows: the task's settings
(except how many seeds it runs), the data file's bytes and the alearn version.
A changed task or data file therefore gets a new key and is recomputed, while
every other task's units are reused. Files are written atomically as units
finish, so an interrupted run leaves only whole files behind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from alearn import __version__
from alearn.errors import AlearnError
from alearn.files import file_digest, write_text_atomic

if TYPE_CHECKING:
    from alearn.spec import TaskSpec

UNITS_DIR = "units"
# Fields that do not change what a unit computes: where the task was found,
# how many seeds the whole run has, and the data path (its bytes are hashed).
# hide only changes what the labeling screen shows: a simulation never reads it.
_NOT_IN_KEY = {"folder", "source", "seeds", "data", "measures_goals", "hide"}


class RunInterrupted(AlearnError):
    """The run was stopped (Ctrl-C); finished units are kept for a resume."""

    exit_code = 130


def data_fingerprint(spec: TaskSpec) -> str | None:
    """SHA-256 of the task's data file (of its name for ``sklearn:`` data); ``None``
    when the file cannot be read (loading the task then says why)."""
    path = spec.data_path
    if path is None:
        return hashlib.sha256(spec.data.encode()).hexdigest()
    try:
        return file_digest(path)
    except OSError:
        return None


def task_key(spec: TaskSpec, fingerprint: str) -> str:
    """The digest that names a task's unit files (first 20 hex digits of a SHA-256)."""
    settings = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec)
                if f.name not in _NOT_IN_KEY}
    blob = json.dumps({"alearn": __version__, "data": fingerprint, "task": settings},
                      sort_keys=True, default=list)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def _folder_name(task: str) -> str:
    # Task names are free text; keep the folder readable and safe on every OS.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", task).strip("._") or "task"
    return f"{safe}-{hashlib.sha256(task.encode()).hexdigest()[:6]}"


def plain_rows(rows: list[tuple]) -> list[list]:
    """Rows as plain JSON values (numpy scalars unwrapped), the form every run uses,
    so fresh and cached units give the same bytes."""
    return [[v.item() if hasattr(v, "item") else v for v in row] for row in rows]


class UnitStore:
    """The unit files under one ``--out`` folder.

    Parameters
    ----------
    out : Path
        The run's output folder.
    fresh : bool
        Ignore existing unit files (they are overwritten as units finish).
    """

    def __init__(self, out: Path, fresh: bool = False) -> None:
        self.root = Path(out) / UNITS_DIR
        self.fresh = fresh
        self.notes: list[str] = []
        self.saved = 0

    def path(self, task: str, key: str, seed: int) -> Path:
        """Where the unit (task, seed) under ``key`` is kept."""
        return self.root / _folder_name(task) / key / f"{seed}.json"

    def load(self, task: str, key: str, seed: int) -> list[list] | None:
        """The rows of a finished unit, or ``None`` when it must be computed.

        A file that cannot be read back whole is recomputed, with a note.
        """
        path = self.path(task, key, seed)
        if self.fresh or not path.is_file():
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            ok = (doc.get("key") == key and doc.get("seed") == seed
                  and doc.get("task") == task and isinstance(doc.get("rows"), list)
                  and all(isinstance(r, list) and len(r) == 6 for r in doc["rows"]))
        except (OSError, ValueError, AttributeError) as exc:
            ok, why = False, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        else:
            why = "unexpected content"
        if not ok:
            self.notes.append(f"{path}: unit file is unreadable ({why}); recomputing it")
            return None
        return doc["rows"]

    def save(self, task: str, key: str, seed: int, rows: list[list]) -> None:
        """Write a finished unit atomically."""
        doc = {"alearn": __version__, "key": key, "task": task, "seed": seed, "rows": rows}
        write_text_atomic(self.path(task, key, seed), json.dumps(doc) + "\n")
        self.saved += 1

    def prune(self, keys: dict[str, str]) -> None:
        """Remove unit folders of these tasks under keys no longer current
        (an edited task or data file); other tasks' folders are kept."""
        for task, key in keys.items():
            folder = self.root / _folder_name(task)
            if folder.is_dir():
                for old in folder.iterdir():
                    if old.is_dir() and old.name != key:
                        shutil.rmtree(old, ignore_errors=True)
