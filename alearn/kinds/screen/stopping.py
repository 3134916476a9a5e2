"""When to stop screening: advice read from the sequence of screening decisions.

Two signals, both from the labels given so far (never from the model):

* the **knee** (Cormack & Grossman 2016): on the curve of relevant rows found
  against rows screened, the knee is the point farthest above the straight
  line from the origin to the current point. ``rho`` is the rate of relevant
  rows before the knee divided by the (smoothed) rate after it,
  ``rho = (r_k / k) / ((r - r_k + 1) / (s - k))``. A large ``rho`` means the
  finds have dried up. The knee is only looked for once ``KNEE_MIN_SCREENED``
  rows are screened.
* a **streak** of ``STREAK`` irrelevant rows in a row.

Stopping is advised when ``rho >= KNEE_RHO`` and the latest ``STREAK`` rows
were all irrelevant. The estimate of relevant rows still unseen is the recent
rate (relevant among the last ``STREAK`` screened) times the rows not yet
screened: an upper estimate, since in a ranked screen the rate keeps falling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

KNEE_MIN_SCREENED = 150
KNEE_RHO = 6.0
STREAK = 100


@dataclass(frozen=True)
class StopAdvice:
    """Where a screen stands and whether to stop.

    Attributes
    ----------
    stop : bool
        Whether more screening is unlikely to find more relevant rows.
    screened, found : int
        Rows screened and relevant rows among them.
    streak : int
        Irrelevant rows screened since the last relevant one.
    rho : float or None
        Knee ratio (``None`` before ``KNEE_MIN_SCREENED`` rows or any find).
    unseen_estimate : float
        Relevant rows probably still among the unscreened ones (upper estimate).
    remaining : int
        Rows not yet screened.
    """

    stop: bool
    screened: int
    found: int
    streak: int
    rho: float | None
    unseen_estimate: float
    remaining: int

    def message(self) -> str:
        """One line for the labeling screen."""
        knee = "no knee yet" if self.rho is None else f"knee rho {self.rho:.1f}"
        head = (f"{self.found} relevant in {self.screened} screened; {self.streak} irrelevant "
                f"in a row; {knee}; about {self.unseen_estimate:.1f} relevant probably left "
                f"in {self.remaining} unscreened")
        if self.stop:
            return head + " - further screening is unlikely to find more: you may stop"
        return head


def knee_rho(hits: np.ndarray) -> float | None:
    """The knee ratio of a screening sequence (see the module docstring).

    Parameters
    ----------
    hits : ndarray of bool or int
        1 for each relevant row, in screening order.

    Returns
    -------
    float or None
        ``None`` before ``KNEE_MIN_SCREENED`` rows or while nothing was found.
    """
    s = int(hits.size)
    if s < KNEE_MIN_SCREENED:
        return None
    cum = np.cumsum(np.asarray(hits, dtype=float))
    r = cum[-1]
    if r == 0:
        return None
    x = np.arange(1, s + 1)
    # Signed distance to the line (0,0)-(s,r); the knee lies above it (most negative).
    k = int(np.argmin((r * x - s * cum) / math.hypot(s, r))) + 1
    if k >= s:
        return 0.0
    r_k = cum[k - 1]
    return float((r_k / k) / ((r - r_k + 1) / (s - k)))


def advise(hits: np.ndarray, total: int) -> StopAdvice:
    """Stopping advice after the screening decisions so far.

    Parameters
    ----------
    hits : ndarray of bool or int
        1 for each relevant row, in screening order (priors included).
    total : int
        Rows in the whole pile.

    Returns
    -------
    StopAdvice
    """
    hits = np.asarray(hits, dtype=int)
    s = int(hits.size)
    found = int(hits.sum())
    last = np.flatnonzero(hits)
    streak = s if last.size == 0 else s - 1 - int(last[-1])
    recent = hits[-STREAK:]
    remaining = max(total - s, 0)
    rate = float(recent.mean()) if recent.size else 0.0
    rho = knee_rho(hits)
    stop = rho is not None and rho >= KNEE_RHO and streak >= STREAK
    return StopAdvice(stop=stop, screened=s, found=found, streak=streak, rho=rho,
                      unseen_estimate=rate * remaining, remaining=remaining)


def first_stop(hits: np.ndarray, total: int) -> int:
    """How many rows are screened when the advice first says stop (``total`` if never).

    ``hits`` may end before ``total``: rows after it count as irrelevant (a
    simulation stops once every relevant row is found).
    """
    hits = np.asarray(hits, dtype=int)
    full = np.zeros(total, dtype=int)
    full[: hits.size] = hits
    cum = np.cumsum(full)
    positions = np.flatnonzero(full)
    for s in range(max(KNEE_MIN_SCREENED, STREAK), total + 1):
        before = positions[positions < s]
        streak = s if before.size == 0 else s - 1 - int(before[-1])
        if streak < STREAK or cum[s - 1] == 0:
            continue
        rho = knee_rho(full[:s])
        if rho is not None and rho >= KNEE_RHO:
            return s
    return total
