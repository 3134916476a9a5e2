"""Plain data an optimize session hands to its screen, and typed answers parsed.

An optimize session asks for the goal values of a row, one prompt per goal.
:func:`parse_answer` reads one typed line: a number (or several, separated by
spaces, for the next goals), or ``s`` skip, ``u`` undo, ``?`` help, ``q`` quit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from alearn.counting import counted
from alearn.kinds.optimize.rules import D2hRule
from alearn.session.keystrokes import ACTION_KEYS
from alearn.session.views import Progress, Step, View

# Measured rows before d2h (and so the best row) means something. Goals are normalised
# over the measured rows, so with one or two rows every normalised value is 0 or 1
# whatever was measured (one row is 0 from heaven, or 1); from three on a value can fall
# between the others. The GP's room-left bound starts at three rows too.
MIN_D2H_ROWS = 3


@dataclass(frozen=True)
class Best:
    """The best measured row so far (lowest distance to heaven over measured rows).

    Attributes
    ----------
    row_id : str
    values : dict
        Goal -> measured value.
    d2h : float or None
        Distance to heaven, goals normalised over the measured rows only;
        ``None`` below :data:`MIN_D2H_ROWS` measured rows, where it means nothing
        (normalised over one or two rows, every goal is 0 or 1 whatever was measured).
    fields : list of (str, object, bool)
        The row's columns, values and whether each is numeric.
    """

    row_id: str
    values: dict[str, float]
    d2h: float | None
    fields: list[tuple[str, object, bool]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class MeasureProgress(Progress):
    """How far an optimize session is (beyond :class:`~alearn.session.views.Progress`):
    rows measured, and rows skipped because their evaluation failed."""

    measured: int
    failed: int


@dataclass(frozen=True, kw_only=True)
class MeasureView(View[MeasureProgress]):
    """What an optimize session shows now (beyond :class:`~alearn.session.views.View`).

    Attributes
    ----------
    why : str
        ``"start"`` (one of the strategy's start rows, as in the simulation),
        ``"replacement"`` (a row drawn at random in place of a skipped start row) or
        ``"acquire"`` (chosen by the strategy from the measured rows); ``""`` when done.
    start_rows : str
        How the strategy chooses its start rows, in words (e.g. ``"drawn at random"``).
    strategy : str
    goals : dict
        Goal -> ``"max"`` or ``"min"``, in prompt order.
    best : Best or None
    """

    why: str
    strategy: str
    goals: dict[str, str]
    start_rows: str = ""
    best: Best | None


@dataclass(frozen=True, kw_only=True)
class MeasureStep(Step):
    """What an optimize session's action did (beyond :class:`~alearn.session.views.Step`).

    ``action`` is also ``"measure"``, or ``"fail"`` (a failed evaluation, the
    row skipped).

    Attributes
    ----------
    values : dict or None
        The goal values recorded (measure).
    error : str or None
        Why an evaluation failed.
    new_best : bool
        The row measured is the best so far.
    rules : list of D2hRule or None
        When the number of measured rows reached one of the task's budgets.
    """

    values: dict[str, float] | None = None
    error: str | None = None
    new_best: bool = False
    rules: list[D2hRule] | None = None


@dataclass(frozen=True)
class Answer:
    """One typed line, parsed.

    Attributes
    ----------
    kind : str
        ``"values"``, ``"skip"``, ``"undo"``, ``"help"``, ``"quit"``, ``"expand"``
        (long text in full), ``"fields"`` (every field) or ``"invalid"``.
    values : tuple of float
        The numbers typed (``"values"``).
    message : str
        Why the line was not understood (``"invalid"``).
    """

    action: str
    values: tuple[float, ...] = ()
    message: str = ""


def parse_number(text: str) -> float | None:
    """A finite number, or ``None`` (``1e3`` and ``-2`` are numbers; ``nan`` is not)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_answer(text: str, remaining: int) -> Answer:
    """Read one answer line at a goal prompt.

    Parameters
    ----------
    text : str
    remaining : int
        Goals still to enter for this row (several numbers may be typed at once,
        separated by spaces, up to this many).

    Returns
    -------
    Answer
    """
    words = text.split()
    if not words:
        return Answer("invalid", message="type a number (or s skip, u undo, ? help, q quit)")
    if len(words) == 1 and words[0].lower() in ACTION_KEYS:
        return Answer(ACTION_KEYS[words[0].lower()])
    numbers = [parse_number(w) for w in words]
    bad = [w for w, n in zip(words, numbers, strict=True) if n is None]
    if bad:
        hint = " (use a dot for decimals)" if "," in bad[0] else ""
        return Answer("invalid", message=f"{bad[0]!r} is not a number{hint}; type a number, "
                                         "or s skip, u undo, ? help, q quit")
    if len(numbers) > remaining:
        return Answer("invalid", message=f"{len(numbers)} numbers typed, but only "
                                         f"{counted(remaining, 'goal')} left for this row")
    return Answer("values", values=tuple(n for n in numbers if n is not None))
