"""Screening retrain: liblinear's dual (the default) against L-BFGS on the same objective.

Issue 13 asks for a retrain of at most 100 ms at 10,000 rows. This times one
screening fit plus scoring every row, on ``bench/screening.py``'s generated
10,000-row text collection built with the screen recipe (``generated_task``:
114,602 columns), for a growing number of relevant rows among the labels (the
rest presumed negatives, as the learner fits):

* ``liblinear`` - the default: ``C = 0.3``, balanced class weights, dual,
  tolerance ``SCREEN_TOL``;
* ``lbfgs + bias`` - L-BFGS (tolerance 1e-4, its default) without an
  intercept on the features plus a column of ones, which is liblinear's
  objective (its intercept is a penalised column of ones), so the model is
  the same up to the tolerances.

Both fit every row (the learner samples the presumed negatives past
``PRESUMED_MAX`` unscreened rows; this compares solvers on the same rows).

    .venv/bin/python bench/screen_solver.py [--rows 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp
from screening import generated_task  # beside this script
from threadpoolctl import threadpool_limits

from alearn.models.logreg import build


def liblinear(X: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, int]:
    """The default screening fit (``models.logreg.build``); decision values of every row
    and iterations."""
    model = build(0, text=True, screen=True).fit(X, y)
    return model.decision_function(X), int(model.n_iter_[0])


def lbfgs_bias(X: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, int]:
    """The default model's settings fitted by L-BFGS on liblinear's objective (a
    penalised column of ones for the intercept)."""
    Xa = sp.hstack([X, np.ones((X.shape[0], 1))], format="csr")
    model = build(0, text=True, screen=True).set_params(
        solver="lbfgs", dual=False, fit_intercept=False, tol=1e-4).fit(Xa, y)
    return Xa @ model.coef_[0], int(model.n_iter_[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    task = generated_task(args.rows)
    X = task.X.tocsr()
    relevant = np.flatnonzero(task.relevant)
    print(f"{args.rows} rows, {X.shape[1]} columns, {X.nnz} non-zeros, "
          f"{relevant.size} relevant; median / max of {args.repeats} fits + scoring")
    with threadpool_limits(1):
        for found in (3, 20, min(60, relevant.size)):
            y = np.zeros(X.shape[0], dtype=int)
            y[relevant[:found]] = 1
            scores = {}
            for name, fit in (("liblinear", liblinear), ("lbfgs + bias", lbfgs_bias)):
                times = []
                for _ in range(args.repeats):
                    t0 = time.perf_counter()
                    scores[name], iterations = fit(X, y)
                    times.append(1000 * (time.perf_counter() - t0))
                print(f"  {found:3d} relevant labeled  {name:13s} {np.median(times):6.0f} / "
                      f"{max(times):4.0f} ms  ({iterations} iterations)")
            a, b = scores["liblinear"], scores["lbfgs + bias"]
            top = len(set(np.argsort(-a)[:100]) & set(np.argsort(-b)[:100]))
            print(f"       same model? correlation {np.corrcoef(a, b)[0, 1]:.5f}, "
                  f"{top} of the top 100 rows shared")


if __name__ == "__main__":
    main()
