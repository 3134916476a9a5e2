"""The goal codec: how an optimize session's measured goal values are kept in the journal.

A label event of a measuring session holds its goal values as a JSON object
(goal name -> number); the store's settings list the goal columns.
"""

from __future__ import annotations

import json

from alearn.errors import StoreError
from alearn.journal.events import StoreMeta
from alearn.journal.store import MEASURED


def encode_goals(values: dict[str, float]) -> str:
    """The value of an optimize label event: goal name -> number, as JSON."""
    return json.dumps({k: float(v) for k, v in values.items()}, allow_nan=False)


def decode_goals(value: str | None, goals: list[str]) -> list[float]:
    """The goal values of an optimize label event, in ``goals`` order.

    Raises
    ------
    StoreError
        The value is not a JSON object holding a number for every goal.
    """
    try:
        raw = json.loads(value) if value is not None else None
        return [float(raw[g]) for g in goals]  # type: ignore[index]
    except (ValueError, TypeError, KeyError):
        raise StoreError(f"a label event holds {value!r}, not a number for each goal of "
                         f"{', '.join(goals)}") from None


def store_goals(meta: StoreMeta) -> list[str] | None:
    """The goal columns of an optimize session's store (``None`` for classification)."""
    if meta.settings.get("kind") != MEASURED:
        return None
    # Stored as [name, direction] pairs: JSON objects are saved with sorted keys.
    return [str(pair[0]) for pair in meta.settings.get("goals") or []]
