"""Column names as a file writes them, made unique the same way by every reader.

Spreadsheet exports and some MOOT files repeat a name (``FEATURE`` ten times).
The first copy keeps its name and later ones get ``.2``, ``.3``... (a suffix
already used by another column is skipped), so a ``task.toml`` can name each
one; a blank name becomes pandas' ``Unnamed: N``. The header peek and the full
read both call :func:`unique_names`, so they agree.
"""

from __future__ import annotations

from collections.abc import Sequence

# Copies of one name listed one by one in the note; more are shown as a range.
LISTED_COPIES = 3


def unique_names(raw: Sequence[object]) -> tuple[list[str], dict[str, list[str]]]:
    """Stripped, unique column names.

    Parameters
    ----------
    raw : sequence
        The header cells as read (``None`` or NaN for a blank cell).

    Returns
    -------
    (list of str, dict)
        The names, and each repeated name -> the names its later copies got.
    """
    names = [_cell(cell) or f"Unnamed: {k}" for k, cell in enumerate(raw)]
    taken = set(names)
    seen: dict[str, int] = {}
    out: list[str] = []
    renamed: dict[str, list[str]] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            out.append(name)
            continue
        copy = seen[name]
        while f"{name}.{copy}" in taken:
            copy += 1
        new = f"{name}.{copy}"
        taken.add(new)
        out.append(new)
        renamed.setdefault(name, []).append(new)
    return out, renamed


def renamed_note(renamed: dict[str, list[str]]) -> str | None:
    """One line saying which repeated names were renamed to what (``None``: none were)."""
    if not renamed:
        return None
    parts = []
    for name, copies in renamed.items():
        shown = (", ".join(repr(c) for c in copies) if len(copies) <= LISTED_COPIES
                 else f"{copies[0]!r} ... {copies[-1]!r} ({len(copies)} copies)")
        parts.append(f"{name!r} -> {shown}")
    return ("repeated column names: the later copies are renamed " + "; ".join(parts)
            + " (the first keeps its name; a task.toml uses the new names)")


def _cell(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and cell != cell):  # NaN: a blank cell
        return ""
    return str(cell).strip()
