"""The notes a labeling screen shows with the first row, as plain data.

A wide file can leave out many columns for the same reason (arrhythmia: 17
constant columns): one note each would push the row off the screen, so the
columns left out for one reason make one :class:`Note` that names them all,
and the screen shows as many names as fit (``?`` lists every one).
"""

from __future__ import annotations

from dataclasses import dataclass

from alearn.data.dataset import Dataset


@dataclass(frozen=True)
class Note:
    """One note: a sentence, or the columns left out for one reason.

    Attributes
    ----------
    text : str
        The sentence (a single note), or what the columns share:
        ``"17 columns left out (constant)"``. A session labels one file, so
        its name is not repeated.
    columns : tuple of str
        The columns a grouped note stands for (empty for a single note).
    """

    text: str
    columns: tuple[str, ...] = ()

    def full(self) -> str:
        """The whole note, every column named."""
        if not self.columns:
            return self.text
        return f"{self.text}: {', '.join(self.columns)}"


def screen_notes(data: Dataset) -> list[Note]:
    """The notes on ``data`` (how the file was read, columns left out of the
    features, text columns), the columns left out for the same reason grouped into
    one note.

    Parameters
    ----------
    data : Dataset
        As the session shows it (notes naming a hidden column already removed).

    Returns
    -------
    list of Note
        In the order of :meth:`Dataset.notices <alearn.data.dataset.Dataset.notices>`:
        a reason where its first column was.
    """
    notes = [Note(note) for note in data.read_notes]  # how the file was read
    by_reason: dict[str, list[str]] = {}
    for column, why in data.dropped.items():
        by_reason.setdefault(why, []).append(str(column))
    for why, columns in by_reason.items():
        if len(columns) == 1:
            notes.append(Note(f"column {columns[0]!r} left out ({why})"))
        else:
            notes.append(Note(f"{len(columns)} columns left out ({why})", tuple(columns)))
    notes.extend(Note(note) for note in data.text_notes)
    return notes
