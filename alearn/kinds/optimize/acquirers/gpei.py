"""Gaussian-process expected improvement: the default optimize strategy.

The model lives in :mod:`alearn.kinds.optimize.gp` and is imported when an
acquirer is first built, so listing the strategies stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.kinds.optimize.acquirers.base import Acquirer, AcquirerStrategy

if TYPE_CHECKING:
    import numpy as np


def make(X: np.ndarray, seed: int) -> Acquirer:
    """A GP-EI acquirer over encoded rows ``X``."""
    from alearn.kinds.optimize.gp import GPAcquirer

    return GPAcquirer(X, seed)


STRATEGY = AcquirerStrategy("gpei", "Gaussian-process expected improvement (default)", make,
                            start_rows="spread out by k-means++ seeding")
