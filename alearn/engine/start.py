"""Cold start: choosing the first labels before any model exists.

The start methods are listed once, in :data:`STARTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alearn.registry import Registry

if TYPE_CHECKING:
    import numpy as np

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
    import numpy as np
    from sklearn.cluster import KMeans  # on first use: listing the starts stays cheap
    from sklearn.metrics import pairwise_distances
    from threadpoolctl import threadpool_limits

    n = X.shape[0]
    k = min(k, n)
    sample = np.sort(rng.choice(n, size=KMEANS_SAMPLE, replace=False)) if n > KMEANS_SAMPLE \
        else np.arange(n)
    Xs = X[sample]
    # One thread: the centres' sums then do not depend on the machine's core
    # count (they differ in the last bits), and OpenMP does not spin on a busy
    # machine (seconds instead of a fraction of one). Simulations run so already.
    with threadpool_limits(1):
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
    extra = rng.choice(np.setdiff1d(np.arange(n), chosen), size=k - len(chosen),
                       replace=False) if len(chosen) < k else []
    return np.asarray(chosen + [int(e) for e in extra], dtype=int)


def random_start(X: object, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` distinct rows drawn uniformly at random."""
    n = X.shape[0]
    return rng.choice(n, size=min(k, n), replace=False).astype(int)


def priors_start(X: object, k: int, rng: np.random.Generator) -> np.ndarray:
    """No rows: the start is the labels given up front (in a simulation, one random
    relevant and one random irrelevant row)."""
    import numpy as np

    return np.empty(0, dtype=int)


@dataclass(frozen=True)
class StartMethod:
    """A named way to choose the first ``k`` rows: ``choose(X, k, rng)``."""

    name: str
    help: str
    choose: Callable[[object, int, np.random.Generator], np.ndarray]
    kinds: tuple[str, ...]


STARTS: Registry[StartMethod] = Registry("start", [
    StartMethod("kmeans", "rows nearest the centres of k-means clusters (default)",
                kmeans_start, kinds=("classify", "screen")),
    StartMethod("random", "rows drawn uniformly at random", random_start,
                kinds=("classify", "screen")),
    StartMethod("priors", "the labels given up front (screening's convention)", priors_start,
                kinds=("screen",)),
])


def starts_for(kind: str) -> Registry[StartMethod]:
    """The start methods tasks of ``kind`` accept."""
    return STARTS.subset([s.name for s in STARTS.values() if kind in s.kinds])


def choose_start(method: str, X: object, k: int, rng: np.random.Generator) -> np.ndarray:
    """Choose the first ``k`` rows to label with the named method (see :data:`STARTS`)."""
    return STARTS.get(method).choose(X, k, rng)


def farthest_row(X: object, labeled: np.ndarray, eligible: np.ndarray,
                 rng: np.random.Generator) -> int:
    """The eligible row farthest from every labeled row (a diversity fallback).

    Used while only one class has been seen: no classifier can be fit yet, and
    the row least like anything labeled is the likeliest to show a new class.
    """
    import numpy as np
    from sklearn.metrics import pairwise_distances_argmin_min

    rows = np.flatnonzero(eligible)
    if rows.size > FARTHEST_SAMPLE:
        rows = np.sort(rng.choice(rows, size=FARTHEST_SAMPLE, replace=False))
    done = np.flatnonzero(labeled)
    if done.size == 0:
        return int(rows[rng.integers(rows.size)])
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # OpenMP threads spin on a busy machine (tenths of a second)
        _, nearest = pairwise_distances_argmin_min(X[rows], X[done])
    return int(rows[int(np.argmax(nearest))])

