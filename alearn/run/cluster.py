"""Running units on a Dask cluster (``--cluster``): connecting, shipping tasks, collecting.

Only :mod:`distributed` schedules; this module opens the client and maps units
onto it. Each prepared task is one Dask task that a worker fetches once
(workers never read the task's data files), and each unit is one Dask task
whose result comes back as it finishes. A worker that dies mid-unit has its units rerun
elsewhere by the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from alearn.errors import ConfigError

LOCAL = "local:"
# Seconds to wait for a scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = 10.0
INSTALL_HINT = "pip install 'alearn[dask]'"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError(f"--cluster needs dask.distributed, which is not installed; "
                          f"run: {INSTALL_HINT}") from None
    return distributed


def _local_workers(address: str) -> int:
    count = address[len(LOCAL):]
    if not count.isdigit() or int(count) < 1:
        raise ConfigError(f"--cluster {address!r}: expected local:N with N a whole number "
                          f"of at least 1 (e.g. local:2)")
    return int(count)


@contextmanager
def open_client(address: str, timeout: float | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for ``--cluster ADDRESS``, closed on exit.

    Parameters
    ----------
    address : str
        ``tcp://host:port`` of a running scheduler, or ``local:N`` to start a
        ``LocalCluster`` of N single-threaded worker processes on 127.0.0.1.
    timeout : float, optional
        Seconds to wait for the scheduler (default :data:`CONNECT_TIMEOUT`).

    Raises
    ------
    ConfigError
        ``distributed`` is missing, ``local:N`` is malformed, or the scheduler
        cannot be reached in time.
    """
    distributed = _distributed()
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    if address.startswith(LOCAL):
        workers = _local_workers(address)
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=":0",
                                      silence_logs=logging.ERROR) as cluster, \
                distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"--cluster {address}: cannot reach a Dask scheduler within "
                          f"{timeout:g} s ({reason}); start one with `dask scheduler` or "
                          f"use --cluster local:N") from None
    try:
        yield client
    finally:
        client.close()


def _hold(prepared: Any) -> Any:
    return prepared


def map_units(client: Any, unit: Callable[..., Any], prepared: Sequence[Any],
              work: Sequence[tuple[int, int]]) -> Iterator[Any]:
    """Run ``unit(index, prepared[index], seed)`` for each ``(index, seed)`` of ``work``
    on the cluster; yield the results as they finish, in any order."""
    distributed = _distributed()
    used = sorted({i for i, _ in work})
    # Each task travels as a Dask task of its own: a worker fetches it once and keeps
    # it for every unit it runs, and the scheduler can rebuild it when the only worker
    # holding it dies (scattered data would be lost with that worker).
    shipped = {i: client.submit(_hold, prepared[i], pure=False) for i in used}
    futures = [client.submit(unit, i, shipped[i], seed, pure=False) for i, seed in work]
    try:
        for future in distributed.as_completed(futures):
            yield future.result()
    finally:
        client.cancel(futures)
