"""Audit labels: a share of a session's labels drawn at random, to measure accuracy honestly.

Rows chosen by active learning are not a sample of the data: a model's
accuracy on them (cross-validated or not) says little about its accuracy on
the rest, in either direction. So every ``every``-th label a class session
asks for is an *audit* row, drawn uniformly at random from the rows not yet
labeled or skipped; the accuracy shown is measured on those rows only
(:func:`alearn.estimates.accuracy.audit_estimate`). ``bench/session_estimates.py``
measures the estimate and what the audit rows cost in label efficiency.

The draw is a fixed random order over the rows (a key per row from the seed's
:data:`~alearn.seeds.Stream.AUDIT` stream): the audit row is the eligible row
with the smallest key, which is uniform over the eligible rows whatever was
labeled before, and a pure function of the session's state, so replaying the
journal gives the same audit rows. The journal marks each audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alearn.seeds import Stream, stream

if TYPE_CHECKING:
    from alearn.engine.learner import Learner

# Every AUDIT_EVERY-th label is an audit label (measured: bench/session_estimates.py).
AUDIT_EVERY = 4


def audit_keys(seed: int, n: int) -> np.ndarray:
    """The random order audit rows are drawn in: one key per row, smallest first."""
    return stream(seed, Stream.AUDIT).random(n)


def audit_turn(given: int, every: int) -> bool:
    """Whether the next label (the ``given + 1``-th of the store) is an audit label."""
    return every > 0 and (given + 1) % every == 0


def next_row(learner: Learner, given: int, every: int,
             keys: np.ndarray) -> tuple[int | None, bool]:
    """The row to ask for next and whether it is an audit row.

    Parameters
    ----------
    learner : Learner
        The session's learner (its ``eligible`` rows may be suggested).
    given : int
        Labels given so far (in this store; labels from the data not counted).
    every : int
        Every ``every``-th label is an audit label; 0: none.
    keys : ndarray of float
        :func:`audit_keys` of the session.

    Returns
    -------
    (int or None, bool)
        The row (``None`` when none is left) and whether it is an audit row.
        With the ``random`` strategy every row is drawn at random, so every
        label is an audit label and the strategy's own order is kept.
    """
    if learner.strategy == "random":
        rows = learner.suggest(1)
        return (int(rows[0]), every > 0) if rows.size else (None, False)
    if audit_turn(given, every):
        eligible = np.flatnonzero(learner.eligible)
        if eligible.size == 0:
            return None, False
        return int(eligible[np.argmin(keys[eligible])]), True
    rows = learner.suggest(1)
    return (int(rows[0]), False) if rows.size else (None, False)


def shared_random_rows(keys: np.ndarray, audited: np.ndarray, pool: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """The rows every rater's audit reached: a uniform random sample of the pool.

    Sessions draw each audit row as the unanswered pool row with the smallest key
    (:func:`next_row`), so a rater whose latest audit row has
    key ``k`` answered every pool row with a key up to ``k`` (by audit or by their
    model). The pool rows with a key up to the smallest such ``k`` are a prefix of
    a random order of the pool, reached by everyone.

    Parameters
    ----------
    keys : ndarray of float, shape (rows,)
        :func:`audit_keys` of the sessions' seed.
    audited : ndarray of bool, shape (rows, raters)
        The row was answered (labeled, skipped) as an audit row by the rater.
    pool : ndarray of bool, shape (rows,)
        Rows the sessions could draw (not labeled in the data itself).

    Returns
    -------
    (ndarray of int, ndarray of float)
        The rows, in key order, and each rater's frontier (the key of their
        latest audit row; ``-inf`` for a rater with none, which leaves no row).
    """
    frontier = np.array([keys[column].max() if column.any() else -np.inf
                         for column in np.asarray(audited, dtype=bool).T])
    limit = frontier.min() if frontier.size else -np.inf
    rows = np.flatnonzero((keys <= limit) & pool)
    return rows[np.argsort(keys[rows], kind="stable")], frontier
