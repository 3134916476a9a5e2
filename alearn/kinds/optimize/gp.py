"""Gaussian-process expected improvement with one length-scale per feature.

The default acquisition for optimize tasks. A GP with an ARD squared-exponential
kernel models the (labeled-only, standardised) distance to heaven; its
length-scales and noise are fitted by maximising the marginal likelihood under
log-normal priors, warm-started, only when the label count reaches a refit
point; the next row is the candidate with the largest expected improvement
over the best measured row by a margin that shrinks as rows are measured.

Why not ``sklearn.gaussian_process.GaussianProcessRegressor``: the same model
through it (kernel objects, validation on every call) measured 220.6 ms per
32-label run against 95.5 ms here (``bench/gp_speed.py``, 11 of the 53
benchmark files, 2 cores, then with 1,000 candidates per step), which would
put the 53-file benchmark over its 60 s budget; this module is the same model
in ~150 lines of NumPy/SciPy.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
from scipy.linalg import cho_solve, solve_triangular
from scipy.optimize import minimize
from scipy.special import ndtr

from alearn.kinds.optimize.acquirers.base import START
from alearn.seeds import Stream, stream

POOL = 10000  # candidate rows scored per step (all rows when there are fewer)
GROW = 100  # rows near the incumbent added to the candidates at each refit
REFIT_AT = (4, 6, 8, 11, 15, 20, 26)  # label counts at which hyperparameters are refit
MAXITER = 10  # L-BFGS-B iterations per refit
PRIOR_L, PRIOR_SD = 0.5, 1.0  # log length-scale ~ N(log(0.5 sqrt(d)), 1)
NOISE0, NOISE_SD = 1e-2, 1.5  # log noise variance ~ N(log 0.01, 1.5)
JITTER = 1e-6
# EI asks for an improvement of at least XI / (rows measured) standard deviations
# of the measured d2h: explore more while few rows are measured, less later
# (chosen on both development families, docs/optimize.md).
XI = 4.0


def _neg_log_posterior(theta: np.ndarray, sq: np.ndarray, y: np.ndarray,
                       prior_mean: np.ndarray) -> tuple[float, np.ndarray]:
    """Negative log marginal likelihood plus log priors, and its gradient.

    ``theta`` = (log length-scales, log noise variance); ``sq`` holds squared
    feature differences of the labeled rows (n x n x d).
    """
    d = sq.shape[2]
    inv_l2 = np.exp(-2.0 * theta[:d])
    noise = np.exp(theta[d])
    K = np.exp(-0.5 * sq @ inv_l2)
    n = y.size
    try:
        L = np.linalg.cholesky(K + (noise + JITTER) * np.eye(n))
    except np.linalg.LinAlgError:
        return 1e10, np.zeros_like(theta)
    K_inv = cho_solve((L, True), np.eye(n))
    alpha = K_inv @ y
    value = 0.5 * y @ alpha + np.log(np.diag(L)).sum()
    W = np.outer(alpha, alpha) - K_inv
    grad = np.empty_like(theta)
    grad[:d] = -0.5 * np.einsum("ij,ijk->k", W * K, sq) * inv_l2
    grad[d] = -0.5 * np.trace(W) * noise
    z = (theta[:d] - prior_mean) / PRIOR_SD
    zn = (theta[d] - np.log(NOISE0)) / NOISE_SD
    value += 0.5 * (z @ z) + 0.5 * zn * zn
    grad[:d] += z / PRIOR_SD
    grad[d] += zn / NOISE_SD
    return float(value), grad


def fit_hyperparameters(X: np.ndarray, y: np.ndarray, theta0: np.ndarray) -> np.ndarray:
    """MAP length-scales and noise for labeled rows ``X`` with targets ``y``."""
    d = X.shape[1]
    sq = (X[:, None, :] - X[None, :, :]) ** 2
    prior_mean = np.full(d, np.log(PRIOR_L * np.sqrt(d)))
    lo = np.r_[np.full(d, np.log(0.05)), np.log(1e-4)]
    hi = np.r_[np.full(d, np.log(20 * np.sqrt(d))), 0.0]
    result = minimize(_neg_log_posterior, np.clip(theta0, lo, hi), args=(sq, y, prior_mean),
                      jac=True, method="L-BFGS-B", bounds=list(zip(lo, hi, strict=True)),
                      options={"maxiter": MAXITER})
    return result.x


def kmeanspp(X: np.ndarray, k: int, rng: np.random.Generator) -> list[int]:
    """k-means++ seeding: a spread-out set of ``k`` rows of ``X``."""
    chosen = [int(rng.integers(X.shape[0]))]
    dist = ((X - X[chosen[0]]) ** 2).sum(axis=1)
    while len(chosen) < min(k, X.shape[0]):
        total = dist.sum()
        row = int(rng.choice(X.shape[0], p=dist / total)) if total > 0 else \
            int(rng.integers(X.shape[0]))
        chosen.append(row)
        dist = np.minimum(dist, ((X - X[row]) ** 2).sum(axis=1))
    return chosen


def expected_improvement(mu: np.ndarray, sd: np.ndarray, best: float) -> np.ndarray:
    """EI for minimisation below ``best``."""
    z = (best - mu) / sd
    return (best - mu) * ndtr(z) + sd * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)


class GPEI:
    """Stateful GP-EI acquirer over a fixed encoded matrix.

    Its state (candidate rows, hyperparameters) changes only at refit points.
    Call :meth:`next` after every measurement, as the simulation and labeling
    sessions do (a session rebuilds it by replaying its journal step by step):
    the targets are normalised over the rows measured so far, so a refit that
    is caught up late would see different targets than it would have on time.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    rng : numpy.random.Generator
        Draws the candidate rows and the start.
    start : int
        Rows in the start.
    """

    # What the rows under way are believed to have come out as: "mean" (kriging
    # believer: the GP's mean there) or "min" (constant liar, CL-min: as good as the
    # best measured row). The believer was better on both development families and on
    # the held-out files at k = 4 (docs/benchmarks.md, "Measuring k rows at once").
    lie = "mean"

    def __init__(self, X: np.ndarray, rng: np.random.Generator, start: int = 4) -> None:
        self.X = np.asarray(X, dtype=float)
        n, d = self.X.shape
        self.candidates = np.sort(rng.choice(n, size=POOL, replace=False)) if n > POOL \
            else np.arange(n)
        # k-means++ draws one row at a time, so a longer start (parallel slots) is
        # the same rows followed by more: kept to extend it on demand.
        self._start_rng = copy.deepcopy(rng)
        self._start = [int(self.candidates[i]) for i in
                       kmeanspp(self.X[self.candidates], start, rng)]
        self.theta = np.r_[np.full(d, np.log(PRIOR_L * np.sqrt(d))), np.log(NOISE0)]
        self._fitted_at = 0
        self._scaled: tuple | None = None  # (theta, candidates, scaled rows, squared norms)

    def start(self, k: int) -> list[int]:
        """Spread-out first rows (k-means++ over the candidates)."""
        if k > len(self._start):
            self._start = [int(self.candidates[i]) for i in
                           kmeanspp(self.X[self.candidates], k, copy.deepcopy(self._start_rng))]
        return self._start[:k]

    def _refit(self, labeled: list[int], y: np.ndarray) -> None:
        self.theta = fit_hyperparameters(self.X[labeled], y, self.theta)
        if self.X.shape[0] > self.candidates.size:
            # Look near the incumbent too, in the fitted (ARD-scaled) space.
            scale = np.exp(-self.theta[:-1])
            best = labeled[int(np.argmin(y))]
            dist = (((self.X - self.X[best]) * scale) ** 2).sum(axis=1)
            dist[self.candidates] = np.inf
            extra = min(GROW, self.X.shape[0] - self.candidates.size)
            near = np.argpartition(dist, extra - 1)[:extra]
            self.candidates = np.union1d(self.candidates, near)

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray,
             pending: Sequence[int] = ()) -> int:
        """The eligible candidate with the largest expected improvement.

        Rows being measured (``pending``) are believed to have come out as the
        GP predicts them (a kriging believer; :attr:`lie` ``"min"``: as good as
        the best measured row, a constant liar): the GP's uncertainty collapses
        around them, so the rows chosen while they run are spread out.
        Hyperparameters are fitted on measured rows only.

        Parameters
        ----------
        labeled : list of int
            Measured rows, in order.
        y : ndarray
            Their (labeled-only) d2h, lower is better.
        eligible : bool ndarray of shape (n,)
            Rows that may be chosen (pending rows must not be).
        pending : sequence of int
            Rows chosen but not measured yet (parallel measurement).
        """
        n = len(labeled)
        due = [k for k in REFIT_AT if self._fitted_at < k <= n] or ([n] if not self._fitted_at
                                                                      else [])
        for k in due:
            self._refit(labeled[:k], _standardise(y[:k]))
            self._fitted_at = k
        ys = _standardise(y)
        inv_l = np.exp(-self.theta[:-1])
        noise = np.exp(self.theta[-1]) + JITTER
        keep = eligible[self.candidates]
        if keep.any():
            cand = self.candidates
            # The scaled candidates change only at a refit: scale them once, not per
            # step, and score them all (measured ones are masked out below).
            if self._scaled is None or self._scaled[0] is not self.theta \
                    or self._scaled[1] is not self.candidates:
                A = self.X[self.candidates] * inv_l
                self._scaled = (self.theta, self.candidates, A, (A * A).sum(1))
            A_cand, cand_sq = self._scaled[2], self._scaled[3]
        else:
            cand = np.flatnonzero(eligible)
            keep = np.ones(cand.size, dtype=bool)
            A_cand = self.X[cand] * inv_l
            cand_sq = (A_cand * A_cand).sum(1)
        best = ys.min()
        believed = ys
        if len(pending):
            lie = np.full(len(pending), best) if self.lie == "min" else \
                self._mean_at(labeled, ys, list(pending), inv_l, noise)
            labeled = [*labeled, *pending]
            believed = np.r_[ys, lie]
        A_lab = self.X[labeled] * inv_l
        K = np.exp(-0.5 * _sqdist(A_lab, A_lab)) + noise * np.eye(len(labeled))
        L = np.linalg.cholesky(K)
        V = solve_triangular(L, np.exp(-0.5 * _sqdist(A_lab, A_cand, cand_sq)), lower=True,
                             check_finite=False)
        mu = solve_triangular(L, believed, lower=True, check_finite=False) @ V
        sd = np.sqrt(np.maximum(1.0 - (V * V).sum(axis=0), 1e-12))
        ei = np.where(keep, expected_improvement(mu, sd, best - XI / n), -np.inf)
        return int(cand[int(np.argmax(ei))])


    def _mean_at(self, labeled: list[int], ys: np.ndarray, rows: list[int], inv_l: np.ndarray,
                 noise: float) -> np.ndarray:
        """The GP's mean at ``rows`` given the measured rows (the kriging believer's lie)."""
        A_lab, A_rows = self.X[labeled] * inv_l, self.X[rows] * inv_l
        L = np.linalg.cholesky(np.exp(-0.5 * _sqdist(A_lab, A_lab)) + noise * np.eye(len(labeled)))
        return np.exp(-0.5 * _sqdist(A_rows, A_lab)) @ cho_solve((L, True), ys)


def _standardise(y: np.ndarray) -> np.ndarray:
    return (y - y.mean()) / (y.std() + 1e-9)


def _sqdist(A: np.ndarray, B: np.ndarray, B_sq: np.ndarray | None = None) -> np.ndarray:
    """Squared distances between the rows of ``A`` and ``B`` (``B_sq``: B's squared norms)."""
    if B_sq is None:
        B_sq = (B * B).sum(1)
    return np.maximum((A * A).sum(1)[:, None] + B_sq[None, :] - 2 * A @ B.T, 0.0)


class GPAcquirer(GPEI):
    """Gaussian-process expected improvement (the default)."""

    def __init__(self, X: np.ndarray, seed: int) -> None:
        super().__init__(X, stream(seed, Stream.TIEBREAK), start=START)
