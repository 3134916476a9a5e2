"""The written protocol every task kind implements, and the plain data it hands out.

A kind (classify, screen, optimize) is one object registered in
:data:`alearn.kinds.KINDS`. The runner, the commands, the outputs, the plot and
the renderers call these members and never branch on a kind's name. Tables and
plot panels cross into the rendering layer as plain data (:class:`TableData`,
:class:`Panel`), so the kinds import neither rich nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from alearn.registry import Registry
    from alearn.spec import TaskSpec

# Every kind runs random sampling on the same seeds as the baseline.
BASELINE = "random"

# How a person answers a row of a kind's labeling session (Kind.answer): the
# labeling layer keeps the session type that opens for each.
CLASSES = "classes"  # one class per row
RARE_CLASS = "rare class"  # whether a row belongs to a rare class (screening)
GOALS = "goals"  # the measured values of the goal columns
ANSWERS = (CLASSES, RARE_CLASS, GOALS)

# Each task's budgets by task name, from the run's tasks (or a finished run's
# summary.json): a kind reports at its own tasks' budgets, never another kind's.
TaskBudgets = Mapping[str, Sequence[int]]

# Feature keys every kind that fits a model on rows reads (text is TF-IDF unless
# text_features asks for sentence embeddings), with their defaults.
TEXT_KEYS: dict[str, Any] = {"text": (), "text_weights": (), "ngrams": 2,
                             "stop_words": "english", "lsa": 0, "text_features": "tfidf"}


@dataclass
class Column:
    """A table column: its header, alignment and whether it may wrap."""

    name: str
    justify: str = "right"
    no_wrap: bool = True


@dataclass
class TableData:
    """A table to show, as plain data (the render layer draws it).

    ``rows`` hold the cells as text; ``sections`` the indices of rows after
    which a rule is drawn.
    """

    title: str
    columns: list[Column]
    rows: list[list[str]]
    caption: str = ""
    sections: set[int] = field(default_factory=set)


@dataclass
class Line:
    """One curve of a plot panel: the mean over seeds and, where there are several
    seeds, the band of their spread (``low``/``high``, empty for none)."""

    label: str
    x: list[float]
    y: list[float]
    dashed: bool = False
    low: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)


@dataclass
class Points:
    """Points of a scatter panel, drawn alike in every panel (``style``: ``"measured"``,
    ``"front"``, ``"reference"`` or ``"choice"``)."""

    label: str
    x: list[float]
    y: list[float]
    style: str


@dataclass
class Panel:
    """One plot panel as plain data.

    Attributes
    ----------
    title : str
        The task and its seeds.
    xlabel, ylabel : str
        ``ylabel`` names the measure: panels with the same ``ylabel`` share a y-axis.
    lines : list of Line
    task : str or None
        The task it shows (``None``: a summary over several tasks).
    kind : str
        The kind that drew it; each kind's panels start a row of the figure.
    hline : float or None
        A reference level (the ceiling, the optimum, the recall target).
    floor : float or None
        The level any model must beat (classify: always answering the most
        frequent class), drawn dashed with its name.
    marks : list of float
        The budgets, marked on the x-axis.
    legend : bool
        Draw the legend here (the first panel of each kind).
    stop : float or None
        Where a screen's stopping advice said stop, drawn as a vertical line.
    points : list of Points
        A scatter (an optimize task's trade-offs): its axes are the panel's own,
        never shared with another panel's.
    """

    title: str
    xlabel: str
    ylabel: str
    lines: list[Line]
    task: str | None = None
    kind: str = ""
    hline: float | None = None
    floor: float | None = None
    marks: list[float] = field(default_factory=list)
    legend: bool = True
    stop: float | None = None
    points: list[Points] = field(default_factory=list)


def own_budgets(budgets: TaskBudgets | None, tasks: Iterable[str]) -> list[int] | None:
    """The budgets a kind reports: every budget of its own ``tasks``, in order
    (``None`` when the run did not record them, as for a bare ``results.csv``)."""
    if budgets is None:
        return None
    found = sorted({int(b) for task in tasks for b in budgets.get(str(task), ())})
    return found or None


class KindSummary(Protocol):
    """What a kind's summary of tidy results offers the outputs and the renderers."""

    def to_dict(self) -> dict:
        """Plain nested data for ``summary.json``."""
        ...


class Kind(Protocol):
    """A task kind: its task keys, registries, simulation, summary, labeling and export.

    Attributes
    ----------
    name : str
        The ``kind = "..."`` value.
    help : str
        One line for docs and ``--help``.
    task_keys : mapping
        The task keys this kind reads beyond the ones every kind reads
        (:data:`alearn.tasks.COMMON_KEYS`), each with its default for
        this kind. Any other key in a task file of this kind is an error.
    strategies : Registry
        The query strategies this kind accepts.
    default_strategies : tuple of str
        Compared when a task names none; the first is the default.
    models, starts : Registry or None
        The models and start methods it accepts (``None``: the key is not read).
    summary_key : str
        The key of ``summary.json`` holding this kind's summary.
    answer : str
        How a person answers a row of its labeling session: :data:`CLASSES`,
        :data:`RARE_CLASS` or :data:`GOALS` (goal columns ending in ``+``/``-``,
        measured rather than labeled).
    exportable : bool
        ``alearn export`` can fit this kind's model (a classifier).
    """

    name: str
    help: str
    task_keys: Mapping[str, Any]
    strategies: Registry
    default_strategies: tuple[str, ...]
    models: Registry | None
    starts: Registry | None
    summary_key: str
    answer: str
    exportable: bool

    def check(self, spec: TaskSpec, where: str) -> None:
        """Refuse settings that are wrong for this kind (raise ConfigError)."""
        ...

    def prepare(self, spec: TaskSpec, cache: Path | None = None) -> Any:
        """Load and check a task for simulation (raise DataError); plain data with
        ``spec`` and ``notices``. ``cache``: a folder for what is worth keeping
        between runs of the same data (text embeddings), ``None`` for nowhere."""
        ...

    def simulate_seed(self, prepared: Any, seed: int) -> list[tuple]:
        """One seed of every strategy and the baseline: tidy result rows."""
        ...

    def summary_document(self, results: pd.DataFrame, budgets: TaskBudgets) -> Any:
        """This kind's part of ``summary.json`` (``None`` or empty without its tasks),
        at its own tasks' budgets (:func:`own_budgets`)."""
        ...

    def tables(self, results: pd.DataFrame, budgets: TaskBudgets | None, metric: str,
               per_task: bool) -> list[TableData]:
        """The tables ``alearn run`` and ``alearn report`` show for this kind's tasks,
        at their own budgets (``budgets`` ``None``: the budgets found in ``results``)."""
        ...

    def panels(self, results: pd.DataFrame, budgets: TaskBudgets | None,
               metric: str) -> list[Panel]:
        """A plot panel for each of this kind's tasks (and any summary panel),
        with its budgets marked; empty without its tasks."""
        ...
