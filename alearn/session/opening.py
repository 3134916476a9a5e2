"""What opening a classification or an optimize session shares: the default
annotator name, and a store that is removed again when the session never starts.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alearn.session.store import Store


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
        opened.close()
        if not existed:
            for leftover in (path, *(path.with_name(path.name + s)
                                     for s in ("-wal", "-shm", ".lock"))):
                leftover.unlink(missing_ok=True)
        raise
