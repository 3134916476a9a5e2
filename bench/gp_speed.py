"""Why alearn/kinds/optimize/gp.py is not scikit-learn's GaussianProcessRegressor (issue 5).

Runs the same GP expected-improvement loop (ARD RBF kernel + noise, MAP
hyperparameters with the same priors, refits at the same label counts, EI over
the same candidates) once through ``alearn.kinds.optimize.gp.GPEI`` and once through
``sklearn.gaussian_process.GaussianProcessRegressor``, and prints the mean time
per 32-label run on MOOT files (by default every 5th file of the benchmark's
53, small and large). Pool growth near the incumbent is left out of both, so
they do the same work.

    .venv/bin/python bench/gp_speed.py [--every 5] [--runs 2]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from optimize import cacm_files  # bench/optimize.py, beside this script
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from threadpoolctl import threadpool_limits

from alearn.kinds.optimize import gp as gpei
from alearn.kinds.optimize import simulate as optimize
from alearn.kinds.optimize.acquirers import START
from alearn.tasks import make_task

MOOT = Path(__file__).resolve().parents[2] / "shared" / "moot"
BUDGET = 32


def sklearn_run(X: np.ndarray, Y: np.ndarray, w: np.ndarray, seed: int) -> list[int]:
    """The same loop with scikit-learn's GP (MAP priors added in the optimizer)."""
    rng = np.random.default_rng([seed, 0])
    n, d = X.shape
    cand = np.sort(rng.choice(n, size=gpei.POOL, replace=False)) if n > gpei.POOL \
        else np.arange(n)
    labeled = [int(cand[i]) for i in gpei.kmeanspp(X[cand], START, rng)]
    prior = np.log(gpei.PRIOR_L * np.sqrt(d))

    def map_optimizer(objective, theta0, bounds):
        def f(theta):
            value, grad = objective(theta, eval_gradient=True)
            z = (theta[:d] - prior) / gpei.PRIOR_SD
            zn = (theta[d] - np.log(gpei.NOISE0)) / gpei.NOISE_SD
            grad = grad.copy()
            grad[:d] += z / gpei.PRIOR_SD
            grad[d] += zn / gpei.NOISE_SD
            return value + 0.5 * (z @ z) + 0.5 * zn * zn, grad
        result = minimize(f, theta0, jac=True, method="L-BFGS-B", bounds=bounds,
                          options={"maxiter": gpei.MAXITER})
        return result.x, result.fun

    kernel = ConstantKernel(1.0, "fixed") * RBF(np.full(d, np.exp(prior)),
                                                (0.05, 20 * np.sqrt(d))) \
        + WhiteKernel(gpei.NOISE0, (1e-4, 1.0))
    fitted = None
    while len(labeled) < BUDGET:
        y = optimize.own_d2h(Y[labeled], w)
        ys = (y - y.mean()) / (y.std() + 1e-9)
        refit = fitted is None or len(labeled) in gpei.REFIT_AT
        fitted = GaussianProcessRegressor(kernel, optimizer=map_optimizer if refit else None)
        fitted.fit(X[labeled], ys)
        kernel = fitted.kernel_
        free = np.setdiff1d(cand, labeled)
        mu, sd = fitted.predict(X[free], return_std=True)
        ei = gpei.expected_improvement(mu, np.maximum(sd, 1e-9), ys.min())
        labeled.append(int(free[int(np.argmax(ei))]))
    return labeled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=5, help="take every k-th file")
    parser.add_argument("--runs", type=int, default=2, help="runs (seeds) per file")
    args = parser.parse_args()
    # scikit-learn warns when the noise reaches its bound; the timing is what matters here.
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    files = cacm_files(MOOT / "INDEX.tsv")[:: args.every]
    tasks = [optimize.prepare(make_task(name=f.stem, data=str(f), kind="optimize"))
             for f in files]
    saved = gpei.GROW
    gpei.GROW = 0  # same work on both sides
    try:
        with threadpool_limits(1):
            for name, run in (
                    ("alearn.kinds.optimize.gp", lambda t, s: optimize.optimize(
                        t.X, lambda r: t.Y[r], t.weights, BUDGET, s, strategy="gpei")),
                    ("sklearn GaussianProcessRegressor",
                     lambda t, s: sklearn_run(t.X, t.Y, t.weights, s))):
                started = time.perf_counter()
                for task in tasks:
                    for seed in range(args.runs):
                        run(task, seed)
                runs = len(tasks) * args.runs
                per_run = (time.perf_counter() - started) / runs * 1000
                print(f"{name:<34} {per_run:7.1f} ms per {BUDGET}-label run "
                      f"(mean of {runs} runs over {len(tasks)} files)")
    finally:
        gpei.GROW = saved


if __name__ == "__main__":
    main()
