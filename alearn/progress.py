"""Progress of the long steps of opening a session (reading a big file, typing its
columns, the row ids, the cold start), as plain events.

The library calls a :data:`Report` with a :class:`Phase`; only ``alearn/render``
draws them. A phase is reported when it starts (``done`` 0) and may be reported
again as it advances; the next phase's start ends it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    """One step of a long operation, and how far it is.

    Attributes
    ----------
    name : str
        What is being done, e.g. ``"reading data.csv"``.
    done, total : float or None
        How far (in ``unit``); ``None`` when the step cannot tell.
    unit : str
        ``"bytes"``, ``"columns"``, ``"rows"`` or ``""``.
    """

    name: str
    done: float | None = None
    total: float | None = None
    unit: str = ""


Report = Callable[[Phase], None]


def silent(phase: Phase) -> None:
    """A :data:`Report` that shows nothing (the default)."""
