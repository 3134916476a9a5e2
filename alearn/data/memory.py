"""Handing memory freed while a file was read back to the system.

Reading a big file makes and drops copies of its columns (text, casts, hashes).
Arrow's allocator and the C library's keep what was freed for later, so the
process stays as big as the reading made it while the model's matrix is built
on top. Handing it back after loading keeps the session's peak near what it
holds (``bench/session_latency.py`` prints the peak).
"""

from __future__ import annotations

import ctypes
import ctypes.util


def hand_back_memory() -> None:
    """Return freed memory to the system: Arrow's pool, and glibc's heap
    (``malloc_trim``; other C libraries have none, and are left alone)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
