"""When to stop screening: a point-process estimate of the relevant rows still unseen.

The advice reads only the screening decisions so far (which screened rows were
relevant, in order), never the model. It follows the point-process stopping
methods of Sneyd & Stevenson (2021) and Bin-Hezam & Stevenson (2023): the
relevant rows met along the ranking are an inhomogeneous Poisson process whose
rate falls as the ranking goes on, here exponentially,

    lambda(i) = a * exp(-b * i)      (i = rows screened so far),

fitted by maximum likelihood to the positions of the relevant rows found. Two
allowances for what the fit cannot know make the estimate an upper one:

* the decay ``b`` is the smallest (the heaviest tail) inside the 95 %
  likelihood-ratio interval of the fit (log-likelihood within 1.92 of its best),
  so a few early finds cannot promise a fast fall;
* the relevant rows left, Poisson with mean ``mu = integral of lambda from s to
  N``, are taken at their upper ``CONFIDENCE`` quantile.

The recall so far then has a lower bound ``found / (found + upper)``; stopping
is advised only when that bound reaches the user's target recall. It is never
advised while the estimate cannot carry it: before ``MIN_FOUND`` relevant rows
are found, before ``MIN_SCREENED`` rows are screened, or while one of the
latest ``MIN_DRY`` screened rows was relevant.

The screen shows the estimate of the relevant rows left only when the
method can support one (:attr:`StopAdvice.shown`): the evidence above is
there, and the fit shows the finds slowing down: even its heaviest tail
expects at most ``DECAY_SHARE`` of what the rate so far would find in the
rows left. Before that the estimate is an extrapolation of a rate that has
not begun to fall (hundreds of relevant rows "left" in a pile that holds 45).

The guarantee is the model's: when the ranking's rate falls no faster than an
exponential, the advice stops short of the target only with probability about
``1 - CONFIDENCE``. ``bench/screening.py`` measures how often it held, and what
it cost, on every development collection (docs/screening.md). A hyperbolic rate
was also measured: it never stopped early but spent 3-4.5 times the labels needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.stats import poisson

from alearn.counting import counted

DEFAULT_TARGET = 0.95
CONFIDENCE = 0.95
MIN_FOUND = 5
MIN_SCREENED = 100
MIN_DRY = 50
# The estimate is shown once the fit expects at most this share of what the
# rate so far (found / screened) would find in the unscreened rows.
DECAY_SHARE = 0.5
# Half the 95 % quantile of chi-squared with 1 degree of freedom (3.84 / 2).
LIKELIHOOD_SLACK = 1.92
# log10 range searched for the decay b (per row screened).
LOG_B_RANGE = (-6.0, 1.0)


@dataclass(frozen=True)
class RateFit:
    """A fitted rate ``a exp(-b i)`` of relevant rows per row screened."""

    a: float
    b: float

    def integral(self, start: float, stop: float) -> float:
        """Expected relevant rows between rows ``start`` and ``stop`` of the ranking."""
        return self.a / self.b * (math.exp(-self.b * start) - math.exp(-self.b * stop))

    def rows_for(self, start: float, relevant: float) -> float:
        """Rows past ``start`` expected to hold ``relevant`` more (``inf`` if never)."""
        inner = math.exp(-self.b * start) - relevant * self.b / self.a
        return math.inf if inner <= 0 else -math.log(inner) / self.b - start


def fit_rate(positions: np.ndarray, screened: int, slack: float | None = None) -> RateFit:
    """The exponential rate with the heaviest tail inside the fit's 95 % likelihood interval.

    For a fixed ``b`` the best ``a`` is closed form, ``a = r b / (1 - exp(-b s))``,
    so only ``b`` is searched (on a log scale), then lowered to the interval's end.

    Parameters
    ----------
    positions : ndarray of int
        0-based positions of the relevant rows among the ``screened`` rows.
    screened : int
    slack : float, optional
        Log-likelihood the interval allows below the best fit (default
        ``LIKELIHOOD_SLACK``); 0 gives the maximum-likelihood rate itself.
    """
    x = np.asarray(positions, dtype=float) + 0.5
    r = float(max(x.size, 1))
    total_x = float(x.sum())

    def a_for(b: float) -> float:
        return r * b / -math.expm1(-b * screened)

    def neg_loglik(log_b: float) -> float:
        b = 10.0 ** log_b
        return -(r * math.log(a_for(b)) - b * total_x - r)

    best = minimize_scalar(neg_loglik, bounds=LOG_B_RANGE, method="bounded",
                           options={"xatol": 1e-3})
    log_b = float(best.x)
    if slack != 0:
        limit = float(best.fun) + (LIKELIHOOD_SLACK if slack is None else slack)
        lo, hi = LOG_B_RANGE[0], log_b
        if neg_loglik(lo) <= limit:
            hi = lo
        else:  # bisect for the interval's lower end: neg_loglik(lo) > limit >= neg_loglik(hi)
            for _ in range(40):
                mid = (lo + hi) / 2
                if neg_loglik(mid) > limit:
                    lo = mid
                else:
                    hi = mid
        log_b = hi
    b = 10.0 ** log_b
    return RateFit(a=a_for(b), b=b)


@dataclass(frozen=True)
class StopAdvice:
    """Where a screen stands and whether to stop.

    Attributes
    ----------
    stop : bool
        Whether the lower bound on recall reached the target.
    target : float
        The target recall.
    screened, found, remaining : int
        Rows screened, relevant rows among them, rows not yet screened.
    unseen_estimate, unseen_upper : float or None
        Relevant rows expected among the unscreened ones, and the upper
        ``CONFIDENCE`` bound (``None`` while there is no estimate).
    recall_estimate, recall_low : float or None
        Recall so far, estimated and its lower bound.
    labels_needed : float or None
        Labels still expected before the estimated recall reaches the target
        (``None`` when unknown or beyond the pile).
    why_not : str
        Why there is no estimate yet, or why the advice is not to stop yet
        (empty when neither).
    shown : bool
        Whether the estimate is one to show: the method can support it
        (see the module's text); always when the advice is to stop.
    supported : bool
        Whether the screening order fits the method at all (``False``: there
        will be no estimate, see :func:`advise`'s ``unsupported``).
    """

    stop: bool
    target: float
    screened: int
    found: int
    remaining: int
    unseen_estimate: float | None = None
    unseen_upper: float | None = None
    recall_estimate: float | None = None
    recall_low: float | None = None
    labels_needed: float | None = None
    why_not: str = ""
    shown: bool = False
    supported: bool = True

    def message(self) -> str:
        """One line for the labeling screen: found so far; the relevant rows left
        and the recall, with their bounds, once they can be estimated."""
        head = f"{self.found} relevant found in {self.screened} screened"
        if not self.shown or self.unseen_upper is None or self.recall_low is None or \
                self.recall_estimate is None or self.unseen_estimate is None:
            if not self.supported:
                return (f"{head} ({self.remaining} unscreened); no estimate of the relevant "
                        f"left and no stopping advice ({self.why_not})")
            why = self.why_not or "the finds have not slowed down yet"
            return (f"{head} ({self.remaining} unscreened); no estimate of the relevant left "
                    f"yet ({why})")
        head += (f"; about {self.unseen_estimate:.1f} relevant left in {self.remaining} "
                 f"unscreened (at most {self.unseen_upper:.0f} at {100 * CONFIDENCE:.0f} % "
                 f"confidence): estimated recall {100 * self.recall_estimate:.0f} %, at least "
                 f"{100 * self.recall_low:.0f} %")
        if self.stop:
            return head + f" - the {100 * self.target:g} % recall target is reached: you may stop"
        if self.why_not:
            return f"{head}; keep screening ({self.why_not})"
        if self.labels_needed is None:
            return f"{head}; keep screening"
        if self.labels_needed <= 0:
            return (f"{head}; keep screening: the estimate has reached "
                    f"{100 * self.target:g} %, its lower bound not yet")
        more = counted(math.ceil(self.labels_needed), "more label")
        return (f"{head}; keep screening: about {more} "
                f"to an estimated {100 * self.target:g} %")


def advise(hits: np.ndarray, total: int, target: float = DEFAULT_TARGET,
           unsupported: str = "") -> StopAdvice:
    """Stopping advice after the screening decisions so far.

    Parameters
    ----------
    hits : ndarray of bool or int
        1 for each relevant row, in screening order (priors included).
    total : int
        Rows in the whole pile.
    target : float
        Target recall in (0, 1].
    unsupported : str
        Why the screening order does not fit the method (the query strategy's);
        when given, there is no estimate and the advice never says stop.

    Returns
    -------
    StopAdvice
    """
    hits = np.asarray(hits, dtype=bool)
    s = int(hits.size)
    positions = np.flatnonzero(hits)
    found = int(positions.size)
    remaining = max(total - s, 0)
    base = {"target": target, "screened": s, "found": found, "remaining": remaining}
    if remaining == 0:
        return StopAdvice(stop=found > 0, unseen_estimate=0.0, unseen_upper=0.0,
                          recall_estimate=1.0, recall_low=1.0, shown=True, **base)
    if unsupported:
        return StopAdvice(stop=False, why_not=unsupported, supported=False, **base)
    if found < MIN_FOUND or s < MIN_SCREENED:
        return StopAdvice(stop=False, why_not=f"needs {MIN_FOUND} relevant and "
                          f"{MIN_SCREENED} screened", **base)
    fit = fit_rate(positions, s)
    mu = fit.integral(s, total)
    upper = float(poisson.ppf(CONFIDENCE, mu))
    low = found / (found + upper)
    dry = s - 1 - int(positions[-1])
    need = math.ceil(target * (found + mu) - 1e-9) - found
    labels = 0.0 if need <= 0 else (
        fit.rows_for(s, need) if need < mu else None)
    why = "" if dry >= MIN_DRY else f"a relevant row in the last {MIN_DRY}"
    stop = low >= target and not why
    slowed = mu <= DECAY_SHARE * found / s * remaining
    return StopAdvice(stop=stop, unseen_estimate=mu, unseen_upper=upper,
                      recall_estimate=found / (found + mu), recall_low=low,
                      labels_needed=labels, why_not=why, shown=stop or (not why and slowed),
                      **base)


def first_stop(hits: np.ndarray, total: int, target: float = DEFAULT_TARGET) -> int:
    """How many rows are screened when the advice first says stop (``total`` if never).

    ``hits`` may end before ``total``: rows after it count as irrelevant (a
    simulation stops once every relevant row is found). The advice can only
    turn to stop on a row that is not relevant, after ``MIN_DRY`` of them, so
    only those points are checked.
    """
    hits = np.asarray(hits, dtype=bool)
    full = np.zeros(total, dtype=bool)
    full[: hits.size] = hits
    positions = np.flatnonzero(full)
    ends = np.append(positions[1:], total)
    for k, (pos, nxt) in enumerate(zip(positions, ends, strict=True)):
        if k + 1 < MIN_FOUND:
            continue
        # Between two finds the lower bound only rises with every dry row:
        # bisect for the first row past pos where the advice says stop.
        lo, hi = max(int(pos) + 1 + MIN_DRY, MIN_SCREENED), int(nxt)
        if lo > hi or not advise(full[:hi], total, target).stop:
            continue
        while lo < hi:
            mid = (lo + hi) // 2
            if advise(full[:mid], total, target).stop:
                hi = mid
            else:
                lo = mid + 1
        return lo
    return total
