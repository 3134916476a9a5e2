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
    rows measured, rows skipped because their evaluation failed, and rows under way
    (handed out and not recorded yet: ``--parallel``)."""

    measured: int
    failed: int
    under_way: int = 0


@dataclass(frozen=True)
class BatchRow:
    """A row under way when a person measures k rows at once.

    Attributes
    ----------
    key : int
        Its number in the table (what the person types to pick it).
    row_id : str
    fields : list of (str, object, bool)
        The row's columns, values and whether each is numeric.
    why : str
        As :attr:`MeasureView.why`, or ``"resumed"`` (under way when the session last
        stopped) or ``"undone"`` (its result was undone).
    """

    key: int
    row_id: str
    fields: list[tuple[str, object, bool]]
    why: str


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
    batch : tuple of BatchRow
        The rows under way when a person measures k rows at once (``--parallel k``
        without ``--evaluate``; ``why`` is then ``"batch"``); empty otherwise.
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
    batch: tuple[BatchRow, ...] = ()


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


@dataclass(frozen=True)
class Pick:
    """A line typed at the table of rows under way (:func:`parse_pick`), parsed.

    Attributes
    ----------
    action : str
        ``"pick"`` (a row, then its goal values), ``"values"`` (a row and some or all
        of its goal values), ``"skip-row"``, ``"undo"``, ``"help"``, ``"quit"`` or
        ``"invalid"``.
    row_id : str or None
    values : tuple of float
    message : str
        Why the line was not understood (``"invalid"``).
    """

    action: str
    row_id: str | None = None
    values: tuple[float, ...] = ()
    message: str = ""


def parse_pick(text: str, rows: tuple[BatchRow, ...], goals: int) -> Pick:
    """Read one line at the table of rows under way: a row's number, optionally
    followed by its goal values (up to ``goals``) or ``s`` to skip it; or ``u``,
    ``?``, ``q``."""
    keys = f"1–{len(rows)}" if len(rows) > 1 else "1"
    usage = f"type a row's number ({keys}), then its goal values or s to skip it"
    words = text.split()
    if not words:
        return Pick("invalid", message=f"{usage}; or u undo, ? help, q quit")
    first = words[0].lower()
    if len(words) == 1 and ACTION_KEYS.get(first) in ("undo", "help", "quit"):
        return Pick(ACTION_KEYS[first])
    by_key = {str(r.key): r.row_id for r in rows}
    if first not in by_key:
        what = f"no row {words[0]} in the table" if first.isdigit() else \
            f"{words[0]!r} is not a row's number"
        return Pick("invalid", message=f"{what}; {usage}")
    row_id, rest = by_key[first], words[1:]
    if not rest:
        return Pick("pick", row_id)
    if len(rest) == 1 and rest[0].lower() == "s":
        return Pick("skip-row", row_id)
    answer = parse_answer(" ".join(rest), goals)
    if answer.action != "values":
        return Pick("invalid", message=answer.message or f"{usage}")
    return Pick("values", row_id, answer.values)
