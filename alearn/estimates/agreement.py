"""How far annotators agree: raw agreement, Cohen's κ, Fleiss' κ, Krippendorff's α,
each with a bootstrap interval, on a plain items × raters matrix of class codes.

Plain arrays in, plain data out (``alearn agreement`` reads the stores and draws the
tables). A missing answer (a row a person did not label, skipped or marked unsure)
is ``MISSING``; each figure uses the items it can:

* **raw agreement**: per item answered by two or more people, the share of pairs of
  their answers that agree, averaged over those items (for two people: the share of
  rows both labeled on which they agree);
* **Cohen's κ** (each pair): on the items both answered, ``(p_o - p_e) / (1 - p_e)``
  with chance agreement from each person's own class shares (as scikit-learn's
  ``cohen_kappa_score``);
* **Fleiss' κ**: on the items *every* person answered (it needs the same number of
  answers per item; items with a missing answer are left out, so it may rest on
  fewer items than the others), chance from the pooled class shares (as statsmodels'
  ``fleiss_kappa``);
* **Krippendorff's α** (nominal): on every item answered by two or more people,
  missing answers allowed (as the ``krippendorff`` package's ``alpha``);
* **each person against the consensus**: the consensus on an item is the majority
  answer of the *other* people (a tie, or no other answer: no consensus), so a person
  is never compared with themselves; their agreement and Cohen's κ with it. With two
  people the consensus is the other person.

Every figure is a function of sums over items, so its interval re-weights per-item
parts. It is a Bayesian bootstrap (Rubin 1981: row weights from a flat Dirichlet)
with a prior of :data:`PRIOR_ROWS` row of chance agreement (each person's answers
paired at random with the others'), read at the expanded percentile level
(:func:`expanded_level`). On few rows the plain bootstrap fails: when every
sampled row agrees it gives the interval [1, 1]; the prior keeps the chance that
the next rows disagree, and the expansion undoes the bootstrap's narrowness on few
rows. On the shared random rows of simulated sessions the 95 % interval holds the
pool's κ in the share ``bench/agreement.py`` prints (docs/teams.md). Draws come
from the seed's :data:`~alearn.seeds.Stream.AGREEMENT` stream. A figure that is
undefined (no items, or no chance variation: every answer one class) is ``None``;
on one row it has no interval. The formulas are checked against scikit-learn,
statsmodels and ``krippendorff`` in ``tests/estimates/test_agreement.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from scipy.special import ndtr

from alearn.seeds import Stream, stream

MISSING = -1
# Agreement intervals are 95 %, as reviews report κ (bench/agreement.py measures
# how often they hold the pool's κ).
LEVEL = 0.95
RESAMPLES = 2000
# The prior's weight, in rows: half a row of chance agreement (bench/agreement.py).
PRIOR_ROWS = 0.5
# Shuffles of each rater's answers that make the chance row.
CHANCE_DRAWS = 20
# Entries of one block of draws (draws x rows): bounds memory.
_BLOCK = 4_000_000


@dataclass(frozen=True)
class Figure:
    """One agreement figure with its bootstrap interval.

    Attributes
    ----------
    value : float or None
        ``None`` when undefined on these items.
    low, high : float or None
        The interval (:data:`LEVEL`); ``None`` with the value, or when no resample
        defines it.
    items : int
        Items it was computed on.
    """

    value: float | None
    low: float | None
    high: float | None
    items: int


@dataclass(frozen=True)
class PairAgreement:
    """Two raters on the items both answered.

    Attributes
    ----------
    first, second : int
        Rater columns of the matrix.
    agreement, kappa : Figure
        Share of items they agree on; Cohen's κ.
    confusion : ndarray of int
        Classes × classes counts: rows the first rater's answer, columns the second's.
    """

    first: int
    second: int
    agreement: Figure
    kappa: Figure
    confusion: np.ndarray


@dataclass(frozen=True)
class ConsensusAgreement:
    """One rater against the majority answer of the others.

    Attributes
    ----------
    rater : int
    agreement, kappa : Figure
    """

    rater: int
    agreement: Figure
    kappa: Figure


@dataclass
class Agreement:
    """Every figure for one items × raters matrix.

    Attributes
    ----------
    items : int
        Items answered by two or more raters (the others carry no agreement).
    complete : int
        Items answered by every rater (Fleiss' κ uses these only).
    agreement, fleiss, alpha : Figure
        Raw agreement, Fleiss' κ, Krippendorff's α.
    pairs : list of PairAgreement
    consensus : list of ConsensusAgreement
    level : float
    """

    items: int
    complete: int
    agreement: Figure
    fleiss: Figure
    alpha: Figure
    pairs: list[PairAgreement] = field(default_factory=list)
    consensus: list[ConsensusAgreement] = field(default_factory=list)
    level: float = LEVEL


# -- the figures as functions of sums over items ----------------------------------
@dataclass(frozen=True)
class _Additive:
    """A figure ``value(parts.sum(axis=0))``: per-item parts (items × d) and the
    function of their sums (vectorised over leading axes, NaN when undefined)."""

    parts: np.ndarray
    value: Callable[[np.ndarray], np.ndarray]
    items: int


def class_counts(codes: np.ndarray, n_classes: int) -> np.ndarray:
    """Items × classes: how many raters gave each class to each item."""
    counts = np.zeros((codes.shape[0], n_classes))
    for column in codes.T:
        answered = np.flatnonzero(column != MISSING)
        np.add.at(counts, (answered, column[answered]), 1)
    return counts


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)


def _pair_parts(x: np.ndarray, y: np.ndarray, k: int) -> _Additive:
    """Cohen's κ of two columns: each item both answered adds one to its confusion cell."""
    both = (x != MISSING) & (y != MISSING)
    parts = np.zeros((x.size, k * k))
    parts[np.flatnonzero(both), x[both] * k + y[both]] = 1

    def kappa(sums: np.ndarray) -> np.ndarray:
        table = sums.reshape((*sums.shape[:-1], k, k))
        n = table.sum(axis=(-2, -1))
        observed = np.trace(table, axis1=-2, axis2=-1)
        chance = np.sum(table.sum(axis=-1) * table.sum(axis=-2), axis=-1)
        # (p_o - p_e) / (1 - p_e) with both shares over n, multiplied through by n².
        return _ratio(n * observed - chance, n * n - chance)

    return _Additive(parts, kappa, int(both.sum()))


def _pair_agreement(pair: _Additive, k: int) -> _Additive:
    """The share of items both answered on which two raters agree (from the same parts)."""
    diagonal = np.arange(k) * (k + 1)

    def share(sums: np.ndarray) -> np.ndarray:
        return _ratio(sums[..., diagonal].sum(axis=-1), sums.sum(axis=-1))

    return _Additive(pair.parts, share, pair.items)


def _raw_parts(counts: np.ndarray) -> _Additive:
    """Raw agreement: per item with m >= 2 answers, the share of agreeing pairs."""
    m = counts.sum(axis=1)
    rated = m >= 2
    parts = np.zeros((counts.shape[0], 2))
    parts[rated, 0] = 1
    parts[rated, 1] = ((counts[rated] ** 2).sum(axis=1) - m[rated]) / (m[rated] * (m[rated] - 1))
    return _Additive(parts, lambda s: _ratio(s[..., 1], s[..., 0]), int(rated.sum()))


def _fleiss_parts(counts: np.ndarray, raters: int) -> _Additive:
    """Fleiss' κ on the items every rater answered: each adds its share of agreeing
    pairs and its class counts."""
    complete = counts.sum(axis=1) == raters
    k = counts.shape[1]
    parts = np.zeros((counts.shape[0], 1 + k))
    if raters >= 2:
        c = counts[complete]
        parts[complete, 0] = ((c ** 2).sum(axis=1) - raters) / (raters * (raters - 1))
        parts[complete, 1:] = c

    def kappa(sums: np.ndarray) -> np.ndarray:
        total = sums[..., 1:].sum(axis=-1)
        items = total / raters
        observed = _ratio(sums[..., 0], items)
        chance = _ratio((sums[..., 1:] ** 2).sum(axis=-1), total * total)
        return _ratio(observed - chance, 1 - chance)

    return _Additive(parts, kappa, int(complete.sum()) if raters >= 2 else 0)


def _alpha_parts(counts: np.ndarray) -> _Additive:
    """Krippendorff's nominal α: each item with m >= 2 answers adds its coincidences,
    ``n_c n_k / (m - 1)`` for c != k and ``n_c (n_c - 1) / (m - 1)`` for c == k."""
    m = counts.sum(axis=1)
    rated = m >= 2
    k = counts.shape[1]
    c = counts[rated]
    coincidences = (c[:, :, None] * c[:, None, :] - np.eye(k) * c[:, None, :]) \
        / (m[rated] - 1)[:, None, None]
    parts = np.zeros((counts.shape[0], k * k))
    parts[rated] = coincidences.reshape(-1, k * k)

    def alpha(sums: np.ndarray) -> np.ndarray:
        table = sums.reshape((*sums.shape[:-1], k, k))
        per_class = table.sum(axis=-1)
        n = per_class.sum(axis=-1)
        disagree = n - np.trace(table, axis1=-2, axis2=-1)
        expected = n * n - (per_class ** 2).sum(axis=-1)
        return 1 - _ratio((n - 1) * disagree, expected)

    return _Additive(parts, alpha, int(rated.sum()))


def consensus_of_others(codes: np.ndarray, rater: int, n_classes: int) -> np.ndarray:
    """Per item, the majority answer of every rater but ``rater``; :data:`MISSING` on a
    tie or when no other rater answered."""
    others = class_counts(np.delete(codes, rater, axis=1), n_classes)
    top = others.max(axis=1)
    winners = (others == top[:, None]).sum(axis=1)
    return np.where((top > 0) & (winners == 1), others.argmax(axis=1), MISSING)


# -- the intervals ------------------------------------------------------------------
def _additives(codes: np.ndarray, n_classes: int) -> list[_Additive]:
    """Every figure of ``codes`` as per-row parts: raw agreement, Fleiss' κ, α, then
    per pair its agreement and κ, then per rater its agreement and κ with the others'
    majority."""
    raters = codes.shape[1]
    counts = class_counts(codes, n_classes)
    out = [_raw_parts(counts), _fleiss_parts(counts, raters), _alpha_parts(counts)]
    for a, b in combinations(range(raters), 2):
        kappa = _pair_parts(codes[:, a], codes[:, b], n_classes)
        out += [_pair_agreement(kappa, n_classes), kappa]
    for rater in range(raters):
        kappa = _pair_parts(codes[:, rater], consensus_of_others(codes, rater, n_classes),
                            n_classes)
        out += [_pair_agreement(kappa, n_classes), kappa]
    return out


def chance_rows(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rows of answers given by chance: each rater's answers (missing ones too) paired
    at random with the others', :data:`CHANCE_DRAWS` shuffles of every column."""
    return np.concatenate([np.stack([rng.permutation(column) for column in codes.T], axis=1)
                           for _ in range(CHANCE_DRAWS)])


def expanded_level(level: float, rows: int) -> float:
    """The level whose normal quantile is ``sqrt(n / (n - 1))`` times Student's t with
    ``n - 1`` degrees of freedom at ``level``: the expanded percentile interval
    (Hesterberg 2015), which undoes a resampling distribution's narrowness on few rows
    and tends to ``level`` as rows grow."""
    from scipy.stats import t as student_t

    z = np.sqrt(rows / (rows - 1)) * float(student_t.ppf((1 + level) / 2, rows - 1))
    return float(1 - 2 * ndtr(-z))


def _resampled(figures: list[_Additive], chance: list[_Additive], rng: np.random.Generator,
               resamples: int) -> list[np.ndarray]:
    """Each figure on ``resamples`` draws of the Bayesian bootstrap with a chance prior:
    row weights from a Dirichlet with 1 per row and :data:`PRIOR_ROWS` for the mean
    chance row (one set of weights for every figure of the matrix)."""
    n = figures[0].parts.shape[0]
    parts = np.concatenate([f.parts for f in figures], axis=1)
    prior = np.concatenate([c.parts.mean(axis=0) for c in chance])
    bounds = np.cumsum([0, *(f.parts.shape[1] for f in figures)])
    block = max(1, _BLOCK // max(1, n))
    out: list[list[np.ndarray]] = [[] for _ in figures]
    for start in range(0, resamples, block):
        size = min(block, resamples - start)
        # Dirichlet weights as normalised gamma draws (exponential for weight 1).
        rows = rng.standard_exponential((size, n))
        extra = rng.standard_gamma(PRIOR_ROWS, size)
        total = rows.sum(axis=1) + extra
        sums = n * (rows @ parts + extra[:, None] * prior) / total[:, None]
        for j, figure in enumerate(figures):
            out[j].append(figure.value(sums[:, bounds[j]:bounds[j + 1]]))
    return [np.concatenate(values) for values in out]


def _figures(codes: np.ndarray, n_classes: int, seed: int, key: int, level: float,
             resamples: int) -> list[Figure]:
    """Each figure's value and interval, resampled together."""
    additives = _additives(codes, n_classes)
    replicates: list[np.ndarray] = [np.empty(0) for _ in additives]
    if codes.shape[0]:
        rng = stream(seed, Stream.AGREEMENT, key)
        chance = _additives(chance_rows(codes, rng), n_classes)
        replicates = _resampled(additives, chance, rng, resamples)
    out = []
    for figure, resampled in zip(additives, replicates, strict=True):
        value = float(figure.value(figure.parts.sum(axis=0)))
        if not np.isfinite(value):
            out.append(Figure(None, None, None, figure.items))
            continue
        finite = resampled[np.isfinite(resampled)]
        if figure.items < 2 or finite.size == 0:
            out.append(Figure(value, None, None, figure.items))
            continue
        wide = expanded_level(level, figure.items)
        low, high = np.percentile(finite, [50 * (1 - wide), 50 * (1 + wide)])
        out.append(Figure(value, float(low), float(high), figure.items))
    return out


def agreement(codes: np.ndarray, n_classes: int, seed: int = 0, *, key: int = 0,
              level: float = LEVEL, resamples: int = RESAMPLES) -> Agreement:
    """Every agreement figure of an items × raters matrix of class codes.

    Parameters
    ----------
    codes : ndarray of int, shape (items, raters)
        Class codes ``0 .. n_classes - 1``, :data:`MISSING` for no answer.
    n_classes : int
    seed : int
        Seeds the intervals (:data:`~alearn.seeds.Stream.AGREEMENT`).
    key : int
        Keys the draws further (one matrix's draws never repeat another's).
    level : float
        Of the intervals.
    resamples : int
        Draws of the Bayesian bootstrap.

    Returns
    -------
    Agreement
    """
    codes = np.asarray(codes, dtype=int)
    raters = codes.shape[1]
    figures = _figures(codes, n_classes, seed, key, level, resamples)
    complete = int(((codes != MISSING).sum(axis=1) == raters).sum()) if raters >= 2 else 0
    found = Agreement(items=int(((codes != MISSING).sum(axis=1) >= 2).sum()),
                      complete=complete, agreement=figures[0], fleiss=figures[1],
                      alpha=figures[2], level=level)
    rest = iter(figures[3:])
    for a, b in combinations(range(raters), 2):
        both = (codes[:, a] != MISSING) & (codes[:, b] != MISSING)
        confusion = np.zeros((n_classes, n_classes), dtype=int)
        np.add.at(confusion, (codes[both, a], codes[both, b]), 1)
        found.pairs.append(PairAgreement(a, b, next(rest), next(rest), confusion))
    for rater in range(raters):
        found.consensus.append(ConsensusAgreement(rater, next(rest), next(rest)))
    return found
