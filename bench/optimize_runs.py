"""The runs behind ``bench/optimize.py``: alearn strategies and Optuna's samplers (issue 14).

One unit = one method on one file with one seed; files are loaded once per worker.

Optuna proposes points in a continuous box; an optimize task is a fixed pool of
rows. Each suggestion is mapped to the nearest unmeasured row in the same
encoded feature space alearn uses (:func:`alearn.kinds.optimize.encode.encode`),
and the trial Optuna keeps is that row (its own features and value), so the
sampler models what was really measured. The start trials are rows drawn at
random from the file (random points snapped to rows are not a uniform draw of
rows). The objective is the row's d2h with goals normalised over the **whole
file** (the letter's definition), which alearn never sees: a small advantage
to the peers, printed by the bench.

Results are cached per (set, file, seed, sampler) as JSON under
``bench/results/optimize-peers/`` so reruns are cheap.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from alearn.kinds.optimize.goals import d2h, own_d2h
from alearn.kinds.optimize.simulate import optimize, prepare
from alearn.tasks import make_task

START = 4  # random start rows, as alearn's START
CACHE = Path(__file__).resolve().parent / "results" / "optimize-peers"
SAMPLERS = ("optuna-gp", "optuna-tpe")
BUDGETS = (8, 16, 32)


def _sampler(name: str, seed: int):
    import optuna

    if name == "optuna-gp":
        import torch

        torch.set_num_threads(1)  # one core per worker: the machine is shared
        return optuna.samplers.GPSampler(seed=seed, n_startup_trials=START)
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=START)


def pool_space(X: np.ndarray) -> tuple[list[int], dict]:
    """The box Optuna searches over pool ``X``: the encoded columns that vary (a
    constant one cannot be searched) and their distributions; Optuna kept quiet."""
    import optuna
    from optuna.distributions import FloatDistribution

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    lo, hi = X.min(axis=0), X.max(axis=0)
    cols = [j for j in range(X.shape[1]) if hi[j] > lo[j]]
    return cols, {f"x{j}": FloatDistribution(float(lo[j]), float(hi[j])) for j in cols}


def start_rows(n: int, budget: int, seed: int) -> list[int]:
    """The peers' random start rows (the same for every Optuna peer of a seed)."""
    rng = np.random.default_rng([seed, 14])
    return [int(r) for r in rng.choice(n, size=min(START, budget), replace=False)]


def nearest_unmeasured(X: np.ndarray, cols: list[int], params: dict,
                       eligible: np.ndarray) -> int:
    """The unmeasured row nearest the point Optuna proposed."""
    point = np.array([params[f"x{j}"] for j in cols])
    dist = ((X[:, cols] - point) ** 2).sum(axis=1)
    dist[~eligible] = np.inf
    return int(np.argmin(dist))


def peer_run(name: str, X: np.ndarray, true_d2h: np.ndarray, budget: int,
             seed: int) -> list[int]:
    """Rows measured, in order, by Optuna sampler ``name`` over pool ``X``.

    Parameters
    ----------
    name : str
        ``"optuna-gp"`` or ``"optuna-tpe"``.
    X : ndarray of shape (n, d)
        Encoded rows (alearn's feature space).
    true_d2h : ndarray of shape (n,)
        The objective: d2h normalised with the file's own min/max.
    budget, seed : int
    """
    import optuna

    cols, dists = pool_space(X)
    study = optuna.create_study(sampler=_sampler(name, seed), direction="minimize")
    start = start_rows(X.shape[0], budget, seed)
    eligible = np.ones(X.shape[0], dtype=bool)
    measured: list[int] = []
    while len(measured) < min(budget, X.shape[0]):
        if len(measured) < len(start):
            row = start[len(measured)]
        else:
            trial = study.ask(dists)
            row = nearest_unmeasured(X, cols, trial.params, eligible)
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        eligible[row] = False
        measured.append(row)
        study.add_trial(optuna.trial.create_trial(
            params={f"x{j}": float(X[row, j]) for j in cols}, distributions=dists,
            value=float(true_d2h[row])))
    return measured


def cached_rows(path: Path, rows_in_file: int, run: Callable[[], list[int]]
                ) -> tuple[list[int], float]:
    """``run()`` through a JSON cache at ``path`` (kept for this Optuna version and file
    size): (rows measured, CPU seconds of the run)."""
    import optuna

    if path.exists():
        saved = json.loads(path.read_text())
        if saved.get("optuna") == optuna.__version__ and saved.get("rows_in_file") == rows_in_file:
            return saved["measured"], saved["seconds"]
    started = time.process_time()
    measured = run()
    seconds = time.process_time() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"optuna": optuna.__version__, "rows_in_file": rows_in_file,
                               "measured": measured, "seconds": seconds}))
    tmp.replace(path)
    return measured, seconds


def cached_peer_run(name: str, set_name: str, stem: str, X: np.ndarray, true_d2h: np.ndarray,
                    budget: int, seed: int) -> tuple[list[int], float]:
    """:func:`peer_run` through the cache: (rows measured, CPU seconds of the run)."""
    return cached_rows(CACHE / set_name / name / f"{stem}-b{budget}-s{seed}.json", len(X),
                       lambda: peer_run(name, X, true_d2h, budget, seed))


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    task = prepare(make_task(name=path.stem, data=str(path), kind="optimize"))
    return task.X, task.Y, task.weights


def scores(measured: list[int], Y: np.ndarray, w: np.ndarray, true: np.ndarray) -> dict:
    """True d2h of the reported best row at each budget, by rule A and rule B."""
    out = {}
    for b in BUDGETS:
        rows = measured[:b]
        out[("A", b)] = float(true[rows].min())
        out[("B", b)] = float(true[rows[int(np.argmin(own_d2h(Y[rows], w)))]])
    return out


def file_units(path: Path, seeds: int, strategies: list[str]) -> tuple[tuple, list[tuple]]:
    """Every alearn run on one file, loading it once: (:func:`file_stats`, units).

    One job per file rather than per run, so a worker reads and types each file
    once (loading a file costs about as much as its 32-label runs).
    """
    return file_stats(path), [alearn_unit(path, s, m) for s in range(seeds) for m in strategies]


class _TopK:
    """An acquirer that ignores the rows under way: plain top-k (the next-best EI row
    while k - 1 are measured), the baseline for the lies of ``parallel``."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def start(self, k: int) -> list[int]:
        return self.inner.start(k)

    def next(self, labeled, y, eligible, pending=()) -> int:
        return self.inner.next(labeled, y, eligible)


def parallel_method(method: str) -> tuple[str, int, str]:
    """``gpei``, ``gpei k=4`` (k at once, the default lie), ``gpei kb-4`` (the kriging
    believer: the GP's mean as the lie), ``gpei cl-4`` (the constant liar, CL-min) or
    ``gpei top-4`` (plain top-k): (strategy, k, batch rule: ``""`` the default,
    ``"mean"``, ``"min"`` or ``"top"``)."""
    for mark, rule in ((" k=", ""), (" kb-", "mean"), (" cl-", "min"), (" top-", "top")):
        if mark in method:
            strategy, k = method.split(mark)
            return strategy, int(k), rule
    return method, 1, ""


def alearn_unit(path: Path, seed: int, method: str) -> tuple[str, int, str, dict, float]:
    """One run of an alearn strategy on one file: (file, seed, method, scores, CPU s).

    ``method`` may ask for k rows under way at once (:func:`parallel_method`); the
    oldest of them finishes first, as ``alearn run`` simulates ``parallel = k``.
    """
    from alearn.kinds.optimize import simulate
    from alearn.kinds.optimize.gp import GPEI

    strategy, k, rule = parallel_method(method)
    X, Y, w = _load(path)
    true = d2h(Y, w, Y.min(axis=0), Y.max(axis=0))
    started = time.process_time()
    make, lie = simulate.make_acquirer, GPEI.lie
    if rule == "top":  # the bench's own baseline: not a strategy a user can choose
        simulate.make_acquirer = lambda *a: _TopK(make(*a))
    if rule in ("mean", "min"):  # the lies measured against each other
        GPEI.lie = rule
    try:
        with threadpool_limits(1):  # one BLAS thread per worker: --jobs sets the parallelism
            measured = optimize(X, lambda r: Y[r], w, BUDGETS[-1], seed, strategy=strategy,
                                parallel=k)
    finally:
        simulate.make_acquirer, GPEI.lie = make, lie
    seconds = time.process_time() - started
    return path.stem, seed, method, scores(measured, Y, w, true), seconds


def peer_unit(path: Path, seed: int, sampler: str, set_name: str) -> tuple:
    """One (cached) run of an Optuna sampler on one file."""
    X, Y, w = _load(path)
    true = d2h(Y, w, Y.min(axis=0), Y.max(axis=0))
    measured, seconds = cached_peer_run(sampler, set_name, path.stem, X, true, BUDGETS[-1], seed)
    return path.stem, seed, sampler, scores(measured, Y, w, true), seconds


def file_stats(path: Path) -> tuple[str, float, float]:
    """(file, mean d2h, min d2h) over all rows, the % optimal reference."""
    _, Y, w = _load(path)
    true = d2h(Y, w, Y.min(axis=0), Y.max(axis=0))
    return path.stem, float(true.mean()), float(true.min())
