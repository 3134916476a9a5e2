"""Named random streams: every random choice in alearn comes from here.

A run's seed is split into independent sub-streams, one per use, so adding a
use of randomness never shifts another's draws and the same command and seed
give the same bytes. A stream is ``numpy.random.default_rng([seed, stream,
*keys])``; the numbers are fixed forever (stores and results depend on them).
"""

from __future__ import annotations

from enum import IntEnum, unique
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@unique  # two streams sharing a number would draw the same numbers
class Stream(IntEnum):
    """The sub-streams of a seed (the second entry of the generator's seed)."""

    TIEBREAK = 0  # the learner's keys for breaking utility ties; acquirers' start rows
    START = 1  # the cold start (k-means seeds, random start rows)
    FALLBACK = 2  # farthest-row picks while no model can be fitted
    CV = 3  # cross-validation folds of a session's accuracy estimate
    GOLD = 4  # the sample of gold rows a session scores on
    PRIORS = 5  # screening's prior rows and random order; replacements for skipped start rows
    AUDIT = 6  # the random order audit rows of a labeling session are drawn in
    PRESUMED = 7  # screening: the sample of unscreened rows a retrain presumes negative
    NOISE = 8  # a simulated person's wrong answers (label_noise), keyed by row and attempt
    AGREEMENT = 9  # the bootstrap resamples of agreement figures' intervals
    CHECK = 10  # screening: the random order a recall check draws unscreened rows in


def stream(seed: int, name: Stream, *keys: int) -> np.random.Generator:
    """The generator of sub-stream ``name`` of ``seed``, further keyed by ``keys``."""
    import numpy as np

    return np.random.default_rng([int(seed), int(name), *map(int, keys)])


def step(seed: int, n: int) -> np.random.Generator:
    """An acquirer's generator at step ``n`` (the number of rows measured so far).

    The published best-vs-rest method keys its draws by the step alone, so
    these overlap the named streams by design; they are only used by acquirers.
    """
    import numpy as np

    return np.random.default_rng([int(seed), int(n)])
