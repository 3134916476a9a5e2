"""The simulated person of a classify run: the known labels, answered with mistakes.

With ``label_noise = p`` each answer is, with probability ``p``, a wrong class
drawn uniformly from the others. The draws come from the seed's own stream
(:data:`alearn.seeds.Stream.NOISE`) keyed by the row and by how many times the
row has been asked, so every answer is independent of the others, and the
same row asked by two strategies (or by the runs with and without rechecks)
gets the same answer: the comparisons stay paired.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from alearn.seeds import Stream, stream


class Person:
    """Answers rows of a pool from their true labels, wrong with probability ``noise``.

    Parameters
    ----------
    truth : ndarray of str
        The pool's true labels; read one row at a time, only when asked.
    classes : ndarray of str
        Every class (a wrong answer is one of the others).
    noise : float
        The chance of a wrong answer, in [0, 1).
    seed : int
    """

    def __init__(self, truth: np.ndarray, classes: np.ndarray, noise: float,
                 seed: int) -> None:
        self.truth = truth
        self.classes = [str(c) for c in classes]
        self.noise = noise
        self.seed = seed
        self.asked: Counter[int] = Counter()

    def answer(self, row: int) -> str:
        """The label the person gives ``row`` this time (each call is one more answer)."""
        row = int(row)
        attempt = self.asked[row]
        self.asked[row] += 1
        true = self.truth[row]
        if self.noise <= 0:
            return true
        rng = stream(self.seed, Stream.NOISE, row, attempt)
        if rng.random() >= self.noise:
            return true
        others = [c for c in self.classes if c != str(true)]
        return others[int(rng.integers(len(others)))]
