"""What an acquirer is: it chooses which rows of an optimize task to measure next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


# Rows every acquirer measures first, chosen before any goal value is known.
START = 4


class Acquirer(Protocol):
    """Chooses which rows to measure. ``next`` must depend only on its arguments
    and the acquirer's seed, so a labeling session can replay it."""

    def start(self, k: int) -> list[int]:
        """The first ``k`` rows to measure, before any goal value is known."""
        ...

    def next(self, labeled: list[int], y: np.ndarray, eligible: np.ndarray,
             pending: Sequence[int] = ()) -> int:
        """The next row, given measured rows, their labeled-only d2h and eligible rows.

        ``pending`` are rows chosen but still being measured (parallel
        measurement; never eligible): an acquirer that models the goals should
        choose away from them."""
        ...


@dataclass(frozen=True)
class AcquirerStrategy:
    """A named optimize strategy: ``make(X, seed)`` builds its acquirer over encoded rows."""

    name: str
    help: str
    make: Callable[[np.ndarray, int], Acquirer]
    start_rows: str = "drawn at random"
    """How its :meth:`Acquirer.start` rows are chosen, in words for the session screen."""
