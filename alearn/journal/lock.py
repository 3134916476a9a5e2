"""The OS lock that lets one process write a label store (:mod:`alearn.journal.store`).

The lock is an exclusive ``flock`` on ``<store>.lock`` beside the real file;
the OS releases it when the process ends, even on ``kill -9``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alearn.errors import StoreBusyError

try:  # POSIX; on Windows the lock falls back to msvcrt.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


def try_lock(handle: Any) -> bool:
    """Take an exclusive, non-blocking lock; False when another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as exc:  # pragma: no cover - e.g. a file system without locks
        import errno

        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def busy_error(path: Path, lock: Any) -> StoreBusyError:
    """The error for a store another process holds (``lock`` is closed)."""
    lock.seek(0)
    holder = lock.read().strip()
    lock.close()
    who = f" (pid {holder})" if holder.isdigit() else ""
    return StoreBusyError(f"{path}: the label store is in use by another alearn "
                          f"process{who}; close that session first")


def lock_path(path: str | Path) -> Path:
    """``<store>.lock`` beside the real file (symlinks resolved), so a symlink or another
    spelling of the path reaches the same lock."""
    real = Path(path).resolve()
    return real.with_name(real.name + ".lock")


def check_free(path: str | Path) -> None:
    """Refuse at once a store another process holds, before anything is loaded (a
    second terminal on a busy store should not wait seconds to hear it). Only
    :meth:`Store.open` takes the lock; this looks whether it could.

    Raises
    ------
    StoreBusyError
    """
    found = lock_path(path)
    if not found.is_file():
        return
    try:
        lock = open(found)  # noqa: SIM115 - closed below, or by busy_error
    except OSError:
        return  # Store.open says what is wrong with the path
    if not try_lock(lock):
        raise busy_error(Path(path), lock)
    lock.close()  # closing releases the lock just taken
