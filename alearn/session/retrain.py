"""Retraining a class session's model in a worker thread.

A retrain on a big pool takes a while (rescoring a million rows is most of
it), and the person should not wait for it: :class:`Retrainer` fits in one
worker thread while the session goes on suggesting rows from the model in
force. Models are known by their *version*: the number of labels (the first
``n`` in labeling order) they were fitted on, which makes each one
reproducible, so the journal can record which version made each suggestion
(:class:`~alearn.journal.events.Event`) and a resumed session can rebuild it.

Every fit of a session runs in this one thread (also the ones the session
waits for), so fits never run side by side (scikit-learn's warning filters
are not thread-safe). BLAS runs on one thread there: it leaves the other core
to the screen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from alearn.estimates.accuracy import Estimate


@dataclass(frozen=True)
class Fitted:
    """A model fitted on the first ``version`` labels, with what came with it.

    Attributes
    ----------
    version : int
        Labels it was fitted on.
    rows : tuple of int
        Those labels' rows, in labeling order (to check it still applies after an undo).
    labels : tuple of str
    model : estimator or None
        ``None`` when those labels give no model (one class).
    utility : ndarray or None
        The strategy's score of every row under ``model``.
    estimate : Estimate or None
        Its estimated accuracy (``None`` when not asked for).
    seconds : float
        How long the fit and rescoring took.
    """

    version: int
    rows: tuple[int, ...]
    labels: tuple[str, ...]
    model: object | None
    utility: np.ndarray | None
    estimate: Estimate | None
    seconds: float


# (rows, labels, estimate?) -> (model, utility, estimate)
FitFn = Callable[[np.ndarray, np.ndarray, bool],
                 tuple[object | None, np.ndarray | None, Estimate | None]]


class Retrainer:
    """Fits model versions in one worker thread, newest first.

    Parameters
    ----------
    fit : callable
        ``fit(rows, labels, estimate)`` -> ``(model, utility, estimate)``; it
        must read nothing the session changes (it gets copies of the labels).
    """

    def __init__(self, fit: FitFn) -> None:
        self._fit = fit
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alearn-retrain")
        self._lock = threading.Lock()
        self._jobs: dict[int, tuple[tuple[int, ...], tuple[str, ...], Future[Fitted]]] = {}
        self.last_seconds: float | None = None

    def _run(self, version: int, rows: tuple[int, ...], labels: tuple[str, ...],
             estimate: bool) -> Fitted:
        from threadpoolctl import threadpool_limits

        t0 = time.perf_counter()
        with threadpool_limits(1):
            model, utility, est = self._fit(np.asarray(rows, dtype=int),
                                            np.asarray(labels, dtype=str), estimate)
        seconds = time.perf_counter() - t0
        self.last_seconds = seconds
        return Fitted(version, rows, labels, model, utility, est, seconds)

    def submit(self, rows: Sequence[int], labels: Sequence[str], estimate: bool = True
               ) -> int:
        """Start fitting on ``rows`` with ``labels`` (unless it is fitted or under way);
        versions queued behind others and not started are dropped: only the
        newest matters. Returns the version."""
        key = (tuple(int(r) for r in rows), tuple(str(v) for v in labels))
        version = len(key[0])
        with self._lock:
            known = self._jobs.get(version)
            if known is not None and known[:2] == key and not known[2].cancelled():
                return version
            for job in self._jobs.values():
                job[2].cancel()  # only those not started yet
            self._jobs = {v: j for v, j in self._jobs.items() if not j[2].cancelled()}
            self._jobs[version] = (*key, self._pool.submit(self._run, version, *key, estimate))
        return version

    def _job(self, rows: Sequence[int], labels: Sequence[str], version: int
             ) -> Future[Fitted] | None:
        """The job of ``version`` when it was fitted on the first labels given."""
        with self._lock:
            known = self._jobs.get(version)
        if known is None or known[2].cancelled():
            return None
        if known[0] != tuple(int(r) for r in rows[:version]) or \
                known[1] != tuple(str(v) for v in labels[:version]):
            return None  # fitted on labels since undone
        return known[2]

    def wait(self, rows: Sequence[int], labels: Sequence[str], version: int,
             timeout: float | None = None) -> Fitted | None:
        """The fit of ``version`` on these labels: waits at most ``timeout`` seconds
        (``None``: until done; it is started when unknown). ``None`` if not done."""
        job = self._job(rows, labels, version)
        if job is None:
            self.submit(rows[:version], labels[:version])
            job = self._job(rows, labels, version)
            assert job is not None
        try:
            return job.result(timeout=timeout)
        except TimeoutError:
            return None

    def newest(self, rows: Sequence[int], labels: Sequence[str], at_least: int
               ) -> Fitted | None:
        """The newest finished fit of at least ``at_least`` labels that still applies
        to these labels (``None``: none newer than that has finished)."""
        with self._lock:
            versions = sorted(self._jobs, reverse=True)
        for version in versions:
            if version < at_least or version > len(rows):
                continue
            job = self._job(rows, labels, version)
            if job is not None and job.done():
                return job.result()
        return None

    def running(self, rows: Sequence[int], labels: Sequence[str]) -> int | None:
        """The newest version under way or queued for these labels (``None``: none)."""
        with self._lock:
            versions = sorted(self._jobs, reverse=True)
        for version in versions:
            job = self._job(rows, labels, version) if version <= len(rows) else None
            if job is not None and not job.done():
                return version
        return None

    def run(self, call: Callable[[], object]) -> object:
        """Run ``call`` in the worker thread (after the fits before it) and return its result."""
        return self._pool.submit(call).result()

    def forget(self, keep: Callable[[int], bool]) -> None:
        """Drop finished versions for which ``keep(version)`` is false (memory: a
        million-row pool's scores are 8 MB a version)."""
        with self._lock:
            self._jobs = {v: j for v, j in self._jobs.items() if keep(v) or not j[2].done()}

    def close(self) -> None:
        """Stop: queued fits are dropped, a running one is left to finish on its own."""
        self._pool.shutdown(wait=False, cancel_futures=True)
