"""The trade-offs of an optimize session with two or more goals, as plain data.

The Pareto front of the measured rows (goals normalised over the measured rows
only, as the session's d2h is), its hypervolume and reference point
(:mod:`alearn.kinds.optimize.pareto`), and, for a scatter of two goals, every
measured row's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from alearn.kinds.optimize.pareto import pareto_front
from alearn.session.measure_views import MIN_D2H_ROWS

if TYPE_CHECKING:
    from alearn.session.measure import MeasureSession


@dataclass(frozen=True)
class FrontRow:
    """A measured row: its id, goal values, whether it is on the front and the d2h choice."""

    row_id: str
    values: tuple[float, ...]
    on_front: bool
    chosen: bool


@dataclass(frozen=True)
class FrontView:
    """The trade-offs between the goals of the measured rows.

    Attributes
    ----------
    goals : dict
        Goal -> ``"max"`` or ``"min"``, in column order.
    front : list of FrontRow
        The rows on the front, the d2h choice first, then by d2h.
    measured : list of FrontRow
        Every measured row (for a scatter), in the order measured.
    hypervolume : float
        Share of the box from the reference point to the ideal point the front
        dominates (goals normalised over the measured rows).
    reference : dict
        Goal -> the reference point's value.
    notes : list of str
        Goals with one value on every row of the front, and why they trade off nothing.
    """

    goals: dict[str, str]
    front: list[FrontRow]
    measured: list[FrontRow]
    hypervolume: float
    reference: dict[str, float]
    notes: list[str] = field(default_factory=list)


def front_view(session: MeasureSession) -> FrontView | None:
    """The session's front, or ``None`` with one goal or fewer than
    :data:`~alearn.session.measure_views.MIN_D2H_ROWS` measured rows (normalised over
    fewer, every goal is 0 or 1)."""
    goals = dict(session.settings.goals)
    rows, Y = session.measured()
    if len(goals) < 2 or len(rows) < MIN_D2H_ROWS:
        return None
    front = pareto_front(Y, session.weights, list(goals))
    chosen = front.rows[0]
    on = set(front.rows)
    measured = [FrontRow(row_id=str(session.ids[r]), values=tuple(map(float, Y[k])),
                         on_front=k in on, chosen=k == chosen) for k, r in enumerate(rows)]
    notes = []
    for goal in front.constant:
        value = Y[chosen, list(goals).index(goal)]
        notes.append(f"{goal} is {value:g} on every row of the front: no trade-off with it"
                     if len(front.rows) > 1 else
                     "one row is best on every goal, so the front is that row alone")
    return FrontView(goals=goals, front=[measured[k] for k in front.rows], measured=measured,
                     hypervolume=front.hypervolume, reference=front.reference,
                     notes=list(dict.fromkeys(notes)))
