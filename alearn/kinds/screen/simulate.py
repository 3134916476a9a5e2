"""Screen tasks: find the few members of a rare class while labeling as few rows as possible.

A screen reads rows one after another (a systematic review reads paper
abstracts); the learner orders the unscreened rows so the relevant ones come
first. The simulation plays the human with the known labels: it screens until
every relevant row is found, and records recall after each budget, the labels
needed for 95 % and 100 % recall, work saved over sampling at 95 % recall, and
when the stopping advice (:mod:`alearn.kinds.screen.stopping`) would have said stop. Random
screening order runs on the same seeds and the same start as the baseline.

WSS@95 = (N - n95) / N - 0.05, where N is the number of rows and n95 the rows
screened when 95 % of the relevant rows are found, the start rows (priors)
included.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits

from alearn.data.dataset import Dataset, load_dataset
from alearn.engine.features import fitted_matrix, preprocessor_for, term_counts, text_options
from alearn.engine.learner import Learner
from alearn.engine.query import Query, query_matrix
from alearn.engine.start import choose_start
from alearn.engine.strategies import STRATEGIES
from alearn.errors import DataError
from alearn.kinds.base import BASELINE
from alearn.kinds.screen.stopping import first_stop
from alearn.seeds import Stream, stream

if TYPE_CHECKING:
    from pathlib import Path

    from alearn.spec import TaskSpec

RECALL_LEVEL = 0.95
# Metrics recorded once per seed and strategy (budget column = number of rows):
# n_target is the labels needed for the task's recall_target, stop_ratio the
# labels the stopping advice spent over that.
PER_RUN = ("n95", "n100", "wss95", "stop_at", "stop_recall", "n_target", "stop_ratio")


@dataclass
class ScreenTask:
    """A screen task ready to simulate.

    Attributes
    ----------
    spec : TaskSpec
    X : sparse matrix
        Features of every row, fitted on the features only (no labels).
    labels : ndarray of str
        Every row's label.
    relevant : ndarray of bool
        Rows whose label is the task's ``positive`` value.
    text : bool
        Whether ``X`` holds text terms.
    priors : ndarray of int
        The task's fixed start rows (``priors`` key), empty for random priors per seed.
    query : Query, optional
        The task's ``query`` as a row of ``X`` (:mod:`alearn.engine.query`).
    """

    spec: TaskSpec
    X: object
    labels: np.ndarray
    relevant: np.ndarray
    text: bool
    notices: list[str] = field(default_factory=list)
    priors: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    query: Query | None = None


def check_positive(data: Dataset, positive: str, labels: np.ndarray) -> np.ndarray:
    """Mask of rows labeled ``positive``.

    Raises
    ------
    DataError
        No row (or every row) carries the positive value.
    """
    relevant = labels == positive
    values = ", ".join(sorted(set(labels))[:8])
    if not relevant.any():
        raise DataError(f"{data.source}: positive = {positive!r} never occurs in target "
                        f"{data.target!r} (values: {values}); set positive to the rare class")
    if relevant.all():
        raise DataError(f"{data.source}: every row of target {data.target!r} is "
                        f"{positive!r}; a screen needs some rows that are not")
    if relevant.sum() < 2:
        raise DataError(f"{data.source}: only one row of target {data.target!r} is "
                        f"{positive!r}; a screen simulation needs at least 2 (one to start "
                        "from, one to find)")
    return relevant


def resolve_priors(data: Dataset, spec: TaskSpec, keep: np.ndarray) -> np.ndarray:
    """Positions (among the labeled rows) of the task's ``priors``.

    Priors name ids of the task's ``id`` column, or 0-based row numbers of the
    file when the task has no ``id``.

    Raises
    ------
    DataError
        A prior names no labeled row.
    """
    if not spec.priors:
        return np.zeros(0, dtype=int)
    labeled = np.flatnonzero(keep)
    if spec.id:
        names = np.asarray(data.ids, dtype=str)[labeled]
        where = f"id column {spec.id!r}"
    else:
        names = labeled.astype(str)
        where = "0-based row numbers (the task has no id column)"
    position = {name: i for i, name in enumerate(names)}
    missing = [p for p in spec.priors if p not in position]
    if missing:
        shown = ", ".join(repr(p) for p in missing[:5])
        raise DataError(f"{data.source}: priors name rows not in the labeled data: {shown} "
                        f"(priors are {where})")
    return np.array([position[p] for p in dict.fromkeys(spec.priors)], dtype=int)


def prepare(spec: TaskSpec, dataset: Dataset | None = None,
            cache: Path | None = None) -> ScreenTask:
    """Load and check a screen task; build its features once (they use no labels).

    Raises
    ------
    DataError
        The positive class has no members, or there are fewer rows than the largest budget.
    """
    data = dataset if dataset is not None else load_dataset(spec)
    keep, labels, notices = data.labeled_part()
    relevant = check_positive(data, str(spec.positive), labels)
    priors = resolve_priors(data, spec, keep)
    if labels.size < spec.budgets[-1]:
        raise DataError(f"{data.source}: {labels.size} labeled rows, fewer than the largest "
                        f"budget {spec.budgets[-1]}")
    pre = preprocessor_for(data, spec.model, text_options(spec, data, cache),
                           n_rows=int(labels.size), counts_as_words=True)
    with threadpool_limits(1):
        X = fitted_matrix(pre, data.features[keep])
        query = query_matrix(spec.query, data, pre, term_counts(data)) \
            if spec.query is not None else None
    return ScreenTask(spec=spec, X=X, labels=labels, relevant=relevant,
                      text=bool(data.text_feature), notices=notices, priors=priors,
                      query=query)


def start_rows(task: ScreenTask, seed: int) -> np.ndarray:
    """The seed's start rows: with ``start = "priors"`` the task's ``priors`` when it
    names them, else none with a ``query`` (the query ranks the first rows), else
    one random relevant and one random irrelevant row (the field's convention);
    other start methods choose their own rows."""
    spec = task.spec
    rng = stream(seed, Stream.PRIORS)
    if spec.start == "priors" and task.priors.size:
        return task.priors
    if spec.start == "priors" and task.query is not None:
        return np.zeros(0, dtype=int)
    if spec.start == "priors":
        return np.array([rng.choice(np.flatnonzero(task.relevant)),
                         rng.choice(np.flatnonzero(~task.relevant))], dtype=int)
    return choose_start(spec.start, task.X, spec.start_size, rng)


def screen_order(task: ScreenTask, strategy: str, seed: int,
                 on_fit: Callable[[], None] | None = None) -> tuple[np.ndarray, Learner | None]:
    """Screen until every relevant row is found; the rows in screening order.

    The learner is told the start rows' labels first, then labels the rows it
    suggests (the oracle reveals only those). ``random`` screens the rest in a
    seeded random order without fitting anything.

    Parameters
    ----------
    task : ScreenTask
    strategy : str
    seed : int
    on_fit : callable, optional
        Called after every retrain (for timing).

    Returns
    -------
    order : ndarray of int
    learner : Learner or None
        ``None`` for ``random``.
    """
    spec = task.spec
    start = start_rows(task, seed)
    n = task.labels.size
    total = int(task.relevant.sum())
    if strategy == BASELINE:
        rest = np.setdiff1d(np.arange(n), start)
        rest = rest[stream(seed, Stream.PRIORS, 1).permutation(rest.size)]
        order = np.concatenate([start, rest])
        last = int(np.flatnonzero(task.relevant[order])[-1]) + 1
        return order[:last], None
    learner = Learner(task.X, model=spec.model, strategy=strategy, start="random",
                      start_size=0, batch=spec.batch, seed=seed, text=task.text,
                      positive=str(spec.positive), batch_growth=spec.batch_growth,
                      query=task.query)
    found = 0
    for row in start:
        found += int(task.relevant[row])
        if learner.teach([row], [task.labels[row]]) and on_fit is not None:
            on_fit()
    while found < total and learner.n_labeled < n:
        for row in learner.suggest(learner.batch_now):
            found += int(task.relevant[row])
            if learner.teach([row], [task.labels[row]]) and on_fit is not None:
                on_fit()
            if found == total:
                break
    return np.asarray(learner.order, dtype=int), learner


def order_metrics(hits: np.ndarray, n: int, budgets: tuple[int, ...],
                  target: float = RECALL_LEVEL, stopping: bool = True) -> dict[str, object]:
    """Recall after each budget, n95, n100, WSS@95 and the stopping point of one order.

    Parameters
    ----------
    hits : ndarray of bool
        Relevance of the screened rows in order, up to the last relevant one.
    n : int
        Rows in the pile.
    budgets : tuple of int
    target : float
        The recall the stopping advice aims for.
    stopping : bool
        Whether the advice holds for the order's strategy
        (:attr:`~alearn.engine.strategies.base.PoolStrategy.stopping`); if not,
        there is none, and the stopping metrics are NaN.
    """
    total = int(hits.sum())
    cum = np.cumsum(hits)
    n95 = int(np.argmax(cum >= math.ceil(RECALL_LEVEL * total - 1e-9))) + 1
    n_target = int(np.argmax(cum >= math.ceil(target * total - 1e-9))) + 1
    stop = first_stop(hits, n, target) if stopping else math.nan
    return {
        "recall": {b: float(cum[min(b, cum.size) - 1] / total) for b in budgets},
        "found": [(int(i) + 1, float(cum[i] / total)) for i in np.flatnonzero(hits)],
        "n95": n95, "n100": int(cum.size), "wss95": (n - n95) / n - (1 - RECALL_LEVEL),
        "stop_at": stop,
        "stop_recall": float(cum[min(stop, cum.size) - 1] / total) if stopping else math.nan,
        "n_target": n_target, "stop_ratio": stop / n_target,
    }


def simulate_seed(task: ScreenTask, seed: int) -> list[tuple]:
    """Every strategy and the random baseline on one seed.

    Returns tidy rows ``task, strategy, seed, budget, metric, value``: metric
    ``recall`` at each budget, ``found`` (recall at each label that found a
    relevant row, for the curve) and, at budget = number of rows, ``n95``,
    ``n100``, ``wss95``, ``n_target`` and, for a strategy that gives stopping
    advice, ``stop_at``, ``stop_recall`` and ``stop_ratio``.
    """
    spec = task.spec
    n = task.labels.size
    rows: list[tuple] = []
    with threadpool_limits(1):
        for strategy in dict.fromkeys([*spec.strategies, BASELINE]):
            order, _ = screen_order(task, strategy, seed)
            m = order_metrics(task.relevant[order], n, spec.budgets, spec.recall_target,
                              STRATEGIES[strategy].stopping)
            rows.extend((spec.name, strategy, seed, b, "recall", v)
                        for b, v in m["recall"].items())  # type: ignore[attr-defined]
            rows.extend((spec.name, strategy, seed, k, "found", v)
                        for k, v in m["found"])  # type: ignore[attr-defined]
            # No rows for the stopping metrics of a strategy without advice (NaN).
            rows.extend((spec.name, strategy, seed, n, key, float(m[key]))  # type: ignore[arg-type]
                        for key in PER_RUN if not math.isnan(m[key]))  # type: ignore[arg-type]
    return rows
