"""How much of a classify simulation is inside the logistic regression's solver (issue 27).

Wraps the ``scipy.optimize.minimize`` call that scikit-learn's
``LogisticRegression.fit`` makes, runs every MOOT classify task with the
default settings (``--seeds`` seeds, one process), and prints the wall time and
the share of it spent inside that call: the loss, its gradient and L-BFGS-B's
steps. Every number a run prints must stay the same, so that share stays; what
is outside it bounds what cheaper fits can still gain (docs/benchmarks.md,
"Simulation speed: cheaper small fits").

    .venv/bin/python bench/solver_share.py [--seeds 2] [--only iris glass]
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import sklearn.linear_model._logistic as logistic
from devtasks import classify_parser, data_missing
from scipy import optimize

from alearn.run import runner
from alearn.tasks import make_task


def main() -> None:
    parser = classify_parser(__doc__, seeds=2)
    parser.add_argument("--only", nargs="*", help="file stems to run (default: all)")
    args = parser.parse_args()
    if data_missing(args.data):
        return
    spent = [0.0]

    def timed(*positional, **named):
        started = time.perf_counter()
        try:
            return optimize.minimize(*positional, **named)
        finally:
            spent[0] += time.perf_counter() - started

    # scikit-learn calls `optimize.minimize` through its module's name `optimize`.
    logistic.optimize = SimpleNamespace(minimize=timed)
    files = [f for f in sorted(args.data.glob("*.csv")) if not args.only or f.stem in args.only]
    tasks = [make_task(name=f.stem, data=str(f), seeds=args.seeds) for f in files]
    started = time.perf_counter()
    runner.run(tasks, jobs=1, keep_going=True)
    total = time.perf_counter() - started
    share = spent[0] / total
    print(f"{len(tasks)} tasks x {args.seeds} seeds, one process: {total:.1f} s wall; inside "
          f"the solver {spent[0]:.1f} s ({share:.0%}); with everything else free a run would "
          f"be at most {1 / share:.2f}x faster, the same numbers")


if __name__ == "__main__":
    main()
