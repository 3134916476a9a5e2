"""Trade-offs benchmark (issue 26): hypervolume of the measured rows' front, alearn beside
random and Optuna's multi-objective samplers, same rows, same metric.

Files: the development optimize files with two or more goals of both sets
``bench/optimize.py`` uses (``--set cacm``: the letter's files; ``--set hpo``:
``optimize/hpo-health/``). Methods, every one measuring rows of the file's pool:

- ``gpei``: alearn's default (GP-EI on d2h over the measured rows), as ``alearn run``;
- ``random``: alearn's random baseline;
- ``nsga2`` / ``mo-tpe``: Optuna's ``NSGAIISampler`` (population 8: the default 50
  would make all 32 trials its random first generation) and ``TPESampler`` with one
  objective per goal (study directions from the goals' +/-). As in
  ``bench/optimize_runs.py`` each suggestion is snapped to the nearest unmeasured
  row in alearn's encoded feature space, and the trial Optuna keeps is that row;
  the first 4 rows are the same random rows for both samplers (the Optuna peers'
  start in ``bench/optimize.py``). The samplers are handed the goals normalised
  over the whole file (directions kept), which alearn never sees.

Score: the hypervolume of the measured rows' front after 8/16/32 measurements as
``alearn/kinds/optimize/pareto.py`` computes it in simulation (goals normalised over
the whole file, reference point 10 % of each goal's range beyond its worst value),
as % of the whole file's front's hypervolume; mean over files of the mean over seeds,
with paired W/T/L (per file and seed) of gpei against each other method.

    python bench/pareto.py --set cacm --seeds 20 --jobs 2
    python bench/pareto.py --set hpo --seeds 20 --jobs 2

Optuna runs are cached per (set, file, seed, sampler) under
``bench/results/pareto-peers/``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from optimize import MOOT, set_files  # beside this script
from optimize_runs import (
    BUDGETS,
    START,
    _load,
    cached_rows,
    nearest_unmeasured,
    pool_space,
    start_rows,
)
from threadpoolctl import threadpool_limits

from alearn.kinds.optimize.pareto import hypervolume
from alearn.kinds.optimize.simulate import optimize

CACHE = Path(__file__).resolve().parent / "results" / "pareto-peers"
ALEARN = ("gpei", "random")
PEERS = ("nsga2", "mo-tpe")
NSGA2_POPULATION = 8


def _sampler(name: str, seed: int):
    import optuna

    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, population_size=NSGA2_POPULATION)
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=START)


def mo_peer_run(name: str, X: np.ndarray, G: np.ndarray, weights: np.ndarray, budget: int,
                seed: int) -> list[int]:
    """Rows measured, in order, by Optuna's multi-objective sampler ``name`` over pool ``X``.

    Parameters
    ----------
    name : str
        ``"nsga2"`` or ``"mo-tpe"``.
    X : ndarray of shape (n, d)
        Encoded rows (alearn's feature space).
    G : ndarray of shape (n, goals)
        The objectives: each goal normalised over the whole file (direction kept).
    weights : ndarray of shape (goals,)
        1 to maximise a goal, 0 to minimise it.
    budget, seed : int
    """
    import optuna

    cols, dists = pool_space(X)
    directions = ["maximize" if w > 0.5 else "minimize" for w in weights]
    study = optuna.create_study(sampler=_sampler(name, seed), directions=directions)
    # The same start rows as the single-objective Optuna peers of bench/optimize.py.
    start = start_rows(X.shape[0], budget, seed)
    eligible = np.ones(X.shape[0], dtype=bool)
    measured: list[int] = []
    while len(measured) < min(budget, X.shape[0]):
        # Every row is asked for, so the sampler's bookkeeping (NSGA-II's generation) is
        # set; the start rows then replace the first suggestions.
        trial = study.ask(dists)
        if len(measured) < len(start):
            row = start[len(measured)]
        else:
            row = nearest_unmeasured(X, cols, trial.params, eligible)
        attrs = study._storage.get_trial(trial._trial_id).system_attrs
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
        eligible[row] = False
        measured.append(row)
        study.add_trial(optuna.trial.create_trial(
            params={f"x{j}": float(X[row, j]) for j in cols}, distributions=dists,
            values=[float(v) for v in G[row]], system_attrs=dict(attrs)))
    return measured


def cached_mo_run(name: str, set_name: str, stem: str, X: np.ndarray, G: np.ndarray,
                  weights: np.ndarray, budget: int, seed: int) -> tuple[list[int], float]:
    """:func:`mo_peer_run` through the cache: (rows measured, CPU seconds of the run)."""
    return cached_rows(CACHE / set_name / name / f"{stem}-b{budget}-s{seed}.json", len(X),
                       lambda: mo_peer_run(name, X, G, weights, budget, seed))


def file_runs(path: Path, seeds: int, set_name: str) -> list[tuple]:
    """Every run on one file: (file, seed, method, {budget: % of the file's HV}, CPU s)."""
    X, Y, w = _load(path)
    lo, hi = Y.min(axis=0), Y.max(axis=0)
    whole = hypervolume(Y, w, lo, hi)
    G = (Y - lo) / np.where(hi > lo, hi - lo, 1.0)
    units = []
    for seed in range(seeds):
        runs = {}
        for method in ALEARN:
            started = time.process_time()
            with threadpool_limits(1):  # one BLAS thread per worker: --jobs sets the parallelism
                measured = optimize(X, lambda r: Y[r], w, BUDGETS[-1], seed, strategy=method)
            runs[method] = measured, time.process_time() - started
        for method in PEERS:
            runs[method] = cached_mo_run(method, set_name, path.stem, X, G, w, BUDGETS[-1], seed)
        for method, (measured, seconds) in runs.items():
            pct = {b: 100 * hypervolume(Y[measured[:b]], w, lo, hi) / whole for b in BUDGETS}
            units.append((path.stem, seed, method, pct, seconds))
    return units


def report(units: list[tuple], default: str = "gpei") -> None:
    """Print HV % at each budget per method, W/T/L of ``default`` and CPU per run."""
    by = {(f, s, m): pct for f, s, m, pct, _ in units}
    methods = [*ALEARN, *PEERS]
    print(f"{'method':<8} " + " ".join(f"{'HV%@' + str(b):>8}" for b in BUDGETS)
          + f"   W/T/L of {default} @" + "/".join(map(str, BUDGETS))
          + "   CPU s/run (32)")
    for m in methods:
        mine = [(f, s) for f, s, mm, _, _ in units if mm == m]
        cells, wtl = [], []
        for b in BUDGETS:
            per_file: dict[str, list[float]] = {}
            for f, s in mine:
                per_file.setdefault(f, []).append(by[(f, s, m)][b])
            cells.append(f"{np.mean([np.mean(v) for v in per_file.values()]):>8.1f}")
            if m != default:
                d = np.array([by[(f, s, default)][b] - by[(f, s, m)][b] for f, s in mine])
                wtl.append(f"{(d > 1e-9).sum()}/{(abs(d) <= 1e-9).sum()}/{(d < -1e-9).sum()}")
        cpu = np.mean([sec for _, _, mm, _, sec in units if mm == m])
        print(f"{m:<8} " + " ".join(cells) + "   " + f"{'  '.join(wtl):<28}" + f"   {cpu:.3f}")
    print("W/T/L: paired over (file, seed); W = gpei's front has the larger hypervolume.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["cacm", "hpo"], default="cacm", dest="set_name")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--every", type=int, default=1, help="every k-th file (quick looks)")
    args = parser.parse_args()

    files = [p for p in set_files(MOOT / "INDEX.tsv", args.set_name)[:: args.every]
             if _load(p)[1].shape[1] >= 2]
    started = time.perf_counter()
    by_size = sorted(files, key=lambda p: p.stat().st_size, reverse=True)
    per_file = Parallel(n_jobs=args.jobs)(delayed(file_runs)(p, args.seeds, args.set_name)
                                          for p in by_size)
    wall = time.perf_counter() - started
    print(f"set {args.set_name}: {len(files)} files with 2+ goals; budgets "
          f"{'/'.join(map(str, BUDGETS))}; {args.seeds} seeds of every method")
    print("HV% = hypervolume of the measured rows' front / the whole file's front's, goals "
          "normalised over the file, reference point 10 % of each range beyond the worst.")
    report([u for units in per_file for u in units])
    print(f"wall time: {wall:.1f} s with --jobs {args.jobs} (Optuna cache hits are free)")


if __name__ == "__main__":
    main()
