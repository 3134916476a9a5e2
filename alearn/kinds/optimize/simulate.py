"""Optimize tasks: find near-best rows by measuring (labeling) as few as possible.

"Labeling" a row means measuring its goal values. The learner sees goal values
only for rows it has labeled and normalises them from labeled rows only. The
simulation scores it as the "Case for Compact AI" letter does: distance to
heaven (d2h) of the best labeled row, with goals normalised over the whole file
(scoring only), as % of the way from the mean row to the best row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from alearn.counting import counted
from alearn.data.dataset import Dataset, goal_values, load_dataset
from alearn.errors import DataError
from alearn.kinds.base import BASELINE
from alearn.kinds.optimize.acquirers import START, make_acquirer
from alearn.kinds.optimize.encode import encode
from alearn.kinds.optimize.fronts import SEED, file_rows, run_rows
from alearn.kinds.optimize.goals import best_labeled, d2h, heaven, own_d2h
from alearn.kinds.optimize.pareto import hypervolume

if TYPE_CHECKING:
    from pathlib import Path

    from alearn.spec import TaskSpec

REFERENCE = "all-rows"


@dataclass
class OptTask:
    """An optimize task ready to simulate: encoded features and goal values."""

    spec: TaskSpec
    X: np.ndarray
    Y: np.ndarray
    weights: np.ndarray
    goals: list[str]
    notices: list[str] = field(default_factory=list)
    positions: np.ndarray | None = None  # each row's position among the data file's rows


def prepare(spec: TaskSpec, dataset: Dataset | None = None,
            cache: Path | None = None) -> OptTask:
    """Load and check an optimize task (``cache`` is unused: no text features).

    Raises
    ------
    DataError
        No goal columns, a non-numeric or constant goal, or fewer rows than the budget.
    """
    data = dataset if dataset is not None else load_dataset(spec)
    Y = goal_values(data)
    keep = ~np.isnan(Y).any(axis=1)
    notices = data.notices()
    if not keep.all():
        missing = int((~keep).sum())
        notices.append(f"{spec.name}: {counted(missing, 'row')} with a missing goal value "
                       f"{'is' if missing == 1 else 'are'} left out")
    if keep.sum() < spec.budgets[-1]:
        raise DataError(f"{data.source}: {counted(int(keep.sum()), 'row')}, fewer than the largest "
                        f"budget {spec.budgets[-1]}")
    if spec.parallel > keep.sum():
        raise DataError(f"{spec.where}: parallel = {spec.parallel} is more than the "
                        f"{counted(int(keep.sum()), 'row')} of {data.source}")
    X = encode(data)[keep]
    return OptTask(spec=spec, X=X, Y=Y[keep], weights=heaven(data.goals),
                   goals=list(data.goals), notices=notices, positions=np.flatnonzero(keep))


def optimize(X: np.ndarray, measure: Callable[[int], np.ndarray], weights: np.ndarray,
             budget: int, seed: int, strategy: str = "gpei",
             on_label: Callable[[list[int], np.ndarray], None] | None = None,
             parallel: int = 1) -> list[int]:
    """Run the loop: start rows, then the strategy, until ``budget`` rows are measured.

    With ``parallel`` = k > 1, k rows are being measured at any time: the
    oldest finishes first, and its slot is refilled at once with a row chosen
    knowing the other k - 1 are under way (see :meth:`Acquirer.next`'s
    ``pending``). Until :data:`START` rows are measured, slots are filled with
    more start rows (k - 1 more than sequentially).

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Encoded features of every candidate row.
    measure : callable
        ``measure(row)`` returns that row's goal values (the only way goals are read).
    weights : ndarray
        Heaven per goal (see :func:`heaven`).
    budget : int
        Rows to measure, the start included.
    seed : int
    strategy : str
        A name in :data:`alearn.kinds.optimize.acquirers.ACQUIRERS`.
    on_label : callable, optional
        Called as ``on_label(labeled_rows, their_goal_values)`` after each measurement.
    parallel : int
        Rows measured at once (1: one at a time).

    Returns
    -------
    list of int
        Rows in the order they were measured.
    """
    acquirer = make_acquirer(strategy, X, seed)
    budget = min(budget, X.shape[0])
    start = acquirer.start(min(START + parallel - 1, budget))
    labeled: list[int] = []
    pending: list[int] = []
    values: list[np.ndarray] = []
    eligible = np.ones(X.shape[0], dtype=bool)
    while len(labeled) < budget:
        while len(pending) < parallel and len(labeled) + len(pending) < budget:
            chosen = len(labeled) + len(pending)
            if len(labeled) < START and chosen < len(start):
                row = start[chosen]
            else:
                y = own_d2h(np.asarray(values), weights)
                row = acquirer.next(labeled, y, eligible, pending) if pending else \
                    acquirer.next(labeled, y, eligible)
            pending.append(row)
            eligible[row] = False
        row = pending.pop(0)
        labeled.append(row)
        values.append(np.asarray(measure(row), dtype=float))
        if on_label is not None:
            on_label(labeled, np.asarray(values))
    return labeled


def simulate_seed(task: OptTask, seed: int) -> list[tuple]:
    """One repeat of every strategy and the random baseline on one task.

    Returns tidy rows: the true d2h of each learner's reported best row after
    every label (metric ``d2h``), plus the file's mean and minimum d2h (strategy
    ``all-rows``, metrics ``d2h_mean`` and ``d2h_min``). With two or more goals,
    also the hypervolume of the measured rows' front at each budget (metric ``hv``)
    and of the whole file (``all-rows``, ``hv_all``), goals normalised over the file;
    and at seed 0 the rows the first strategy measured and the file's front
    (:mod:`.fronts`).
    """
    spec = task.spec
    lo, hi = task.Y.min(axis=0), task.Y.max(axis=0)
    true = d2h(task.Y, task.weights, lo, hi)
    n = task.X.shape[0]
    rows: list[tuple] = [(spec.name, REFERENCE, seed, n, "d2h_mean", float(true.mean())),
                         (spec.name, REFERENCE, seed, n, "d2h_min", float(true.min()))]
    # With two or more goals, the hypervolume of the measured rows' front at each budget,
    # goals normalised over the whole file (scoring only, as d2h), and the file's own.
    trades = len(task.goals) >= 2
    if trades:
        rows.append((spec.name, REFERENCE, seed, n, "hv_all",
                     hypervolume(task.Y, task.weights, lo, hi)))
    # One representative run's measured rows (seed 0, the first strategy): the scatter
    # of --plot and the front in summary.json.
    keep_run = trades and seed == SEED
    at = task.positions if task.positions is not None else np.arange(n)
    if keep_run:
        rows += file_rows(spec.name, task.Y, task.weights, task.goals, at)
    for strategy in dict.fromkeys([*spec.strategies, BASELINE]):

        def record(labeled: list[int], values: np.ndarray, strategy: str = strategy) -> None:
            best = best_labeled(labeled, values, task.weights)
            rows.append((spec.name, strategy, seed, len(labeled), "d2h", float(true[best])))
            if trades and len(labeled) in spec.budgets:
                rows.append((spec.name, strategy, seed, len(labeled), "hv",
                             hypervolume(values, task.weights, lo, hi)))
            if keep_run and strategy == spec.strategies[0] and \
                    len(labeled) == min(spec.budgets[-1], n):
                rows.extend(run_rows(spec.name, strategy, labeled, task.Y, task.goals, at))

        optimize(task.X, lambda r: task.Y[r], task.weights, spec.budgets[-1], seed,
                 strategy=strategy, on_label=record, parallel=spec.parallel)
    return rows
