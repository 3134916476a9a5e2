"""Numbers in words: ``counted(1, "label")`` is "1 label", ``counted(3, "label")``
"3 labels"; ``signed(-0.0004, 2)`` is "+0.00", never "-0.00".

Every message that puts a number before a noun goes through :func:`counted`, so
no screen, file or error says "1 labels"; a signed change goes through :func:`signed`.
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


def signed(x: float, digits: int) -> str:
    """``x`` with its sign and ``digits`` decimals, never a negative zero: a change that
    rounds to nothing is ``+0.00``.

    Parameters
    ----------
    x : float
    digits : int

    Returns
    -------
    str
    """
    return f"{round(float(x), digits) + 0.0:+.{digits}f}"
