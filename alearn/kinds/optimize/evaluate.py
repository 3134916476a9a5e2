"""Measuring a row with an external command (``alearn label --evaluate CMD``).

The command runs once per suggested row, through the shell, in its own
process group. It gets the row's fields as a JSON object on stdin and as
environment variables ``ALEARN_<COLUMN>`` (the column name upper-cased, every
character other than a letter, digit or ``_`` replaced by ``_``), plus
``ALEARN_ROW_ID``. It must print a JSON object with a number for every goal
column, keyed by the goal's name (``{"Throughput+": 812, "Latency-": 3.4}``);
other keys are ignored, and log lines before the object are allowed when the
object is on the last line.

A non-zero exit, a timeout (the whole process group is killed) or output
that is not such an object is an :class:`~alearn.errors.EvaluateError`
caught by :func:`evaluate_row` and returned as a failed :class:`Evaluation`:
never an exception the session has to survive.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alearn.errors import EvaluateError

DEFAULT_TIMEOUT = 60.0
ENV_PREFIX = "ALEARN_"
# Characters of stderr/stdout quoted in a failure message.
QUOTE = 200


@dataclass(frozen=True)
class Evaluation:
    """The outcome of running the command on one row.

    Attributes
    ----------
    values : list of float or None
        Goal values in goal order (``None`` when the evaluation failed).
    error : str or None
        Why it failed (one line).
    seconds : float
        Wall time of the command.
    """

    values: list[float] | None
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        """Whether every goal value was read."""
        return self.values is not None


def env_name(column: str) -> str:
    """``ALEARN_<COLUMN>``: upper case, anything but letters, digits and ``_`` as ``_``."""
    return ENV_PREFIX + re.sub(r"[^A-Z0-9_]", "_", column.upper())


def row_environment(fields: Sequence[tuple[str, object]], row_id: str) -> dict[str, str]:
    """The ``ALEARN_*`` variables of a row (missing values as empty strings).

    Two columns that map to the same name get ``_2``, ``_3``... in column order.
    """
    env = {ENV_PREFIX + "ROW_ID": row_id}
    for column, value in fields:
        name = env_name(column)
        k = 1
        while name in env:
            k += 1
            name = f"{env_name(column)}_{k}"
        env[name] = "" if value is None else _text(value)
    return env


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def row_json(fields: Sequence[tuple[str, object]]) -> str:
    """The row's fields as one JSON object (missing values as ``null``)."""
    out: dict[str, object] = {}
    for column, value in fields:
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        elif value is not None and not isinstance(value, int | float | str | bool):
            value = str(value)
        out[column] = value
    return json.dumps(out, ensure_ascii=False)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE else text[:QUOTE] + "…"


def parse_goals(output: str, goals: Sequence[str]) -> list[float]:
    """Goal values from a command's stdout: a JSON object, whole or on its last line.

    Raises
    ------
    EvaluateError
        No JSON object, a goal missing, or a value that is not a finite number.
    """
    text = output.strip()
    candidates = [text, *(line.strip() for line in reversed(text.splitlines())
                          if line.strip())][:2]
    raw: object = None
    for candidate in candidates:
        try:
            raw = json.loads(candidate)
        except ValueError:
            continue
        break
    if not isinstance(raw, dict):
        shown = repr(_short(text)) if text else "nothing"
        raise EvaluateError(f"expected a JSON object of goal values on stdout, got {shown}")
    values = []
    for goal in goals:
        if goal not in raw:
            raise EvaluateError(f"the output has no value for goal {goal!r} "
                                f"(keys: {', '.join(map(str, raw)) or 'none'})")
        value = raw[goal]
        number: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                number = float(value)
        if number is None or not math.isfinite(number):
            raise EvaluateError(f"goal {goal!r} is {value!r} in the output, not a finite number")
        values.append(number)
    return values


def kill_group(proc: subprocess.Popen) -> None:
    """Kill a command's process group (whatever it started goes with it)."""
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()


def run_command(command: str, fields: Sequence[tuple[str, object]], row_id: str,
                goals: Sequence[str], timeout: float = DEFAULT_TIMEOUT,
                on_start: Callable[[subprocess.Popen], None] | None = None) -> list[float]:
    """Run ``command`` on one row and read its goal values.

    Parameters
    ----------
    command : str
        A shell command line.
    fields : sequence of (str, object)
        The row's columns and values (goal columns excluded).
    row_id : str
    goals : sequence of str
        Goal columns, in the order values are returned.
    timeout : float
        Seconds before the command's process group is killed.
    on_start : callable, optional
        Called with the started process (a caller running several at once
        kills their groups with :func:`kill_group` when interrupted).

    Returns
    -------
    list of float

    Raises
    ------
    EvaluateError
        The command cannot start, exits non-zero, times out, or prints garbage.
    """
    env = {**os.environ, **row_environment(fields, row_id)}
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True, text=True, encoding="utf-8",
                                errors="replace")
    except OSError as exc:
        raise EvaluateError(f"cannot start the command ({exc.strerror or exc})") from None
    if on_start is not None:
        on_start(proc)
    try:
        out, err = proc.communicate(row_json(fields) + "\n", timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        raise EvaluateError(f"timed out after {timeout:g} s (the command was killed)") from None
    except BaseException:
        kill_group(proc)
        raise
    finally:
        # Whatever the command left running in its group goes with it.
        kill_group(proc)
    if proc.returncode != 0:
        detail = _short(err) or _short(out)
        raise EvaluateError(f"exit code {proc.returncode}" + (f": {detail}" if detail else ""))
    return parse_goals(out, goals)


def evaluate_row(command: str, fields: Sequence[tuple[str, object]], row_id: str,
                 goals: Sequence[str], timeout: float = DEFAULT_TIMEOUT,
                 on_start: Callable[[subprocess.Popen], None] | None = None) -> Evaluation:
    """:func:`run_command`, with every failure returned rather than raised."""
    began = time.perf_counter()
    try:
        values = run_command(command, fields, row_id, goals, timeout, on_start)
    except EvaluateError as exc:
        return Evaluation(None, exc.message, time.perf_counter() - began)
    return Evaluation(values, None, time.perf_counter() - began)
