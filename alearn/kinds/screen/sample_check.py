"""A random-sample check of recall: how many unscreened records, drawn at random and all
irrelevant, show that recall reached the target.

For when the stopping advice's model does not hold (the ``uncertainty`` strategy),
or a reviewer who wants evidence that rests on no model of the ranking. The test
is the hypergeometric one of Callaghan & Müller-Hansen (2020, "Statistical
stopping criteria for automated screening in systematic reviews", the
``buscar`` method), applied to a true random sample:

* ``r`` relevant records were found in ranked screening, and ``U`` records are
  still unscreened when the check starts;
* the hypothesis to reject is *recall < target*. After a sample in which ``k``
  records are relevant, recall is ``(r + k) / (r + K)`` for ``K`` relevant records
  among the ``U``, so the hypothesis holds exactly when ``K >= K0``,
  ``K0 = floor((r + k) / target - r) + 1`` (:func:`fewest_missed`);
* ``n`` records drawn at random from the ``U`` hold ``k`` or fewer relevant ones with
  probability ``hypergeom.cdf(k, U, K0, n)`` when ``K = K0``, and less for a larger
  ``K``: that is the p-value (:func:`p_value`). Recall >= target is claimed when
  it is below ``1 - confidence``.

A store may run several checks (a failed one, more screening, another): each could
claim wrongly with its own chance, so the ``j``-th check of a store tests at
``alpha_j = (1 - confidence) * 6 / (pi^2 j^2)`` (:func:`check_alpha`; 0.030, 0.0076,
0.0034, ... for 95 %), which add up to ``1 - confidence`` however many are run: the
chance that any check of a store claims the target wrongly stays within it.

The check is planned before its first draw: :func:`sample_size` is the fewest draws
that, all irrelevant, give the claim. It ends at the first relevant draw (the
ranking missed relevant records: at its size the claim can no longer be made),
or when every planned draw was read and none was relevant (the claim).
Pure functions of counts; the session draws the records (:mod:`alearn.seeds`,
``Stream.CHECK``) and journals them (:mod:`alearn.session.sample_checks`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.stats import hypergeom

from alearn.counting import counted

CONFIDENCE = 0.95


def fewest_missed(found: int, target: float, relevant_drawn: int = 0) -> int:
    """The fewest relevant records the unscreened pile must hold for recall to be
    below ``target`` (``K0`` of the module's text), exact for decimal targets.

    Parameters
    ----------
    found : int
        Relevant records found before the check (``r``).
    target : float
        Target recall in (0, 1].
    relevant_drawn : int
        Relevant records among the draws (``k``).
    """
    t = Fraction(str(target))
    return math.floor((found + relevant_drawn) / t - found) + 1


def p_value(found: int, pile: int, drawn: int, relevant_drawn: int, target: float) -> float:
    """The probability of a sample at least this clean if recall were below ``target``.

    Parameters
    ----------
    found : int
        Relevant records found before the check.
    pile : int
        Unscreened records when the check started (the population drawn from).
    drawn : int
        Records drawn and read.
    relevant_drawn : int
        Relevant records among them.
    target : float

    Returns
    -------
    float
        0 when the pile is too small to hide ``K0`` relevant records.
    """
    missed = fewest_missed(found, target, relevant_drawn)
    if missed > pile:
        return 0.0
    return float(hypergeom.cdf(relevant_drawn, pile, missed, drawn))


def check_alpha(ordinal: int, confidence: float = CONFIDENCE) -> float:
    """The significance the ``ordinal``-th check of a store tests at (1, 2, ...): its
    share ``6 / (pi^2 ordinal^2)`` of ``1 - confidence`` (the shares add up to 1)."""
    return (1.0 - confidence) * 6.0 / (math.pi ** 2 * ordinal ** 2)


def sample_size(found: int, pile: int, target: float, confidence: float = CONFIDENCE,
                ordinal: int = 1) -> int:
    """The fewest random draws that, all irrelevant, show recall >= ``target``
    (for the ``ordinal``-th check of a store, at :func:`check_alpha`).

    The p-value of a clean sample only falls as it grows, so the size is found by
    bisection; at worst it is the whole pile (every record read).

    Parameters
    ----------
    found : int
        Relevant records found before the check.
    pile : int
        Unscreened records.
    target : float
    confidence : float

    Returns
    -------
    int
        0 when nothing is left to show (an empty pile, or one too small to hide
        enough relevant records for recall to be below the target).
    """
    alpha = check_alpha(ordinal, confidence)
    if pile <= 0 or p_value(found, pile, 0, 0, target) < alpha:
        return 0
    lo, hi = 1, pile
    while lo < hi:
        mid = (lo + hi) // 2
        if p_value(found, pile, mid, 0, target) < alpha:
            hi = mid
        else:
            lo = mid + 1
    return lo


@dataclass(frozen=True)
class SampleCheck:
    """One random-sample check: its plan, fixed when it started, and its draws so far.

    Attributes
    ----------
    start : int
        Records screened (ranked) when it started: its place in the screening order.
    found : int
        Relevant records found by then.
    pile : int
        Unscreened records then (the population its draws come from).
    target, confidence : float
    size : int
        Draws planned (:func:`sample_size`).
    drawn : int
        Draws read so far.
    relevant : int
        Relevant records among them.
    left : bool
        Screening went back to the ranking before the check ended.
    ordinal : int
        Which check of the store it is (1, 2, ...): it tests at :func:`check_alpha`.
    """

    start: int
    found: int
    pile: int
    target: float
    confidence: float
    size: int
    drawn: int = 0
    relevant: int = 0
    left: bool = False
    ordinal: int = 1

    @property
    def status(self) -> str:
        """``"claimed"`` (every planned draw read, none relevant), ``"failed"`` (a
        relevant draw), ``"left"`` or ``"running"``."""
        if self.relevant:
            return "failed"
        if self.drawn >= self.size:
            return "claimed"
        return "left" if self.left else "running"

    @property
    def p_value(self) -> float:
        """The p-value of the draws so far (:func:`p_value`)."""
        return p_value(self.found, self.pile, self.drawn, self.relevant, self.target)

    def record(self) -> dict[str, object]:
        """The check as JSON-ready data (for the stopping statement)."""
        return {"started_after_screened": self.start, "relevant_found_before": self.found,
                "unscreened_when_started": self.pile, "planned_draws": self.size,
                "drawn": self.drawn, "relevant_drawn": self.relevant, "status": self.status,
                "fewest_missed_if_below_target": fewest_missed(self.found, self.target,
                                                                self.relevant),
                "p_value": round(self.p_value, 6), "check_of_store": self.ordinal,
                "significance": round(check_alpha(self.ordinal, self.confidence), 6),
                "confidence": self.confidence,
                "target_recall": self.target}

    def message(self) -> str:
        """One line for the screen: where the check stands and what it means."""
        t, level = f"{100 * self.target:g} %", f"{100 * self.confidence:g} %"
        status = self.status
        if status == "claimed":
            return (f"random-sample check passed: {counted(self.drawn, 'record')} drawn at "
                    f"random from {self.pile} unscreened, none relevant (p = "
                    f"{self.p_value:.3f}): recall >= {t} at {level} confidence - you may stop")
        if status == "failed":
            missed = self.relevant * self.pile / max(self.drawn, 1)
            return (f"random-sample check stopped: draw {self.drawn} of {self.size} was "
                    f"relevant, so the ranking left relevant records unscreened (about "
                    f"{missed:.0f} among the {self.pile}, from this sample); recall >= {t} is "
                    "not shown. Keep screening (the find teaches the model), then check again")
        done = f"{self.drawn} of {self.size} read, none relevant so far"
        if status == "left":
            return f"random-sample check left at {done}"
        return (f"random-sample check: {done}; if all {self.size} are irrelevant, "
                f"recall >= {t} at {level} confidence")


def checks_in(relevant: np.ndarray, drawn: np.ndarray, total: int, target: float,
              confidence: float = CONFIDENCE) -> list[SampleCheck]:
    """The checks of a screening order: each run of random draws, split where a check
    ended (claimed or failed) and a new one began.

    Parameters
    ----------
    relevant : ndarray of bool
        Each screened record, in screening order: relevant or not.
    drawn : ndarray of bool
        Whether it was drawn at random by a check.
    total : int
        Records in the pile.
    target, confidence : float

    Returns
    -------
    list of SampleCheck
        In order; only the last may be ``"running"``.
    """
    relevant = np.asarray(relevant, dtype=bool)
    drawn = np.asarray(drawn, dtype=bool)
    checks: list[SampleCheck] = []
    open_: SampleCheck | None = None
    for i in range(relevant.size):
        if not drawn[i]:
            if open_ is not None:
                checks.append(SampleCheck(**{**open_.__dict__, "left": True}))
                open_ = None
            continue
        if open_ is None:
            found = int(relevant[:i].sum())
            ordinal = len(checks) + 1
            open_ = SampleCheck(start=i, found=found, pile=total - i, target=target,
                                confidence=confidence, ordinal=ordinal,
                                size=sample_size(found, total - i, target, confidence,
                                                 ordinal))
        open_ = SampleCheck(**{**open_.__dict__, "drawn": open_.drawn + 1,
                               "relevant": open_.relevant + int(relevant[i])})
        if open_.status != "running":
            checks.append(open_)
            open_ = None
    if open_ is not None:
        checks.append(open_)
    return checks
