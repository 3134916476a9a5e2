"""Measuring rows with the ``--evaluate`` command: one at a time, or k at a time.

:func:`run_evaluations` runs one command at a time on the current row.
:func:`run_parallel_evaluations` (``alearn label --parallel k``): k commands
run at once, one thread each (the threads only wait on their command). Each
result is journaled the moment it arrives (:meth:`MeasureSession.record`), and
the freed slot is refilled at once with a row chosen knowing which rows are
still under way (:meth:`MeasureSession.claim`). The rows under way are kept in
the store, so a run killed mid-batch loses no recorded measurement and hands
the unfinished rows out again first when it resumes. A command that hangs is
killed by its own ``--timeout`` (the others go on); Ctrl-C kills every command
under way, and nothing of theirs is recorded.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from alearn.errors import EvaluateError
from alearn.kinds.optimize.evaluate import Evaluation, evaluate_row, kill_group
from alearn.session.measure import MeasureSession
from alearn.session.measure_views import MeasureStep, MeasureView

# Stop --evaluate after this many failed evaluations in a row (a broken command).
MAX_FAILED_IN_A_ROW = 5


def check_not_broken(failed: list[str]) -> None:
    """Refuse to go on after :data:`MAX_FAILED_IN_A_ROW` failed evaluations in a row
    (``failed``: their errors): a broken command is an error for scripts, a non-zero
    exit, not "done"."""
    if len(failed) >= MAX_FAILED_IN_A_ROW:
        raise EvaluateError(f"stopped after {len(failed)} failed evaluations in a row "
                            f"(last: {failed[-1]}); fix the command and run again to resume")


def run_evaluations(session: MeasureSession, before: Callable[[MeasureView], None] | None = None,
                    after: Callable[[MeasureStep], None] | None = None) -> str:
    """Measure rows with the ``--evaluate`` command until the budget or a broken command.

    Parameters
    ----------
    session : MeasureSession
    before : callable, optional
        Called with the view of each row before its command runs.
    after : callable, optional
        Called with each step (measured or failed).

    Returns
    -------
    str
        Why it stopped.
    """
    failed: list[str] = []
    while True:
        view = session.current()
        if view.done:
            return view.reason
        if before is not None:
            before(view)
        step = session.evaluate_current()
        if after is not None:
            after(step)
        failed = [*failed, step.error or ""] if step.action == "fail" else []
        check_not_broken(failed)


def run_parallel_evaluations(session: MeasureSession,
                             started: Callable[[str], None] | None = None,
                             after: Callable[[MeasureStep], None] | None = None) -> str:
    """Measure rows with the ``--evaluate`` command, ``settings.parallel`` at a time.

    Parameters
    ----------
    session : MeasureSession
    started : callable, optional
        Called with the id of each row as its command starts.
    after : callable, optional
        Called with each step (measured, failed, or a second result not recorded).

    Returns
    -------
    str
        Why it stopped.

    Raises
    ------
    EvaluateError
        ``MAX_FAILED_IN_A_ROW`` evaluations failed in a row (the ones under way
        are waited for and recorded first).
    """
    command = session.settings.evaluate
    if command is None:
        raise EvaluateError("no --evaluate command was given")
    slots = session.settings.parallel
    procs: dict[str, subprocess.Popen] = {}
    lock = threading.Lock()

    def run(row_id: str, fields: list[tuple[str, object]]) -> Evaluation:
        def keep(proc: subprocess.Popen) -> None:
            with lock:
                procs[row_id] = proc

        try:
            return evaluate_row(command, fields, row_id, session.goals, session.settings.timeout,
                                on_start=keep)
        finally:
            with lock:
                procs.pop(row_id, None)

    failed: list[str] = []
    running: dict[Future[Evaluation], str] = {}
    pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="alearn-evaluate")
    try:
        while True:
            while len(running) < slots and len(failed) < MAX_FAILED_IN_A_ROW:
                row_id = session.claim()
                if row_id is None:
                    break
                if started is not None:
                    started(row_id)
                # The row is read here: the threads only run the command.
                running[pool.submit(run, row_id, session.command_fields(row_id))] = row_id
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: running[f]):
                step = session.record(running.pop(future), future.result())
                if after is not None:
                    after(step)
                if step.action == "fail":
                    failed.append(step.error or "")
                elif step.action == "measure":
                    failed = []
    except BaseException:
        # Ctrl-C: nothing more is recorded; every command under way goes with its group.
        with lock:
            for proc in procs.values():
                kill_group(proc)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    check_not_broken(failed)
    return session.current().reason
