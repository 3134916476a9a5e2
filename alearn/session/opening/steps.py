"""What opening any labeling session shares: the options it does not read
refused in one place, option values checked, the store opened (and removed
again when the session never starts), checked against the session type and
the options, and set up with an absolute source.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from alearn.data.datachange import table_shape
from alearn.data.dataset import Dataset
from alearn.errors import ConfigError, StoreError
from alearn.journal.store import MEASURED, Store
from alearn.session.options import LabelOptions
from alearn.spec import TaskSpec
from alearn.tasks import check_option

if TYPE_CHECKING:
    from alearn.session.core import Session

# The stored ``kind`` of a store whose rows are measured (goal values), not classified.


def default_annotator() -> str:
    """The user name, recorded with each event when ``--annotator`` is not given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return "unknown"


@contextmanager
def opening_store(path: Path) -> Iterator[Store]:
    """Open (or create) the store at ``path`` for a session being set up.

    If the block raises, the store is closed and, when this call created it,
    its files are removed: nothing is left behind for a session that never
    started. On success the store stays open.
    """
    existed = path.exists()
    opened = Store.open(path)
    try:
        yield opened
    except BaseException:
        if existed:
            opened.close()
        else:
            opened.discard()
        raise


# -- options --------------------------------------------------------------------
def refuse_unread(session_type: type[Session], task: TaskSpec, options: LabelOptions) -> None:
    """Refuse the first option given that ``session_type`` does not read.

    Raises
    ------
    ConfigError
        The session type's own words (:meth:`Session.refusal`).
    """
    for flag in options.given():
        if flag.removeprefix("--").replace("-", "_") not in session_type.reads:
            raise ConfigError(session_type.refusal(flag, task))


def check_values(kind: str, options: LabelOptions, keys: Sequence[str]) -> None:
    """Refuse option values tasks of ``kind`` do not accept (``--batch``/``--budget``
    below 1; ``keys`` among strategy, model and start, by :func:`check_option`)."""
    for key in keys:
        value = getattr(options, key)
        if value is not None:
            check_option(kind, key, value)
    for key in ("batch", "budget"):
        value = getattr(options, key)
        if value is not None and int(value) < 1:
            raise ConfigError(f"--{key} must be at least 1, got {value}")


def store_path(task: TaskSpec, options: LabelOptions) -> Path:
    """``--store``, else ``<task name>.labels.db`` here."""
    return options.store_path(task.name)


# -- the store --------------------------------------------------------------------
def check_owner(store: Store, session_type: type[Session]) -> None:
    """Refuse a store made by the other type of session (measured vs classified rows)."""
    if store.meta is not None and \
            (store.meta.settings.get("kind") == MEASURED) != session_type.measures:
        raise StoreError(session_type.foreign_store(store.path))


def check_given(store: Store, given: dict[str, object]) -> None:
    """Refuse options that differ from the values the store was made with."""
    assert store.meta is not None
    stored = store.meta.settings
    for key, value in given.items():
        shown = list(value) if isinstance(value, tuple) else value
        if stored.get(key) != shown:
            old = stored.get(key)
            old = ",".join(old) if isinstance(old, list) else old
            raise StoreError(
                f"{store.path}: this label store was made with --{key.replace('_', '-')} "
                f"{old}; leave the option out to resume, or use another --store")


def initialise(store: Store, task: TaskSpec, data: Dataset, fixed: dict[str, object]) -> None:
    """Set a new store up for ``data`` with the settings it keeps fixed (``fixed``)."""
    # An absolute source, so the data can be found again (``alearn export``).
    source = data.source if task.data_path is None else str(Path(data.source).resolve())
    store.initialise(data.fingerprint, source, fixed, table_shape(data))
