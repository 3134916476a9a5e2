"""Rows under way in an optimize session: k rows measured at once (``--parallel k``).

:class:`ParallelMeasuring` is the part of
:class:`~alearn.session.measure.MeasureSession` that hands out rows while
others are still being measured (:meth:`~ParallelMeasuring.claim`) and records
their results in any order (:meth:`~ParallelMeasuring.record` for an
``--evaluate`` command, :meth:`~ParallelMeasuring.measure_row` and
:meth:`~ParallelMeasuring.skip_row` for a person). The rows under way are kept
in the store (setting ``in_flight``), so a run killed mid-batch loses no
recorded measurement and shows (or hands out) the same rows again when it
resumes.

Without ``--evaluate`` a person sees the rows under way as one table
(:meth:`~ParallelMeasuring.batch_rows`) and enters the result of any of them;
each freed slot is refilled with the strategy's next row, chosen knowing the
others are still under way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from alearn.journal.goals import encode_goals
from alearn.kinds.optimize.evaluate import Evaluation
from alearn.session.measure_views import BatchRow, MeasureStep

if TYPE_CHECKING:
    import pandas as pd

    from alearn.journal.events import Event
    from alearn.journal.store import Store
    from alearn.session.settings import MeasureSettings

# The store setting naming the rows under way (--parallel), for a resume after a kill.
IN_FLIGHT = "in_flight"


class ParallelMeasuring:
    """Rows under way (a mixin of :class:`~alearn.session.measure.MeasureSession`, which
    provides the attributes below and ``_suggest``, ``_apply``, ``_record``,
    ``_measured_step`` and ``fields``)."""

    settings: MeasureSettings
    store: Store
    ids: np.ndarray
    goals: list[str]
    _index: pd.Index
    _s: Any
    _why: str
    _active: list[Event]
    _positions: dict[str, int]
    _next_known: bool
    n_answered: int
    evaluates: bool

    def _init_under_way(self) -> None:
        # Rows handed out and not recorded yet; those a killed run left under way
        # (kept in the store) are handed out again first, in the same order.
        self._pending: list[int] = []
        self._holes: list[int] = []  # places in _pending freed by a result: refilled first
        self._why_of: dict[int, str] = {}
        meta = self.store.meta.settings if self.store.meta is not None else {}
        self._resume = [int(self._index.get_loc(r)) for r in meta.get(IN_FLIGHT) or []
                        if r in self._index]

    @property
    def by_hand_in_batches(self) -> bool:
        """Whether a person measures k rows at once (``--parallel k`` without ``--evaluate``)."""
        return self.settings.parallel > 1 and not self.evaluates

    @property
    def under_way(self) -> list[str]:
        """Rows handed out by :meth:`claim` and not recorded yet."""
        return [str(self.ids[r]) for r in self._pending]

    def claim(self) -> str | None:
        """Hand out one more row to measure while others are under way.

        Rows a killed run left under way come first; then the strategy's next
        row, chosen knowing the rows under way (:meth:`Acquirer.next`'s
        ``pending``). ``None`` when the budget is taken up by measured and
        under-way rows, or no row is left. The rows under way are saved in the
        store, so a run killed now resumes them.
        """
        budget = self.settings.budget
        if budget is not None and self.n_answered + len(self._pending) >= budget:
            return None
        resumed = self._resumed_left()
        row = resumed[0] if resumed else self._suggest()
        if row is None:
            return None
        # The new row takes the place a result freed: the rest of a person's table stays put.
        place = self._holes.pop(0) if self._holes else len(self._pending)
        self._pending.insert(place, row)
        self._holes = [h + (h >= place) for h in self._holes]
        self._why_of[row] = "resumed" if resumed else self._why
        self._next_known = False
        self._save_under_way()
        return str(self.ids[row])

    def _resumed_left(self) -> list[int]:
        """Rows under way when the session last stopped, not handed out or recorded since."""
        s = self._s
        done = {*s.labeled, *s.excluded, *self._pending}
        return [r for r in self._resume if r not in done]

    def record(self, row_id: str, got: Evaluation) -> MeasureStep:
        """Journal the evaluation of a row handed out by :meth:`claim` (saved at once).

        A second result for a row already measured or failed is not recorded
        (the first stands): the step says so.
        """
        if got.values is None:
            step = self._settle(row_id, "skip", got.error)
            if step is not None:
                return step
            return MeasureStep(action="fail", row_id=row_id, error=got.error,
                               message=f"row {row_id}: evaluation failed ({got.error}); "
                                       "skipped")
        step = self.measure_row(row_id, got.values)
        if step.action != "measure":
            return step
        return dataclasses.replace(step, message=f"{step.message} ({got.seconds:.1f} s)")

    def measure_row(self, row_id: str, values: Sequence[float]) -> MeasureStep:
        """Record the goal values of a row under way (in goal order; saved before
        returning); its slot is free for the next row."""
        numbers = [float(v) for v in values]
        if len(numbers) != len(self.goals) or not np.isfinite(numbers).all():
            return MeasureStep(action="none", message=f"expected {len(self.goals)} finite "
                               f"numbers ({', '.join(self.goals)}), got {list(values)}")
        measured = dict(zip(self.goals, numbers, strict=True))
        step = self._settle(row_id, "label", encode_goals(measured))
        return step if step is not None else self._measured_step(row_id, measured)

    def skip_row(self, row_id: str) -> MeasureStep:
        """Skip a row under way (not suggested again; undo brings it back)."""
        step = self._settle(row_id, "skip", None)
        return step if step is not None else MeasureStep(
            action="skip", row_id=row_id, message=f"row {row_id}: skipped")

    def batch_rows(self) -> list[BatchRow]:
        """The rows under way, the free slots refilled first (a person measuring k at once).

        Every row under way when the session last stopped is shown again, even more
        than k (an undone row made the table longer)."""
        while (len(self._pending) < self.settings.parallel or self._resumed_left()) \
                and self.claim() is not None:
            pass
        self._holes = []  # places not refilled (no row left) are gone: the table closes up
        return [BatchRow(key=k, row_id=str(self.ids[r]), fields=self.fields(r),
                         why=self._why_of.get(r, "resumed"))
                for k, r in enumerate(self._pending, 1)]

    def _back_under_way(self, row_id: str) -> None:
        """An undone row of a person's batch goes back into the table (its slot was refilled,
        so the table has a row more until the next result)."""
        row = self._positions.get(row_id)
        s = self._s
        if row is None or row in s.labeled or row in s.excluded or row in self._pending:
            return
        self._pending.append(row)
        self._why_of[row] = "undone"
        self._save_under_way()

    def _settle(self, row_id: str, action: str, value: str | None) -> MeasureStep | None:
        """Journal ``action`` for a row under way (``None``), or the step saying a row
        already recorded is not recorded again."""
        row = int(self._index.get_loc(row_id))
        if row in self._pending:
            place = self._pending.index(row)
            self._pending.remove(row)
            self._holes = sorted([*(h - (h > place) for h in self._holes), place])
        s = self._s
        if row in s.labeled or row in s.excluded:
            self._save_under_way()
            return MeasureStep(action="none", row_id=row_id, message=f"row {row_id}: already "
                               "recorded; a second result for it is not recorded")
        event = self._record(action, row_id, value, row=row)
        self._active.append(event)
        self._positions[row_id] = row
        self._apply(event)
        self._save_under_way()
        return None

    def command_fields(self, row_id: str) -> list[tuple[str, object]]:
        """What the ``--evaluate`` command gets of a row: its shown columns and values."""
        row = int(self._index.get_loc(row_id))
        return [(name, value) for name, value, _ in self.fields(row)]

    def _save_under_way(self) -> None:
        under_way = self.under_way
        if self.store.meta is not None and \
                (self.store.meta.settings.get(IN_FLIGHT) or []) != under_way:
            self.store.update_settings({IN_FLIGHT: under_way})
