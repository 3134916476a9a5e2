"""Going back to rows already answered: relabel, take back, mark unsure, note, history.

Mixed into :class:`~alearn.session.classes.ClassSession`. Every action is one
journal event (:mod:`alearn.journal.state` says what each means), committed
before the state changes; a change to a row answered earlier rebuilds the
learner from the journal, so the model is fitted again on the labels in force
and a resumed session is in the same state. ``undo`` undoes the last action,
whichever it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alearn.journal.state import HistoryEntry, history
from alearn.session.keystrokes import class_like, name_problem
from alearn.session.views import ClassStep

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from alearn.engine.recheck import Recheck
    from alearn.journal.events import Event
    from alearn.journal.state import JournalState

# What a revision did, in the words of a step's message and the history.
ACTION_WORDS = {"label": "label", "skip": "skip", "unlabel": "take back",
                "unsure": "unsure mark", "note": "note", "decide": "decision"}


class Revisions:
    """The revising half of a class session (see the module docstring).

    The session provides the journal (``journal``, ``_record``, ``_active``,
    ``_events``), its rows (``ids``, ``_positions``, ``position``), the classes, the
    current row (``_current_row``, ``_skip_current``) and ``_rebuild``.
    """

    ids: np.ndarray
    classes: list[str]
    open_classes: bool
    seed_rows: np.ndarray
    _active: list[Event]
    _events: list[Event]
    _positions: dict[str, int]
    _index: pd.Index
    _in_force: int
    _recheck_now: Recheck | None

    # -- the session's members this mixin calls (declared for readers) -------
    if TYPE_CHECKING:
        def journal(self) -> JournalState: ...
        def _current_row(self) -> int | None: ...
        def _rebuild(self) -> None: ...
        def _check_refusal(self, what: str) -> ClassStep | None: ...
        def _skip_current(self, value: str | None = None,
                          action: str = "skip") -> str | None: ...
        def _record(self, action: str, row_id: str, value: str | None,
                    audit: bool = False, model: int | None = None,
                    row: int | None = None) -> Event: ...

    def _row(self, row_id: str) -> int | str:
        """The position of a row of the data, or why there is none (a row labeled in
        the data's own target column is changed there, not in the store)."""
        row_id = str(row_id).strip()
        if row_id in self._positions:
            row = self._positions[row_id]
        else:
            found = int(self._index.get_indexer([row_id])[0])  # the session's id index
            if found < 0:
                return f"no row {row_id!r} in the data"
            row = self._positions[row_id] = found
        if row in set(self.seed_rows.tolist()):
            return (f"row {row_id} is labeled in the data's own target column; change its "
                    "label there")
        return row

    def _target(self, row_id: str | None, what: str) -> int | ClassStep:
        """The position of ``row_id`` (``None``: the row on screen), or the step that
        says why there is none (``what`` names the action)."""
        if row_id is None:
            row = self._current_row()
            return ClassStep(action="none", message=f"no row to {what}") if row is None \
                else row
        found = self._row(row_id)
        return ClassStep(action="none", message=found) if isinstance(found, str) else found

    def _revise(self, action: str, row_id: str, value: str | None, message: str) -> ClassStep:
        """Journal a change to a row answered earlier, then rebuild from the journal."""
        row = self._positions[row_id]
        # The model in force is the one a resumed session refits on the labels in force.
        event = self._record(action, row_id, value, model=self._in_force, row=row)
        self._active.append(event)
        self._rebuild()
        return ClassStep(action=action, row_id=row_id, value=value, message=message)

    def relabel(self, row_id: str, cls: str) -> ClassStep:
        """Give an answered row another class (or a row marked unsure its class).

        Parameters
        ----------
        row_id : str
        cls : str
            A known class, or a new name when classes are open (trimmed, matched
            without regard to case, as :meth:`label`).

        Returns
        -------
        ClassStep
            ``action == "none"`` with the reason when it cannot be done.
        """
        found = self._row(row_id)
        if isinstance(found, str):
            return ClassStep(action="none", message=found)
        row_id = str(row_id).strip()
        state = self.journal()
        if row_id not in state.labels and row_id not in state.unsure:
            what = "skipped" if row_id in state.skipped else "not answered yet"
            return ClassStep(action="none", message=f"row {row_id} is {what}; only a labeled "
                             "or unsure row can be relabeled")
        typed = str(cls).strip()
        problem = name_problem(typed, self.classes, self.open_classes)
        if problem is not None:
            return ClassStep(action="none", message=problem)
        cls = class_like(typed, self.classes) or typed
        held = state.labels.get(row_id)
        if held is not None and held.value == cls:
            return ClassStep(action="none", message=f"row {row_id} is {cls} already")
        was = held.value if held is not None else "unsure"
        new = cls not in self.classes
        return self._revise("label", row_id, cls, f"row {row_id}: {was} -> {cls}"
                            + (" (new class)" if new else ""))

    def unlabel(self, row_id: str) -> ClassStep:
        """Take a row's answer back (its label, skip or unsure mark): it returns to the pool."""
        found = self._row(row_id)
        if isinstance(found, str):
            return ClassStep(action="none", message=found)
        row_id = str(row_id).strip()
        status = self.journal().status(row_id)
        if status is None:
            return ClassStep(action="none", message=f"row {row_id} has no answer to take back")
        return self._revise("unlabel", row_id, None,
                            f"row {row_id}: {ACTION_WORDS.get(status, status)} taken back; "
                            "it is in the pool again")

    def mark_unsure(self, row_id: str | None = None) -> ClassStep:
        """Mark a row unsure (default: the row on screen): no label, out of training,
        offered again once every other row is answered.

        Returns
        -------
        ClassStep
        """
        if row_id is None and self._recheck_now is not None and self._current_row() is not None:
            # A labeled row shown again: its label goes, like an unsure mark from the history.
            row_id = str(self.ids[self._current_row()])
        if row_id is None:  # the row on screen: set aside like a skip, no rebuild
            refused = self._check_refusal("mark it unsure")
            if refused is not None:
                return refused
            shown = self._skip_current(action="unsure")
            if shown is None:
                return ClassStep(action="none", message="no row to mark unsure")
            return ClassStep(action="unsure", row_id=shown,
                             message=f"row {shown}: unsure (asked again at the end)")
        row = self._target(row_id, "mark unsure")
        if isinstance(row, ClassStep):
            return row
        row_id = str(row_id).strip()
        if self.journal().status(row_id) == "unsure":
            return ClassStep(action="none", message=f"row {row_id} is marked unsure already")
        return self._revise("unsure", row_id, None, f"row {row_id}: unsure")

    def note(self, text: str, row_id: str | None = None) -> ClassStep:
        """Attach a note to a row (default: the row on screen); an empty note removes it.

        Returns
        -------
        ClassStep
        """
        row = self._target(row_id, "note")
        if isinstance(row, ClassStep):
            return row
        row_id = str(self.ids[row])
        text = " ".join(str(text).split())
        if not text and row_id not in self.journal().notes:
            return ClassStep(action="none", message=f"row {row_id} has no note to remove")
        event = self._record("note", row_id, text, model=self._in_force, row=row)
        self._active.append(event)
        self._positions[row_id] = row
        return ClassStep(action="note", row_id=row_id, value=text,
                         message=f"row {row_id}: note " + (repr(text) if text else "removed"))

    def history(self) -> list[HistoryEntry]:
        """Every answer and note, newest first, with what it replaced and whether it
        was undone (:func:`alearn.journal.state.history`)."""
        return history(self._events)[::-1]

    def next_unsure(self) -> int | None:
        """The first row marked unsure, to ask again once no other row is left."""
        unsure = self.journal().unsure
        return self._positions.get(next(iter(unsure))) if unsure else None
