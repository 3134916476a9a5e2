"""How much better could an unmeasured row still be? The GP's bound over the pool.

After some rows are measured, a GP (the same model as :mod:`alearn.kinds.optimize.gp`)
fitted to their labeled-only d2h predicts every unmeasured row. The lowest
predicted mean is the model's best guess for the next-best row; the lowest
95 % lower bound (mean − 1.96 sd) is an honest floor: if even that is close to
the best measured d2h, more measurements are unlikely to pay off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_triangular

from alearn.kinds.optimize.gp import JITTER, NOISE0, PRIOR_L, _sqdist, fit_hyperparameters

Z95 = 1.96
MAX_ROWS = 20000  # unmeasured rows scored (a fixed, evenly spaced subset above this)


@dataclass(frozen=True)
class Headroom:
    """The GP's view of the unmeasured rows, in labeled-only d2h (0 is best).

    Attributes
    ----------
    best : float
        d2h of the best measured row.
    expected : float
        Lowest predicted d2h over the unmeasured rows.
    floor : float
        Lowest 95 % lower bound over the unmeasured rows (at least 0).
    rows : int
        Unmeasured rows scored.
    """

    best: float
    expected: float
    floor: float
    rows: int


def headroom(X: np.ndarray, labeled: list[int], y: np.ndarray,
             exclude: list[int] | tuple[int, ...] = ()) -> Headroom | None:
    """The GP bound on how much better an unmeasured row of ``X`` could be.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Encoded rows.
    labeled : list of int
        Measured rows.
    y : ndarray
        Their labeled-only d2h.
    exclude : list of int, optional
        Rows that cannot be measured (skipped, failed) and are not scored.

    Returns
    -------
    Headroom or None
        ``None`` with fewer than 3 measured rows or none left unmeasured.
    """
    X = np.asarray(X, dtype=float)
    rest = np.setdiff1d(np.arange(X.shape[0]), [*labeled, *exclude])
    if len(labeled) < 3 or rest.size == 0:
        return None
    if rest.size > MAX_ROWS:
        rest = rest[np.linspace(0, rest.size - 1, MAX_ROWS).astype(int)]
    y = np.asarray(y, dtype=float)
    mean, scale = y.mean(), y.std()
    if scale <= 0:  # every measured row scored the same: no trend to extrapolate
        return Headroom(float(y.min()), float(y.min()), 0.0, int(rest.size))
    ys = (y - mean) / scale
    d = X.shape[1]
    theta = fit_hyperparameters(X[labeled], ys,
                                np.r_[np.full(d, np.log(PRIOR_L * np.sqrt(d))), np.log(NOISE0)])
    inv_l = np.exp(-theta[:-1])
    A_lab, A_rest = X[labeled] * inv_l, X[rest] * inv_l
    K = np.exp(-0.5 * _sqdist(A_lab, A_lab)) + (np.exp(theta[-1]) + JITTER) * np.eye(len(labeled))
    L = np.linalg.cholesky(K)
    V = solve_triangular(L, np.exp(-0.5 * _sqdist(A_lab, A_rest)), lower=True)
    mu = solve_triangular(L, ys, lower=True) @ V
    sd = np.sqrt(np.maximum(1.0 - (V * V).sum(axis=0), 1e-12))
    return Headroom(best=float(y.min()), expected=max(float(mu.min() * scale + mean), 0.0),
                    floor=max(float((mu - Z95 * sd).min() * scale + mean), 0.0),
                    rows=int(rest.size))
