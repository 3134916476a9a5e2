"""An optimize session: suggest the next row to measure, record its goal values.

``alearn label`` on an optimize task (``kind = "optimize"``, or a data file
whose header has ``+``/``-`` goal columns) asks for the goal values of one row
at a time, or runs ``--evaluate CMD`` to measure it. Rows are chosen as the
simulation chooses them (:func:`alearn.kinds.optimize.simulate.optimize`): the strategy's
start rows, then the strategy (:func:`alearn.kinds.optimize.simulate.make_acquirer`),
which sees the goal values of measured rows only (the goal columns of the data
file are never read), as distance to heaven normalised over the measured rows.

A :class:`MeasureSession` is the shared session machinery
(:class:`~alearn.session.core.Session`) over the same append-only store as
classification (:mod:`alearn.journal.store`): a measurement is a ``label`` event whose
value is a JSON object of goal values, a failed evaluation is a ``skip`` event
whose value is the error. The state is rebuilt by replaying the journal into a
fresh acquirer, asking it for a row at every step as the live session did, so
undo and resume give exactly the suggestions the session would have made
without them (skipped rows are not eligible; with no skips, the rows equal the
simulation's for the same seed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from alearn.counting import counted
from alearn.data.dataset import Dataset
from alearn.errors import ConfigError
from alearn.journal.events import Event
from alearn.journal.goals import decode_goals, encode_goals
from alearn.journal.store import Store
from alearn.kinds.optimize.acquirers import ACQUIRERS, START, Acquirer, make_acquirer
from alearn.kinds.optimize.encode import encode
from alearn.kinds.optimize.evaluate import evaluate_row
from alearn.kinds.optimize.goals import heaven, own_d2h
from alearn.kinds.optimize.headroom import Headroom, headroom
from alearn.kinds.optimize.rules import D2hRule, TreeInput, d2h_rules, tree_input
from alearn.seeds import Stream, stream
from alearn.session.core import Session
from alearn.session.measure_parallel import ParallelMeasuring
from alearn.session.measure_views import (
    MIN_D2H_ROWS,
    Best,
    MeasureProgress,
    MeasureStep,
    MeasureView,
)
from alearn.session.settings import MeasureSettings
from alearn.spec import TaskSpec


@dataclass
class _State:
    """What replaying the journal builds: the acquirer and the rows measured or excluded."""

    acquirer: Acquirer
    start: list[int]
    labeled: list[int] = field(default_factory=list)
    values: list[list[float]] = field(default_factory=list)
    excluded: set[int] = field(default_factory=set)


class MeasureSession(Session[MeasureSettings, MeasureView, MeasureStep], ParallelMeasuring):
    """A measuring session over a dataset, journaled in a store.

    Use :func:`~alearn.session.opening.measure.open_measure_session` to build one
    from a task and the options.
    """

    type_name = "goals"
    reads = frozenset({"strategy", "store", "budget", "annotator", "evaluate", "timeout", "id",
                       "hide", "exclude", "parallel"})
    measures = True

    def __init__(self, data: Dataset, settings: MeasureSettings, store: Store,
                 hidden: set[str]) -> None:
        super().__init__(data, settings, store, hidden=(*hidden, *settings.goals))
        self.goals = list(settings.goals)
        self.weights = heaven(settings.goals)
        self.X = encode(data)
        self._tree: TreeInput | None = None
        self._why = "start"
        self._init_under_way()  # rows under way (--parallel)
        self._rebuild()

    # -- state ---------------------------------------------------------------
    def _rebuild(self) -> None:
        acquirer = make_acquirer(self.settings.strategy, self.X, self.settings.seed)
        # k slots are filled while fewer than START rows are measured: k - 1 more start rows.
        start = acquirer.start(min(START + self.settings.parallel - 1, len(self.ids)))
        self._s = _State(acquirer=acquirer, start=list(start))
        pending, self._pending = self._pending, []
        for event in self._active:
            self._suggest()  # advances the acquirer as when this row was suggested
            self._apply(event)
        self._pending = pending

    def _apply(self, event: Event) -> None:
        s = self._s
        row = self.position(event.row_id)
        if row in s.excluded or row in s.labeled:  # pragma: no cover - a hand-edited journal
            return
        if event.action == "label":
            s.labeled.append(row)
            s.values.append(decode_goals(event.value, self.goals))
        else:
            s.excluded.add(row)

    def _skipped(self, row: int, event: Event) -> None:
        self._apply(event)

    def _suggest(self) -> int | None:
        """The next row (``_why``: ``start`` or ``acquire``); ``None`` when none is left."""
        s = self._s
        taken = np.zeros(len(self.ids), dtype=bool)
        taken[s.labeled] = True
        taken[list(s.excluded)] = True
        taken[self._pending] = True
        if taken.all():
            return None
        if len(s.labeled) < min(START, len(s.start)):
            # The strategy starts once as many rows are measured as in the simulation;
            # start rows skipped are replaced by other random rows.
            self._why = "start"
            for r in s.start:
                if not taken[r]:
                    return int(r)
            self._why = "replacement"
            free = np.flatnonzero(~taken)
            rng = stream(self.settings.seed, Stream.PRIORS, len(s.labeled), len(s.excluded))
            return int(free[rng.integers(free.size)])
        self._why = "acquire"
        y = own_d2h(np.asarray(s.values, dtype=float), self.weights)
        if not self._pending:  # one at a time: the call the simulation makes
            return int(s.acquirer.next(list(s.labeled), y, ~taken))
        return int(s.acquirer.next(list(s.labeled), y, ~taken, list(self._pending)))

    def _undone(self, event: Event) -> MeasureStep:
        what = {"label": "measurement", "skip": "skip"}[event.action]
        if event.action == "skip" and event.value:
            what = "failed evaluation"
        return MeasureStep(action="undo", row_id=event.row_id,
                           message=f"undid {what} of row {event.row_id}")

    def undo(self) -> MeasureStep:
        """Cancel the latest measurement or skip still in force (repeatable); measuring
        k rows at once by hand, its row goes back into the table."""
        step = super().undo()
        if self.by_hand_in_batches and step.action == "undo" and step.row_id is not None:
            self._back_under_way(step.row_id)
        return step

    def _step(self, action: str, row_id: str | None = None, message: str = "") -> MeasureStep:
        return MeasureStep(action=action, row_id=row_id, message=message)

    @staticmethod
    def refusal(flag: str, task: TaskSpec) -> str:
        """Options of class sessions only."""
        return (f"{flag} is for classification tasks; {task.source or task.name} is an "
                "optimize task (rows are measured, not classified)")

    @staticmethod
    def foreign_store(path: object) -> str:
        """A class session's store."""
        return (f"{path}: this label store belongs to a classification session; use another "
                "--store for this optimize task")

    # -- reading -------------------------------------------------------------
    @property
    def n_measured(self) -> int:
        """Rows measured in this store (undone ones excluded)."""
        return len(self._s.labeled)

    @property
    def evaluates(self) -> bool:
        """Whether rows are measured by the ``--evaluate`` command (no questions asked)."""
        return self.settings.evaluate is not None

    def measured(self) -> tuple[list[int], np.ndarray]:
        """The measured rows in order and their goal values (rows x goals)."""
        return list(self._s.labeled), np.asarray(self._s.values, dtype=float).reshape(
            -1, len(self.goals))

    def best(self) -> Best | None:
        """The measured row with the lowest distance to heaven (measured-only normalisation)."""
        rows, Y = self.measured()
        if not rows:
            return None
        d = own_d2h(Y, self.weights)
        k = int(np.argmin(d))
        return Best(row_id=str(self.ids[rows[k]]), values=dict(zip(self.goals,
                                                                    map(float, Y[k]), strict=True)),
                    d2h=float(d[k]) if len(rows) >= MIN_D2H_ROWS else None,
                    fields=self.fields(rows[k]))

    def rules(self) -> list[D2hRule]:
        """A depth-3 regression tree over the measured rows (target: d2h), as rules."""
        rows, Y = self.measured()
        if len(rows) < 2:
            return []
        if self._tree is None:
            self._tree = tree_input(self.data)
        return d2h_rules(self._tree, rows, own_d2h(Y, self.weights), self.settings.seed)

    def headroom(self) -> Headroom | None:
        """The GP's range for how much better an unmeasured row could still be.

        ``None`` with fewer than 3 measured rows (see :func:`headroom`).
        """
        rows, Y = self.measured()
        if len(rows) < 3:
            return None
        return headroom(self.X, rows, own_d2h(Y, self.weights), sorted(self._s.excluded))

    def progress(self) -> MeasureProgress:
        """Counts for the progress line."""
        s = self._s
        left = len(self.ids) - len(s.labeled) - len(s.excluded)
        return MeasureProgress(measured=len(s.labeled), budget=self.settings.budget,
                               skipped=self.n_skipped, failed=self.n_failed, remaining=left,
                               total=len(self.ids), under_way=len(self._pending))

    def current(self) -> MeasureView:
        """The row to measure now, why it was chosen, progress and the best row so far.

        A person measuring k rows at once (:attr:`by_hand_in_batches`) gets the rows
        under way in ``batch`` instead (``row_id`` names them all, ``fields`` is empty).
        """
        strategy, goals = self.settings.strategy, dict(self.settings.goals)
        if self.by_hand_in_batches:
            rows = self.batch_rows()
            progress, best = self.progress(), self.best()
            if rows:
                return MeasureView(done=False, reason="", row_id=" ".join(r.row_id for r in rows),
                                   fields=[], why="batch", strategy=strategy, goals=goals,
                                   progress=progress, best=best, batch=tuple(rows),
                                   start_rows=ACQUIRERS.get(strategy).start_rows)
        row = None if self.by_hand_in_batches else self._current_row()
        progress, best = self.progress(), self.best()
        if row is None:
            budget = counted(self.settings.budget or 0, "measured row")
            reason = (f"the budget of {budget} is reached"
                      if self.budget_reached() else "every row is measured or skipped")
            return MeasureView(done=True, reason=reason, row_id=None, fields=[], why="",
                               strategy=strategy, goals=goals, progress=progress, best=best)
        return MeasureView(done=False, reason="", row_id=str(self.ids[row]),
                           fields=self.fields(row), why=self._why, strategy=strategy,
                           goals=goals, progress=progress, best=best,
                           start_rows=ACQUIRERS.get(strategy).start_rows)

    def state(self) -> dict[str, object]:
        """Measured, skipped and next rows as plain data (for checks)."""
        s = self._s
        row = self._current_row()
        return {"measured": [str(self.ids[r]) for r in s.labeled],
                "values": [list(v) for v in s.values],
                "excluded": sorted(str(self.ids[r]) for r in s.excluded),
                "next": None if row is None else str(self.ids[row])}

    # -- acting --------------------------------------------------------------
    def measure(self, values: Sequence[float]) -> MeasureStep:
        """Record the current row's goal values (in goal order; saved before returning)."""
        if self._current_row() is None:
            return MeasureStep(action="none", message="nothing left to measure")
        numbers = [float(v) for v in values]
        if len(numbers) != len(self.goals) or not np.isfinite(numbers).all():
            return MeasureStep(action="none", message=f"expected {len(self.goals)} finite "
                               f"numbers ({', '.join(self.goals)}), got {list(values)}")
        measured = dict(zip(self.goals, numbers, strict=True))
        _, event = self._answer_current(encode_goals(measured))
        self._apply(event)
        return self._measured_step(event.row_id, measured)

    def _measured_step(self, row_id: str, measured: dict[str, float]) -> MeasureStep:
        best = self.best()
        rules = self.rules() if self.n_measured in self.settings.budgets else None
        shown = " · ".join(f"{g} {format_goal(v)}" for g, v in measured.items())
        return MeasureStep(action="measure", row_id=row_id, values=measured,
                           new_best=best is not None and best.d2h is not None
                           and best.row_id == row_id, rules=rules,
                           message=f"row {row_id}: {shown}")

    def skip(self, error: str | None = None) -> MeasureStep:
        """Skip the current row (not suggested again; undo brings it back).

        Parameters
        ----------
        error : str, optional
            Why the row could not be measured (a failed evaluation); recorded.
        """
        if not error:
            return super().skip()
        row_id = self._skip_current(error)
        if row_id is None:
            return MeasureStep(action="none", message="nothing left to skip")
        return MeasureStep(action="fail", row_id=row_id, error=error,
                           message=f"row {row_id}: evaluation failed ({error}); skipped")

    def evaluate_current(self) -> MeasureStep:
        """Measure the current row with the ``--evaluate`` command (a failure skips it)."""
        command = self.settings.evaluate
        if command is None:
            raise ConfigError("no --evaluate command was given")
        row = self._current_row()
        if row is None:
            return MeasureStep(action="none", message="nothing left to measure")
        row_id = str(self.ids[row])
        fields = self.command_fields(row_id)
        got = evaluate_row(command, fields, row_id, self.goals, self.settings.timeout)
        if got.values is None:
            return self.skip(error=got.error)
        step = self.measure(got.values)
        return dataclasses.replace(step, message=f"{step.message} ({got.seconds:.1f} s)")


def format_goal(value: float) -> str:
    """A goal value for display: whole numbers without a point, else 6 significant digits."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
