"""Cold start: choosing the first labels before any model exists."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances, pairwise_distances_argmin_min

from alearn.errors import ConfigError

START_METHODS = ("kmeans", "random")
# Cluster at most this many pool rows: medoids of a sample are as good a start
# and keep the start fast on million-row pools.
KMEANS_SAMPLE = 20_000
# Rows scored when looking for the row farthest from what is labeled.
FARTHEST_SAMPLE = 5_000


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31 - 1))


def kmeans_start(X: object, k: int, rng: np.random.Generator) -> np.ndarray:
    """Rows nearest the centres of ``k`` k-means clusters of the pool.

    Parameters
    ----------
    X : array or sparse matrix of shape (n, d)
    k : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int
        ``min(k, n)`` distinct row indices, largest cluster first.
    """
    n = X.shape[0]
    k = min(k, n)
    sample = np.sort(rng.choice(n, size=KMEANS_SAMPLE, replace=False)) if n > KMEANS_SAMPLE \
        else np.arange(n)
    Xs = X[sample]
    km = KMeans(n_clusters=k, n_init=3, random_state=_seed(rng)).fit(Xs)
    sizes = np.bincount(km.labels_, minlength=k)
    chosen: list[int] = []
    for c in np.argsort(-sizes, kind="stable"):
        members = np.flatnonzero(km.labels_ == c)
        if members.size == 0:
            continue
        d = pairwise_distances(Xs[members], km.cluster_centers_[c:c + 1]).ravel()
        for m in members[np.argsort(d, kind="stable")]:
            if sample[m] not in chosen:
                chosen.append(int(sample[m]))
                break
    # Duplicate rows can leave fewer medoids than clusters: top up at random.
    rest = np.setdiff1d(np.arange(n), chosen)
    extra = rng.choice(rest, size=k - len(chosen), replace=False) if len(chosen) < k else []
    return np.asarray(chosen + [int(e) for e in extra], dtype=int)


def random_start(X: object, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` distinct rows drawn uniformly at random."""
    n = X.shape[0]
    return rng.choice(n, size=min(k, n), replace=False).astype(int)


def choose_start(method: str, X: object, k: int, rng: np.random.Generator) -> np.ndarray:
    """Choose the first ``k`` rows to label with the named method.

    ``priors`` (screening) chooses none: the start is the labels given up front
    (in a simulation, one random relevant and one random irrelevant row).
    """
    if method == "priors":
        return np.empty(0, dtype=int)
    if method == "kmeans":
        return kmeans_start(X, k, rng)
    if method == "random":
        return random_start(X, k, rng)
    raise ConfigError(f"start {method!r} is not known; expected one of {', '.join(START_METHODS)}")


def farthest_row(X: object, labeled: np.ndarray, eligible: np.ndarray,
                 rng: np.random.Generator) -> int:
    """The eligible row farthest from every labeled row (a diversity fallback).

    Used while only one class has been seen: no classifier can be fit yet, and
    the row least like anything labeled is the likeliest to show a new class.
    """
    rows = np.flatnonzero(eligible)
    if rows.size > FARTHEST_SAMPLE:
        rows = np.sort(rng.choice(rows, size=FARTHEST_SAMPLE, replace=False))
    done = np.flatnonzero(labeled)
    if done.size == 0:
        return int(rows[rng.integers(rows.size)])
    _, nearest = pairwise_distances_argmin_min(X[rows], X[done])
    return int(rows[int(np.argmax(nearest))])

