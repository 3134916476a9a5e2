"""What a stopping rule with a 95 % guarantee can cost at best (issue 13's 1.3 × goal).

For every screen task in bench/tasks and every seed, the default learner's
screening order is replayed and three stopping points are compared with the
labels truly needed for the target recall (``n_target``):

* ``advice`` - alearn's stopping advice (:mod:`alearn.kinds.screen.stopping`);
* ``known rate`` - a rule told the true discovery rate: the exponential rate
  fitted by maximum likelihood to the positions of *all* relevant rows of the
  order (which no real rule can know). It stops at the first row where the
  relevant rows left, Poisson with the mean that rate gives, exceed what the
  target allows with probability at most 5 %. Its only uncertainty is the
  Poisson noise of what is left, so no rule with the same guarantee under
  the same model can stop earlier on average;
* ``known count`` - a rule told how many relevant rows are left: stops at
  ``n_target`` (1.0 by definition, shown for scale).

    .venv/bin/python bench/stopping_floor.py [--seeds 20] [--tasks kitchenham]
"""

from __future__ import annotations

import argparse
import math
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.optimize import minimize_scalar
from scipy.stats import poisson
from screening import screen_tasks, with_overrides  # beside this script

from alearn.kinds.screen import simulate as screening
from alearn.kinds.screen.stopping import CONFIDENCE, first_stop
from alearn.tasks import load_task


def known_rate_stop(hits: np.ndarray, n: int, target: float) -> int:
    """First row where the relevant rows left under the exponential rate fitted to every
    relevant position (all ``n`` rows) exceed the target's allowance with probability
    at most ``1 - CONFIDENCE``."""
    x = np.flatnonzero(hits) + 0.5
    r = float(x.size)

    def neg_loglik(log_b: float) -> float:
        b = 10.0 ** log_b
        a = r * b / -math.expm1(-b * n)
        return -(r * math.log(a) - b * x.sum())

    b = 10.0 ** minimize_scalar(neg_loglik, bounds=(-7, 1), method="bounded").x
    a = r * b / -math.expm1(-b * n)
    s = np.arange(1, n + 1, dtype=float)
    left = a / b * (np.exp(-b * s) - math.exp(-b * n))  # expected relevant after row s
    found = np.cumsum(np.pad(hits, (0, n - hits.size)).astype(int))
    allowed = np.floor(found / target - found + 1e-9)  # left rows the target tolerates
    ok = poisson.ppf(CONFIDENCE, left) <= allowed
    return int(np.argmax(ok)) + 1 if ok.any() else n


def one_seed(task: screening.ScreenTask, seed: int) -> dict[str, float]:
    """The three stopping points of one seed, over the labels needed."""
    order, _ = screening.screen_order(task, task.spec.strategies[0], seed)
    hits = task.relevant[order]
    n, target = task.labels.size, task.spec.recall_target
    total = int(hits.sum())
    cum = np.cumsum(hits)
    need = int(np.argmax(cum >= math.ceil(target * total - 1e-9))) + 1
    out = {"seed": seed, "n_target": need}
    for name, stop in (("advice", first_stop(hits, n, target)),
                       ("known rate", known_rate_stop(hits, n, target))):
        out[name] = stop / need
        out[f"{name} early"] = float(stop < need)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--tasks", nargs="*")
    args = parser.parse_args()
    print(f"labels at the stop / labels needed for the target, mean (max); seeds stopped "
          f"before the target; {args.seeds} seeds, confidence {CONFIDENCE:g}")
    for folder in screen_tasks(args.tasks):
        spec = with_overrides(load_task(folder), [], None, args.seeds)
        task = screening.prepare(spec)
        frame = pd.DataFrame(Parallel(n_jobs=args.jobs)(
            delayed(one_seed)(task, seed) for seed in range(args.seeds)))
        cells = [f"{name} {frame[name].mean():.2f} (max {frame[name].max():.2f}), "
                 f"{int(frame[f'{name} early'].sum())} early"
                 for name in ("advice", "known rate")]
        print(f"  {spec.name}: needed {frame['n_target'].mean():.0f} labels; "
              + "; ".join(cells) + "; known count 1.00")


if __name__ == "__main__":
    main()
