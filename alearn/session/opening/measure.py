"""Opening (or resuming) an optimize session: the goals, the store, the strategy.

``SESSION_TYPES`` opens :func:`open_measure_session` for the optimize kind;
:func:`open_optimize_session` loads a task first (scripts and tests).
"""

from __future__ import annotations

from pathlib import Path

from alearn.data.dataset import Dataset, load_dataset
from alearn.errors import ConfigError
from alearn.journal.store import MEASURED, Store
from alearn.kinds.base import GOALS
from alearn.kinds.optimize.evaluate import DEFAULT_TIMEOUT
from alearn.session.measure import MeasureSession
from alearn.session.opening.measure_settings import check_command, resume_settings
from alearn.session.opening.steps import check_values, default_annotator
from alearn.session.opening.template import Opening, SessionType
from alearn.session.options import LabelOptions
from alearn.session.settings import MeasureSettings
from alearn.spec import TaskSpec
from alearn.tasks import load_task


class MeasureOpening(Opening[MeasureSession]):
    """Opening an optimize session; see :func:`open_measure_session`."""

    session_type = MeasureSession
    # No id is detected: the features, and so the suggestions, stay the simulation's.
    detect_id = False

    def check(self) -> None:
        """Goal columns needed; the strategy, the command and its budget checked."""
        task, options = self.task, self.options
        if not task.measures_goals:
            raise ConfigError(f"{task.source or task.name} is a {task.kind} task; an optimize "
                              "session needs goal columns (names ending in + or -) or a task "
                              'folder with kind = "optimize"')
        check_values(task.kind, options, ("strategy",))
        check_command(options.evaluate, options.timeout)
        self.budget = options.budget
        if self.budget is None and options.evaluate is not None:
            self.budget = task.budgets[-1]

    def load(self, store: Store) -> Dataset:
        """The data with its goal columns (``--parallel`` at most its rows)."""
        data = load_dataset(self.task, require_target=False)
        parallel = self.options.parallel
        if parallel is not None and parallel > len(data.ids):
            raise ConfigError(f"--parallel {parallel} is more than the {len(data.ids)} rows of "
                              f"{data.source}; give at most {len(data.ids)}")
        return data

    def kept_settings(self, store: Store, data: Dataset) -> dict[str, object]:
        """Strategy, seed and the data's goals (checked against a resumed store's)."""
        task, options = self.task, self.options
        # The task's strategies are checked against the kind's registry: the first is the default.
        fixed: dict[str, object] = {"kind": MEASURED,
                                    "strategy": options.strategy or task.strategies[0],
                                    "seed": 0,
                                    "goals": [[g, d] for g, d in data.goals.items()]}
        if store.meta is not None:
            given = {} if options.strategy is None else {"strategy": options.strategy}
            fixed = resume_settings(store, task, fixed, given)
        self.kept = fixed
        return fixed

    def build(self, store: Store, data: Dataset, hidden: tuple[str, ...]) -> MeasureSession:
        """The settings (kept ones and this run's) and the session."""
        fixed, options = self.kept, self.options
        settings = MeasureSettings(
            strategy=str(fixed["strategy"]), seed=int(fixed["seed"]),  # type: ignore[call-overload]
            goals={str(g): str(d) for g, d in fixed["goals"]},  # type: ignore[attr-defined]
            budget=self.budget, annotator=options.annotator or default_annotator(),
            budgets=tuple(self.task.budgets), evaluate=options.evaluate,
            timeout=options.timeout or DEFAULT_TIMEOUT, parallel=options.parallel or 1)
        return MeasureSession(data, settings, store,
                              {c for c in (data.target, self.task.id, *hidden) if c})


def open_measure_session(task: TaskSpec, options: LabelOptions) -> MeasureSession:
    """Open (or resume) a measure session (optimize task).

    Parameters
    ----------
    task : TaskSpec
        An optimize task (``kind = "optimize"``, or a data file with goal columns).
    options : LabelOptions
        What the user gave ``alearn label``: ``strategy`` (a key of
        :data:`alearn.kinds.optimize.acquirers.ACQUIRERS`, default the task's first),
        ``store``, ``budget`` (with ``evaluate``, default the task's largest
        budget), ``annotator``, ``evaluate`` (a shell command that measures a
        row), ``timeout`` (seconds per evaluation, default 60), ``parallel``
        (rows under way at once: k commands with ``evaluate``, else a table of k
        rows whose results a person enters in any order), ``id`` (the id column)
        and ``hide`` (columns not shown, nor given to ``evaluate``). Any other one
        given is refused.

    Returns
    -------
    MeasureSession
        Open; close it (or use it as a context manager) to release the store.

    Raises
    ------
    ConfigError, DataError, StoreError, StoreBusyError
    """
    return MeasureOpening(task, options).open()


def open_optimize_session(data: str | Path, **options: object) -> MeasureSession:
    """Load the task at ``data`` and open its measure session (:func:`open_measure_session`).

    Parameters
    ----------
    data : str or Path
        A task folder (``kind = "optimize"``) or a data file with goal columns.
    **options
        :class:`~alearn.session.options.LabelOptions` fields.

    Returns
    -------
    MeasureSession
    """
    return open_measure_session(load_task(data), LabelOptions(**options))  # type: ignore[arg-type]


SESSION_TYPE = SessionType("goals", "the measured goal values of a row", (GOALS,),
                           open_measure_session)
