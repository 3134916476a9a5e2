"""Rechecking likely mistakes in a live class session (``recheck = "auto"``).

Mixed into :class:`~alearn.session.classes.ClassSession`. Before each new row,
a session with rechecks on asks :func:`alearn.engine.recheck.choose_recheck`
whether the next answer should show a labeled row again: one whose label a
model fitted without it finds unlikely. The screen then says "you said bug; a
model without this row says feature (0.93)", and the person's answer is
journaled like a relabel: a ``label`` event on the row, the same class to keep
it, another to change it. Nothing else marks a recheck, so the policy's counts
come from the journal alone and a resumed session shows the same recheck:

* answers: the rows labeled in this store, plus the rows answered again;
* rechecked: rows answered more than once (a relabel from the history counts:
  the person looked at the row again, and it is not asked a second time);
* changed: rechecked rows whose label now differs from their first answer.

Rows labeled in the data's own target column are never rechecked (they are
changed there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from alearn.engine.recheck import Recheck, choose_recheck
from alearn.models import make_model
from alearn.session.views import ClassStep

if TYPE_CHECKING:
    from alearn.data.dataset import Dataset
    from alearn.engine.learner import Learner
    from alearn.journal.events import Event
    from alearn.journal.state import JournalState
    from alearn.session.settings import Settings

# The settings value that turns rechecks on (the classify kind's RECHECKS).
RECHECK_ON = "auto"


class Rechecks:
    """The rechecking part of a class session (see the module docstring).

    The session provides the journal (``journal``, ``_active``, ``_events``), the
    learner, the features ``X``, the settings, the data and its seed rows, and
    ``_revise`` (journal a change to an answered row and rebuild).
    """

    settings: Settings
    data: Dataset
    learner: Learner
    X: object
    ids: np.ndarray
    seed_rows: np.ndarray
    _active: list[Event]
    # The recheck shown now (None: a new row), and the journal position it was
    # computed for, so a screen redrawn without an answer asks no model again.
    _recheck_now: Recheck | None = None
    _recheck_key: tuple[int, int] | None = None
    _recheck_found: Recheck | None = None

    if TYPE_CHECKING:
        def journal(self) -> JournalState: ...
        def _revise(self, action: str, row_id: str, value: str | None,
                    message: str) -> ClassStep: ...

    @property
    def rechecks_on(self) -> bool:
        """Whether this session shows likely mistakes again (``recheck = "auto"``)."""
        return self.settings.recheck == RECHECK_ON

    def _find_recheck(self) -> Recheck | None:
        """The labeled row the next answer should recheck, or ``None`` (computed once
        per journal state; models are fitted only when the policy allows a recheck)."""
        key = (len(self._active), self._active[-1].seq if self._active else 0)
        if key == self._recheck_key:
            return self._recheck_found
        found = None
        state = self.journal()
        learner = self.learner
        order = list(learner.order)
        if self.rechecks_on and learner.model is not None and len(order) >= 2:
            seeds = int(self.seed_rows.size)  # first in the learner's order
            held = list(state.labels.values())
            again = [seeds + k for k, h in enumerate(held) if h.first.seq != h.last.seq]
            changed = sum(h.first.value != h.last.value for h in held
                          if h.first.seq != h.last.seq)
            s = self.settings
            found = choose_recheck(
                self.X, order, [str(v) for v in learner.labels[order]],
                answers=len(held) + len(again),
                model_factory=lambda: make_model(s.model, s.seed, text=bool(self.data.text)),
                rechecked=again, changed=changed, fixed=range(seeds))
        self._recheck_key, self._recheck_found = key, found
        return found

    def _recheck_row(self) -> int | None:
        """The row of the recheck to show now (and remember it), or ``None``."""
        found = self._find_recheck() if self.rechecks_on else None
        self._recheck_now = found
        return None if found is None else int(self.learner.order[found.position])

    def _answer_recheck(self, cls: str) -> ClassStep:
        """Journal the answer to the recheck on screen: ``cls`` keeps or changes its label."""
        found = self._recheck_now
        assert found is not None
        row_id = str(self.ids[int(self.learner.order[found.position])])
        if cls == found.given:
            message = f"row {row_id}: kept {cls} (rechecked)"
        else:
            message = f"row {row_id}: {found.given} -> {cls} (rechecked)"
        self._recheck_now = None
        return self._revise("label", row_id, cls, message)
