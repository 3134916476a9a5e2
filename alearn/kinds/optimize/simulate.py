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
from typing import Protocol

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.naive_bayes import GaussianNB

from alearn.data.dataset import Dataset, goal_values, load_dataset
from alearn.data.tasks import TaskSpec
from alearn.engine.features import MAX_CATEGORIES
from alearn.errors import ConfigError, DataError
from alearn.jsondata import json_records
from alearn.kinds.optimize.gpei import GPEI

BASELINE = "random"
REFERENCE = "all-rows"
# Rows scored per step by the best-vs-rest acquisition (as published).
CANDIDATES = 100
START = 4



@dataclass
class OptTask:
    """An optimize task ready to simulate: encoded features and goal values."""

    spec: TaskSpec
    X: np.ndarray
    Y: np.ndarray
    weights: np.ndarray
    goals: list[str]
    notices: list[str] = field(default_factory=list)


def encode(data: Dataset) -> np.ndarray:
    """Feature matrix for the surrogate and distances (features only, never goals).

    Numbers become evenly spaced levels in [0, 1] (the rank of each distinct
    value over the rows, divided by the number of levels minus one):
    configuration options often take log-spaced values that min-max scaling
    would squash together. Two-valued categories become one 0/1
    column, others one-hot scaled by 1/sqrt(2) so any change of category is a
    distance of 1. Missing numbers take the median; a missing category is a
    category of its own.
    """
    blocks = []
    if data.numeric:
        numbers = SimpleImputer(strategy="median", keep_empty_features=True).fit_transform(
            data.features[data.numeric])
        for j in range(numbers.shape[1]):
            levels, inverse = np.unique(numbers[:, j], return_inverse=True)
            numbers[:, j] = inverse / max(levels.size - 1, 1)
        blocks.append(numbers)
    for col in data.categorical:
        # pandas counts in C; a missing symbol is a level of its own, rare levels are pooled.
        values = data.features[col].astype(object).where(data.features[col].notna(), "(missing)")
        counts = values.value_counts(sort=True)
        if counts.size > MAX_CATEGORIES:
            values = values.where(values.isin(counts.index[: MAX_CATEGORIES - 1]), "(other)")
        block = pd.get_dummies(values).to_numpy(dtype=float)
        blocks.append(block[:, :1] if block.shape[1] == 2 else block * np.sqrt(0.5))
    return np.hstack(blocks)


def heaven(goals: dict[str, str]) -> np.ndarray:
    """The ideal normalised value of each goal: 1 to maximise, 0 to minimise."""
    return np.array([1.0 if d == "max" else 0.0 for d in goals.values()])


def d2h(Y: np.ndarray, weights: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Distance to heaven of each row of ``Y`` with goals normalised by ``lo``/``hi``.

    Parameters
    ----------
    Y : ndarray of shape (n, goals)
    weights : ndarray of shape (goals,)
        1 for goals to maximise, 0 for goals to minimise.
    lo, hi : ndarray of shape (goals,)
        Normalisation range per goal (a zero range normalises to 0).

    Returns
    -------
    ndarray of shape (n,)
        ``sqrt(mean((norm(y) - w)^2))``, in [0, 1].
    """
    span = np.where(hi > lo, hi - lo, 1.0)
    norm = np.clip((Y - lo) / span, 0.0, 1.0)
    return np.sqrt(np.nanmean((norm - weights) ** 2, axis=1))


def own_d2h(Y_labeled: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """d2h of labeled rows normalised over the labeled rows only (what a learner may know)."""
    return d2h(Y_labeled, weights, np.nanmin(Y_labeled, axis=0), np.nanmax(Y_labeled, axis=0))


def prepare(spec: TaskSpec, dataset: Dataset | None = None) -> OptTask:
    """Load and check an optimize task.

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
        notices.append(f"{spec.name}: {int((~keep).sum())} rows with a missing goal value "
                       "are left out")
    if keep.sum() < spec.budgets[-1]:
        raise DataError(f"{data.source}: {int(keep.sum())} rows, fewer than the largest "
                        f"budget {spec.budgets[-1]}")
    X = encode(data)[keep]
    return OptTask(spec=spec, X=X, Y=Y[keep], weights=heaven(data.goals),
                   goals=list(data.goals), notices=notices)


class Acquirer(Protocol):
    """Chooses which rows to measure. ``next`` must depend only on its arguments
    and the acquirer's seed, so a labeling session can replay it."""

    def start(self, k: int) -> list[int]:
        """The first ``k`` rows to measure, before any goal value is known."""
        ...

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray) -> int:
        """The next row, given measured rows, their labeled-only d2h and eligible rows."""
        ...


class RandomAcquirer:
    """Best-of-n random sampling (the baseline)."""

    def __init__(self, X: np.ndarray, seed: int) -> None:
        self.n, self.seed = X.shape[0], seed

    def start(self, k: int) -> list[int]:
        rng = np.random.default_rng([self.seed, 0])
        return [int(r) for r in rng.choice(self.n, size=min(k, self.n), replace=False)]

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray) -> int:
        rows = np.flatnonzero(eligible)
        return int(rows[np.random.default_rng([self.seed, len(labeled)]).integers(rows.size)])


class BestRest(RandomAcquirer):
    """The published acquisition: split measured rows into the best sqrt(n) and
    the rest by labeled-only d2h, fit naive Bayes best-vs-rest, and measure the
    most likely "best" of 100 random unmeasured candidates."""

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray) -> int:
        is_best = np.zeros(len(labeled), dtype=int)
        is_best[np.argsort(y, kind="stable")[: max(1, int(np.sqrt(len(labeled))))]] = 1
        rows = np.flatnonzero(eligible)
        rng = np.random.default_rng([self.seed, len(labeled)])
        pool = rng.choice(rows, size=min(CANDIDATES, rows.size), replace=False)
        model = GaussianNB().fit(self.X[labeled], is_best)
        p_best = model.predict_proba(self.X[pool])[:, list(model.classes_).index(1)]
        return int(pool[int(np.argmax(p_best))])

    def __init__(self, X: np.ndarray, seed: int) -> None:
        super().__init__(X, seed)
        self.X = X


class GPAcquirer(GPEI):
    """Gaussian-process expected improvement (the default; see
    :mod:`alearn.kinds.optimize.gpei`)."""

    def __init__(self, X: np.ndarray, seed: int) -> None:
        super().__init__(X, np.random.default_rng([seed, 0]), start=START)


ACQUIRE: dict[str, Callable[[np.ndarray, int], Acquirer]] = {
    "gpei": GPAcquirer, "bestrest": BestRest, "random": RandomAcquirer}


def make_acquirer(strategy: str, X: np.ndarray, seed: int) -> Acquirer:
    """The named acquirer over encoded rows ``X``, seeded."""
    if strategy not in ACQUIRE:
        raise ConfigError(f"strategy {strategy!r} is not known for optimize tasks; expected "
                          f"one of {', '.join(ACQUIRE)}")
    return ACQUIRE[strategy](X, seed)


def optimize(X: np.ndarray, measure: Callable[[int], np.ndarray], weights: np.ndarray,
             budget: int, seed: int, strategy: str = "gpei",
             on_label: Callable[[list[int], np.ndarray], None] | None = None) -> list[int]:
    """Run the loop: start rows, then the strategy, until ``budget`` rows are measured.

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
        A key of :data:`ACQUIRE`.
    on_label : callable, optional
        Called as ``on_label(labeled_rows, their_goal_values)`` after each measurement.

    Returns
    -------
    list of int
        Rows in the order they were measured.
    """
    acquirer = make_acquirer(strategy, X, seed)
    budget = min(budget, X.shape[0])
    start = acquirer.start(min(START, budget))
    labeled: list[int] = []
    values: list[np.ndarray] = []
    eligible = np.ones(X.shape[0], dtype=bool)
    while len(labeled) < budget:
        if len(labeled) < len(start):
            row = start[len(labeled)]
        else:
            row = acquirer.next(labeled, own_d2h(np.asarray(values), weights), eligible)
        labeled.append(row)
        eligible[row] = False
        values.append(np.asarray(measure(row), dtype=float))
        if on_label is not None:
            on_label(labeled, np.asarray(values))
    return labeled


def best_labeled(labeled: list[int], Y_labeled: np.ndarray, weights: np.ndarray) -> int:
    """The labeled row the learner reports as best (by its labeled-only d2h)."""
    return labeled[int(np.argmin(own_d2h(Y_labeled, weights)))]


def simulate_seed(task: OptTask, seed: int) -> list[tuple]:
    """One repeat of every strategy and the random baseline on one task.

    Returns tidy rows: the true d2h of each learner's reported best row after
    every label (metric ``d2h``), plus the file's mean and minimum d2h (strategy
    ``all-rows``, metrics ``d2h_mean`` and ``d2h_min``).
    """
    spec = task.spec
    lo, hi = task.Y.min(axis=0), task.Y.max(axis=0)
    true = d2h(task.Y, task.weights, lo, hi)
    n = task.X.shape[0]
    rows: list[tuple] = [(spec.name, REFERENCE, seed, n, "d2h_mean", float(true.mean())),
                         (spec.name, REFERENCE, seed, n, "d2h_min", float(true.min()))]
    for strategy in dict.fromkeys([*spec.strategies, BASELINE]):

        def record(labeled: list[int], values: np.ndarray, strategy: str = strategy) -> None:
            best = best_labeled(labeled, values, task.weights)
            rows.append((spec.name, strategy, seed, len(labeled), "d2h", float(true[best])))

        optimize(task.X, lambda r: task.Y[r], task.weights, spec.budgets[-1], seed,
                 strategy=strategy, on_label=record)
    return rows


@dataclass
class OptSummary:
    """% optimal per task, strategy and budget, and over tasks.

    Attributes
    ----------
    budgets : list of int
    per_task : DataFrame
        ``task, strategy, budget, most, pct, wins, ties, losses``: ``most`` is the
        mean over repeats of the best labeled row's d2h; ``pct`` = 100 · (mean d2h
        − most) / (mean d2h − min d2h); W/T/L paired over repeats against random.
    overall : DataFrame
        ``strategy, budget, tasks, pct_mean`` (mean of per-task %), ``pct_ratio``
        (100 · Σ(mean − most) / Σ(mean − min)) and summed W/T/L.
    """

    budgets: list[int]
    per_task: pd.DataFrame
    overall: pd.DataFrame

    def to_dict(self) -> dict:
        """Plain nested data for the JSON summary."""
        return {"budgets": self.budgets, "per_task": json_records(self.per_task),
                "overall": json_records(self.overall)}


def summarize_optimize(results: pd.DataFrame, budgets: list[int]) -> OptSummary | None:
    """Summarise the optimize tasks in tidy results (``None`` when there are none)."""
    ref = results[results["strategy"] == REFERENCE]
    if ref.empty:
        return None
    mu = ref[ref["metric"] == "d2h_mean"].groupby("task")["value"].first()
    lo = ref[ref["metric"] == "d2h_min"].groupby("task")["value"].first()
    runs = results[(results["metric"] == "d2h") & results["budget"].isin(budgets)]
    wide = runs.pivot_table(index=["task", "budget", "seed"], columns="strategy",
                            values="value", aggfunc="first")
    rows = []
    for (task, budget), block in wide.groupby(level=["task", "budget"]):
        for strategy in block.columns:
            most = block[strategy].mean()
            d = block[BASELINE].to_numpy() - block[strategy].to_numpy()  # > 0: closer to heaven
            rows.append({"task": task, "strategy": strategy, "budget": int(budget),
                         "most": most, "pct": 100.0 * (mu[task] - most) / (mu[task] - lo[task]),
                         "wins": int((d > 1e-12).sum()), "ties": int((abs(d) <= 1e-12).sum()),
                         "losses": int((d < -1e-12).sum())})
    per_task = pd.DataFrame(rows)
    per_task["gap"] = per_task["task"].map(mu - lo)
    per_task["gained"] = per_task["task"].map(mu) - per_task["most"]
    overall = per_task.groupby(["strategy", "budget"]).agg(
        tasks=("task", "nunique"), pct_mean=("pct", "mean"), gained=("gained", "sum"),
        gap=("gap", "sum"), wins=("wins", "sum"), ties=("ties", "sum"),
        losses=("losses", "sum")).reset_index()
    overall["pct_ratio"] = 100.0 * overall["gained"] / overall["gap"]
    overall = overall.drop(columns=["gained", "gap"])
    per_task = per_task.drop(columns=["gap", "gained"])
    rank = {s: (s == BASELINE) for s in overall["strategy"]}
    overall = overall.sort_values(["strategy", "budget"], key=lambda c: c.map(rank)
                                  if c.name == "strategy" else c, kind="stable")
    return OptSummary(budgets=list(budgets), per_task=per_task.reset_index(drop=True),
                      overall=overall.reset_index(drop=True))
