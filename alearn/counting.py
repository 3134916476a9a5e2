"""Counts in words: ``counted(1, "label")`` is "1 label", ``counted(3, "label")`` "3 labels".

Every message that puts a number before a noun goes through :func:`counted`, so
no screen, file or error says "1 labels".
"""

from __future__ import annotations


def plural(n: float, noun: str, many: str | None = None) -> str:
    """``noun`` for one, else its plural (``many``, default ``noun + "s"``).

    Parameters
    ----------
    n : int or float
        The count the noun follows.
    noun : str
        The singular; may be several words ("audit label": only the last changes).
    many : str, optional
        The plural when it is not ``noun + "s"`` ("leaf" -> "leaves").

    Returns
    -------
    str
    """
    return noun if n == 1 else (many if many is not None else f"{noun}s")


def counted(n: float, noun: str, many: str | None = None, *, thousands: bool = False) -> str:
    """``"<n> <noun>"`` with the noun singular for one: ``counted(1, "row")`` -> "1 row".

    Parameters
    ----------
    n : int or float
    noun, many : str
        As :func:`plural`.
    thousands : bool
        Group the digits (``1,204 rows``).

    Returns
    -------
    str
    """
    shown = f"{n:,}" if thousands else f"{n}"
    return f"{shown} {plural(n, noun, many)}"
