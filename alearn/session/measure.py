"""An optimize session: suggest the next row to measure, record its goal values.

``alearn label`` on an optimize task (``kind = "optimize"``, or a data file
whose header has ``+``/``-`` goal columns) asks for the goal values of one row
at a time, or runs ``--evaluate CMD`` to measure it. Rows are chosen as the
simulation chooses them (:func:`alearn.kinds.optimize.simulate.optimize`): the strategy's
start rows, then the strategy (:func:`alearn.kinds.optimize.simulate.make_acquirer`),
which sees the goal values of measured rows only (the goal columns of the data
file are never read), as distance to heaven normalised over the measured rows.

The session is a state machine over the same append-only store as
classification (:mod:`alearn.session.store`): a measurement is a ``label`` event whose
value is a JSON object of goal values, a failed evaluation is a ``skip`` event
whose value is the error. The state is rebuilt by replaying the journal into a
fresh acquirer, asking it for a row at every step as the live session did, so
undo and resume give exactly the suggestions the session would have made
without them (skipped rows are not eligible; with no skips, the rows equal the
simulation's for the same seed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alearn.data.dataset import Dataset, load_dataset
from alearn.errors import ConfigError, StoreError
from alearn.kinds.optimize.acquirers import ACQUIRERS as ACQUIRE
from alearn.kinds.optimize.acquirers import START, Acquirer, make_acquirer
from alearn.kinds.optimize.encode import encode
from alearn.kinds.optimize.evaluate import DEFAULT_TIMEOUT, evaluate_row
from alearn.kinds.optimize.goals import heaven, own_d2h
from alearn.kinds.optimize.rules import D2hRule, TreeInput, d2h_rules, tree_input
from alearn.session.labelexport import decode_goals, encode_goals
from alearn.session.measure_settings import (
    KIND,
    OptSettings,
    check_options,
    check_others,
    resume_settings,
)
from alearn.session.measure_views import Best, OptProgress, OptStep, OptView
from alearn.session.opening import default_annotator, opening_store
from alearn.session.settings import default_store, task_settings
from alearn.session.store import Event, Store, active_events
from alearn.session.views import row_fields
from alearn.tasks import load_task

# Stop --evaluate after this many failed evaluations in a row (a broken command).
MAX_FAILED_IN_A_ROW = 5
_STREAM = 5  # random stream replacing skipped start rows: default_rng([seed, 5, ...])
_UNSET = object()


@dataclass
class _State:
    acquirer: Acquirer
    start: list[int]
    labeled: list[int] = field(default_factory=list)
    values: list[list[float]] = field(default_factory=list)
    excluded: set[int] = field(default_factory=set)
    skipped: int = 0
    failed: int = 0
    active: list[Event] = field(default_factory=list)


class OptSession:
    """A measuring session over a dataset, journaled in a store.

    Use :func:`open_optimize_session` to build one from command-line options.
    """

    def __init__(self, data: Dataset, settings: OptSettings, store: Store,
                 hidden: set[str]) -> None:
        self.data = data
        self.settings = settings
        self.store = store
        self.goals = list(settings.goals)
        self.weights = heaven(settings.goals)
        self.hidden = set(hidden) | set(self.goals)
        self.ids = np.asarray(data.ids, dtype=object)
        self.X = encode(data)
        self._index = pd.Index(self.ids)
        self._positions: dict[str, int] = {}
        self._events: list[Event] = store.events()
        self._tree: TreeInput | None = None
        self.resumed = bool(self._events)
        self._replay()

    # -- state ---------------------------------------------------------------
    def _position(self, row_id: str) -> int:
        if row_id not in self._positions:
            found = int(self._index.get_indexer([row_id])[0])
            if found < 0:
                raise StoreError(f"{self.store.path}: the journal names row {row_id!r}, which "
                                 "is not in the data")
            self._positions[row_id] = found
        return self._positions[row_id]

    def _replay(self) -> None:
        acquirer = make_acquirer(self.settings.strategy, self.X, self.settings.seed)
        self._s = _State(acquirer=acquirer, start=list(acquirer.start(min(START, len(self.ids)))))
        self._next: object = _UNSET
        for event in active_events(self._events):
            self._suggest()  # advances the generator as when this row was suggested
            self._apply(event)

    def _apply(self, event: Event) -> None:
        s = self._s
        row = self._position(event.row_id)
        self._next = _UNSET
        if row in s.excluded or row in s.labeled:  # pragma: no cover - a hand-edited journal
            return
        s.active.append(event)
        if event.kind == "label":
            s.labeled.append(row)
            s.values.append(decode_goals(event.value, self.goals))
        elif event.value:
            s.excluded.add(row)
            s.failed += 1
        else:
            s.excluded.add(row)
            s.skipped += 1

    def _suggest(self) -> tuple[int, str] | None:
        """The next row and why (``start`` or ``acquire``); ``None`` when none is left."""
        s = self._s
        taken = np.zeros(len(self.ids), dtype=bool)
        taken[s.labeled] = True
        taken[list(s.excluded)] = True
        if taken.all():
            return None
        if len(s.labeled) < len(s.start):
            # The strategy starts once as many rows are measured as in the simulation;
            # start rows skipped are replaced by other random rows.
            for r in s.start:
                if not taken[r]:
                    return int(r), "start"
            free = np.flatnonzero(~taken)
            rng = np.random.default_rng([self.settings.seed, _STREAM, len(s.labeled),
                                         len(s.excluded)])
            return int(free[rng.integers(free.size)]), "start"
        y = own_d2h(np.asarray(s.values, dtype=float), self.weights)
        return int(s.acquirer.next(list(s.labeled), y, ~taken)), "acquire"

    def _current(self) -> tuple[int, str] | None:
        budget = self.settings.budget
        if budget is not None and len(self._s.labeled) >= budget:
            return None
        if self._next is _UNSET:
            self._next = self._suggest()
        return self._next  # type: ignore[return-value]

    # -- reading -------------------------------------------------------------
    @property
    def n_measured(self) -> int:
        """Rows measured in this store (undone ones excluded)."""
        return len(self._s.labeled)

    def measured(self) -> tuple[list[int], np.ndarray]:
        """The measured rows in order and their goal values (rows x goals)."""
        return list(self._s.labeled), np.asarray(self._s.values, dtype=float).reshape(
            -1, len(self.goals))

    def fields(self, row: int) -> list[tuple[str, object, bool]]:
        """A row's columns (goal, class and id columns left out), values, numeric flags."""
        return row_fields(self.data, row, self.hidden)

    def best(self) -> Best | None:
        """The measured row with the lowest distance to heaven (measured-only normalisation)."""
        rows, Y = self.measured()
        if not rows:
            return None
        d = own_d2h(Y, self.weights)
        k = int(np.argmin(d))
        return Best(row_id=str(self.ids[rows[k]]), values=dict(zip(self.goals,
                                                                    map(float, Y[k]), strict=True)),
                    d2h=float(d[k]), fields=self.fields(rows[k]))

    def rules(self) -> list[D2hRule]:
        """A depth-3 regression tree over the measured rows (target: d2h), as rules."""
        rows, Y = self.measured()
        if len(rows) < 2:
            return []
        if self._tree is None:
            self._tree = tree_input(self.data)
        return d2h_rules(self._tree, rows, own_d2h(Y, self.weights), self.settings.seed)

    def progress(self) -> OptProgress:
        """Counts for the progress line."""
        s = self._s
        left = len(self.ids) - len(s.labeled) - len(s.excluded)
        return OptProgress(measured=len(s.labeled), budget=self.settings.budget,
                           skipped=s.skipped, failed=s.failed, remaining=left,
                           total=len(self.ids))

    def current(self) -> OptView:
        """The row to measure now, why it was chosen, progress and the best row so far."""
        nxt = self._current()
        common = {"strategy": self.settings.strategy, "goals": dict(self.settings.goals),
                  "progress": self.progress(), "best": self.best()}
        if nxt is None:
            budget = self.settings.budget
            reason = (f"the budget of {budget} measured rows is reached"
                      if budget is not None and self.n_measured >= budget
                      else "every row is measured or skipped")
            return OptView(done=True, reason=reason, row_id=None, fields=[], why="", **common)
        row, why = nxt
        return OptView(done=False, reason="", row_id=str(self.ids[row]), fields=self.fields(row),
                       why=why, **common)

    def state(self) -> dict[str, object]:
        """Measured, skipped and next rows as plain data (for checks)."""
        s = self._s
        nxt = self._current()
        return {"measured": [str(self.ids[r]) for r in s.labeled],
                "values": [list(v) for v in s.values],
                "excluded": sorted(str(self.ids[r]) for r in s.excluded),
                "next": None if nxt is None else str(self.ids[nxt[0]])}

    # -- acting --------------------------------------------------------------
    def _record(self, kind: str, row_id: str, value: str | None) -> Event:
        event = self.store.append(kind, row_id, value, self.settings.annotator)
        self._events.append(event)
        return event

    def measure(self, values: Sequence[float]) -> OptStep:
        """Record the current row's goal values (in goal order; saved before returning)."""
        nxt = self._current()
        if nxt is None:
            return OptStep("none", message="nothing left to measure")
        numbers = [float(v) for v in values]
        if len(numbers) != len(self.goals) or not np.isfinite(numbers).all():
            return OptStep("none", message=f"expected {len(self.goals)} finite numbers "
                                           f"({', '.join(self.goals)}), got {list(values)}")
        row_id = str(self.ids[nxt[0]])
        measured = dict(zip(self.goals, numbers, strict=True))
        self._apply(self._record("label", row_id, encode_goals(measured)))
        best = self.best()
        n = self.n_measured
        rules = self.rules() if n in self.settings.budgets else None
        shown = " · ".join(f"{g} {format_goal(v)}" for g, v in measured.items())
        return OptStep("measure", row_id, values=measured,
                       new_best=best is not None and best.row_id == row_id, rules=rules,
                       message=f"row {row_id}: {shown}")

    def skip(self, error: str | None = None) -> OptStep:
        """Skip the current row (not suggested again; undo brings it back).

        Parameters
        ----------
        error : str, optional
            Why the row could not be measured (a failed evaluation); recorded.
        """
        nxt = self._current()
        if nxt is None:
            return OptStep("none", message="nothing left to skip")
        row_id = str(self.ids[nxt[0]])
        self._apply(self._record("skip", row_id, error or None))
        if error:
            return OptStep("fail", row_id, error=error,
                           message=f"row {row_id}: evaluation failed ({error}); skipped")
        return OptStep("skip", row_id, message=f"row {row_id}: skipped")

    def undo(self) -> OptStep:
        """Cancel the latest measurement or skip still in force (repeatable).

        The state is rebuilt by replaying the remaining journal, so the next
        suggestion is the one made before the cancelled action.
        """
        if not self._s.active:
            return OptStep("none", message="nothing to undo")
        target = self._s.active[-1]
        self._record("undo", target.row_id, target.kind)
        self._replay()
        what = {"label": "measurement", "skip": "skip"}[target.kind]
        if target.kind == "skip" and target.value:
            what = "failed evaluation"
        return OptStep("undo", target.row_id, message=f"undid {what} of row {target.row_id}")

    def evaluate_current(self) -> OptStep:
        """Measure the current row with the ``--evaluate`` command (a failure skips it)."""
        command = self.settings.evaluate
        if command is None:
            raise ConfigError("no --evaluate command was given")
        nxt = self._current()
        if nxt is None:
            return OptStep("none", message="nothing left to measure")
        row_id = str(self.ids[nxt[0]])
        fields = [(name, value) for name, value, _ in self.fields(nxt[0])]
        got = evaluate_row(command, fields, row_id, self.goals, self.settings.timeout)
        if got.values is None:
            return self.skip(error=got.error)
        step = self.measure(got.values)
        return OptStep(step.action, step.row_id, step.values, None, step.new_best, step.rules,
                       f"{step.message} ({got.seconds:.1f} s)")

    def close(self) -> None:
        """Close the store (every event is already saved)."""
        self.store.close()

    def __enter__(self) -> OptSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def format_goal(value: float) -> str:
    """A goal value for display: whole numbers without a point, else 6 significant digits."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"


def run_evaluations(session: OptSession, before: Callable[[OptView], None] | None = None,
                    after: Callable[[OptStep], None] | None = None) -> str:
    """Measure rows with the ``--evaluate`` command until the budget or a broken command.

    Parameters
    ----------
    session : OptSession
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
        if len(failed) >= MAX_FAILED_IN_A_ROW:
            return (f"stopped after {len(failed)} failed evaluations in a row (last: "
                    f"{failed[-1]}); fix the command and run again to resume")


def open_optimize_session(data: str | Path, *, strategy: str | None = None,
                          store: str | Path | None = None, budget: int | None = None,
                          annotator: str | None = None, evaluate: str | None = None,
                          timeout: float | None = None, seed: int | None = None,
                          others: dict[str, object] | None = None) -> OptSession:
    """Open (or resume) an optimize session from command-line options.

    Parameters
    ----------
    data : str or Path
        A task folder (``kind = "optimize"``) or a data file with goal columns.
    strategy : str, optional
        A key of :data:`alearn.kinds.optimize.simulate.ACQUIRE` (default: the task's first).
    store : path, optional
        The label store (default ``./<task name>.labels.db``).
    budget : int, optional
        Rows to measure in this store (with ``evaluate``, default: the task's
        largest budget).
    annotator : str, optional
    evaluate : str, optional
        Shell command that measures a row.
    timeout : float, optional
        Seconds per evaluation (default 60).
    seed : int, optional
    others : dict, optional
        Classification-only options (``{"--classes": value}``); any given is an error.

    Returns
    -------
    OptSession

    Raises
    ------
    ConfigError, DataError, StoreError, StoreBusyError
    """
    task = load_task(data)
    check_others(task, others or {})
    if task.kind != KIND:
        raise ConfigError(f"{task.source or task.name} is a {task.kind} task; an optimize "
                          "session needs goal columns (names ending in + or -) or a task "
                          'folder with kind = "optimize"')
    check_options(strategy, budget, timeout, evaluate)
    if budget is None and evaluate is not None:
        budget = task.budgets[-1]
    if annotator is None:
        annotator = default_annotator()
    path = Path(store) if store is not None else default_store(task)
    with opening_store(path) as opened:
        dataset = load_dataset(task, require_target=False)
        opened.check_data(dataset.fingerprint, dataset.source)
        default = next((s for s in task.strategies if s in ACQUIRE), next(iter(ACQUIRE)))
        fixed = {"kind": KIND, "strategy": strategy or default,
                 "seed": 0 if seed is None else seed,
                 "goals": [[g, d] for g, d in dataset.goals.items()]}
        if opened.meta is not None:
            fixed = resume_settings(opened, task, fixed, {"strategy": strategy, "seed": seed})
        else:
            source = dataset.source if task.data_path is None \
                else str(Path(dataset.source).resolve())
            opened.initialise(dataset.fingerprint, source,
                              {**fixed, "task": task_settings(task)})
        settings = OptSettings(strategy=str(fixed["strategy"]), seed=int(fixed["seed"]),
                               goals={str(g): str(d) for g, d in fixed["goals"]},  # type: ignore[attr-defined]
                               budget=budget,
                               annotator=annotator, budgets=tuple(task.budgets),
                               evaluate=evaluate, timeout=timeout or DEFAULT_TIMEOUT)
        hidden = {c for c in (dataset.target, task.id) if c}
        return OptSession(dataset, settings, opened, hidden)
