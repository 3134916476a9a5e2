"""Stopping rules side by side on the same screening orders (issue 13, item 1).

Replays screening orders of every screen task in bench/tasks (20 seeds) -
the default recipe, and weaker or differently shaped orders a collection
alearn never saw might give (fewer or no LSA columns, word 1-grams only, stop
words removed, uncertainty sampling, random order, larger batches) - and
stops each with every rule below, target recall 0.95. Per order and rule it
prints the seeds stopped before the target and the labels at the stop over
the labels truly needed (mean):

* ``advice`` - alearn's stopping advice (:mod:`alearn.kinds.screen.stopping`):
  the heaviest tail inside the fit's two-sided 95 % likelihood interval, then
  the upper 95 % Poisson quantile of what is left;
* ``one-sided`` - the same with a one-sided 95 % interval (half chi-squared
  90 % quantile, 1.35, instead of 1.92);
* ``Bayes 95 %`` / ``Bayes 97.5 %`` - the posterior predictive quantile of
  the relevant rows left: prior 1/a on the rate's scale, flat on log b over
  the same range, the scale integrated out (a negative binomial for each b);
* ``known rate`` - the floor: a rule told the exponential rate fitted to the
  positions of *all* relevant rows of the order (no real rule can know it),
  stopping where what is left, Poisson with that rate's mean, exceeds the
  target's allowance with probability at most 5 %. No rule with the same
  guarantee under the same model stops earlier on average.

The minimum evidence (5 relevant found, 100 screened, 50 irrelevant in a
row) is the advice's for every rule but the floor.

    .venv/bin/python bench/stopping_rules.py                  # every order, ~8 min on 2 cores
    .venv/bin/python bench/stopping_rules.py --orders default  # the default recipe only
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from joblib import Parallel, delayed
from scipy.special import logsumexp
from scipy.stats import nbinom, poisson
from screening import screen_tasks, with_overrides  # beside this script

from alearn.kinds.screen import simulate as screening
from alearn.kinds.screen import stopping
from alearn.tasks import load_task

TARGET = 0.95
# (task, --set keys, strategy): the default recipe first, then other shapes of order.
ORDERS = [
    ("kitchenham", [], "certainty"), ("radjenovic", [], "certainty"),
    ("kitchenham", ["lsa=0"], "certainty"), ("kitchenham", ["lsa=50"], "certainty"),
    ("kitchenham", ["ngrams=1"], "certainty"),
    ("kitchenham", ['stop_words="english"'], "certainty"),
    ("radjenovic", ["batch_growth=0.2"], "certainty"),
    ("kitchenham", [], "uncertainty"), ("radjenovic", [], "uncertainty"),
    ("kitchenham", [], "random"), ("radjenovic", [], "random"),
]
LOG_B = np.linspace(*stopping.LOG_B_RANGE, 400)


def one_order(task: screening.ScreenTask, strategy: str, seed: int) -> np.ndarray:
    """Relevance of the screened rows in order (up to the last relevant one)."""
    order, _ = screening.screen_order(task, strategy, seed)
    return task.relevant[order]


def bayes_upper(positions: np.ndarray, screened: int, total: int, confidence: float) -> float:
    """Posterior predictive ``confidence`` quantile of the relevant rows left."""
    x = positions + 0.5
    b = 10.0 ** LOG_B
    seen = -np.expm1(-b * screened) / b  # exposure so far, per unit of a
    left = (np.exp(-b * screened) - np.exp(-b * total)) / b
    log_w = -x.size * np.log(seen) - b * x.sum()  # a integrated out (prior 1/a)
    weight = np.exp(log_w - logsumexp(log_w))
    k = np.arange(total - screened + 1)
    cdf = sum(w * nbinom.cdf(k, x.size, p)
              for w, p in zip(weight, seen / (seen + left), strict=True) if w > 1e-12)
    reached = np.flatnonzero(cdf >= confidence)
    return float(k[reached[0]]) if reached.size else float(total - screened)


def bayes_advise(confidence: float) -> Callable[..., stopping.StopAdvice]:
    """An ``advise`` whose upper bound is :func:`bayes_upper` (same minimum evidence)."""
    def advise(hits: np.ndarray, total: int, target: float = TARGET) -> stopping.StopAdvice:
        hits = np.asarray(hits, dtype=bool)
        positions = np.flatnonzero(hits)
        s, found = hits.size, positions.size
        base = {"target": target, "screened": s, "found": found, "remaining": total - s}
        if s >= total:
            return stopping.StopAdvice(stop=True, **base)
        if found < stopping.MIN_FOUND or s < stopping.MIN_SCREENED or \
                s - 1 - int(positions[-1]) < stopping.MIN_DRY:
            return stopping.StopAdvice(stop=False, **base)
        upper = bayes_upper(positions, s, total, confidence)
        return stopping.StopAdvice(stop=found / (found + upper) >= target, **base)
    return advise


@contextmanager
def patched(**names: object) -> Iterator[None]:
    """The stopping module with ``names`` replaced (this process only)."""
    saved = {name: getattr(stopping, name) for name in names}
    for name, value in names.items():
        setattr(stopping, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(stopping, name, value)


def known_rate_stop(hits: np.ndarray, n: int, target: float) -> int:
    """The floor's stop: the exponential rate fitted (maximum likelihood, the advice's
    own fit) to every relevant position, as if the whole pile had been screened."""
    fit = stopping.fit_rate(np.flatnonzero(hits), n, slack=0)
    a, b = fit.a, fit.b
    s = np.arange(1, n + 1, dtype=float)
    left = a / b * (np.exp(-b * s) - math.exp(-b * n))  # expected relevant after row s
    found = np.cumsum(np.pad(hits, (0, n - hits.size)).astype(int))
    allowed = np.floor(found / target - found + 1e-9)  # left rows the target tolerates
    ok = poisson.ppf(stopping.CONFIDENCE, left) <= allowed
    return int(np.argmax(ok)) + 1 if ok.any() else n


def with_rule(name: str, hits: np.ndarray, n: int) -> int:
    """Where rule ``name`` stops the order ``hits`` of an ``n``-row pile."""
    if name == "advice":
        return stopping.first_stop(hits, n, TARGET)
    if name == "one-sided":
        with patched(LIKELIHOOD_SLACK=1.353):
            return stopping.first_stop(hits, n, TARGET)
    if name.startswith("Bayes"):
        confidence = float(name.split()[1].rstrip("%")) / 100
        with patched(advise=bayes_advise(confidence)):
            return stopping.first_stop(hits, n, TARGET)
    return known_rate_stop(hits, n, TARGET)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--orders", choices=["all", "default"], default="all")
    args = parser.parse_args()
    rules = ["advice", "one-sided", "Bayes 95%", "Bayes 97.5%", "known rate"]
    orders = ORDERS[:2] if args.orders == "default" else ORDERS
    print(f"target recall {TARGET}, {args.seeds} seeds per order; per rule: seeds stopped "
          "before the target, labels at the stop / labels needed (mean)")
    print(f"{'order':44s}" + "".join(f"{r:>20s}" for r in rules))
    for name, sets, strategy in orders:
        t0 = time.perf_counter()
        task = screening.prepare(with_overrides(load_task(screen_tasks([name])[0]), sets,
                                                None, args.seeds))
        n = task.labels.size
        runs = Parallel(n_jobs=args.jobs)(delayed(one_order)(task, strategy, seed)
                                          for seed in range(args.seeds))
        cells = []
        for rule in rules:
            early, ratios = 0, []
            for hits in runs:
                cum = np.cumsum(hits)
                need = int(np.argmax(cum >= math.ceil(TARGET * cum[-1] - 1e-9))) + 1
                stop = with_rule(rule, hits, n)
                early += stop < need
                ratios.append(stop / need)
            cells.append(f"{early:2d} early, {np.mean(ratios):.2f}")
        label = f"{name} {strategy} {' '.join(sets) or '(default recipe)'}"
        print(f"{label:44s}" + "".join(f"{c:>20s}" for c in cells)
              + f"   ({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
