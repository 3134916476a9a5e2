"""A screen session's random-sample check of recall and its stopping statement.

Mixed into :class:`~alearn.session.classes.ClassSession` (it does nothing for plain
classes). ``:check`` starts a check (:mod:`alearn.kinds.screen.sample_check`): the
next rows are drawn at random from the unscreened ones, in the order of the seed's
``Stream.CHECK`` stream keyed by the rows screened when the check started, until
the planned number are read, all irrelevant (recall >= target is shown), or one
is relevant (it is not). A draw is journaled as a label event with the store's
``audit`` flag (drawn at random), so a check needs no new event type: the checks
are read back from the labels in force in screening order
(:func:`~alearn.kinds.screen.sample_check.checks_in`), and a resumed session
resumes the check on the draw it showed. Starting or leaving a check is not
journaled until a draw is answered.

The stopping statement (:mod:`alearn.kinds.screen.statement`) is written beside the
store, ``<store>.stopping.json``, when the advice (or a check) first says stop in a
session, and on request (``:statement``).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from alearn.counting import counted
from alearn.export.cardformat import alearn_version
from alearn.files import write_text_atomic
from alearn.kinds.screen.chart import chart_table, recall_chart
from alearn.kinds.screen.sample_check import CONFIDENCE, SampleCheck, checks_in, sample_size
from alearn.kinds.screen.statement import SETTINGS_KEY, Statement, make_statement, screen_advice
from alearn.seeds import Stream, stream
from alearn.session.screening import unsupported
from alearn.session.views import ClassStep

if TYPE_CHECKING:
    from alearn.engine.learner import Learner
    from alearn.journal.events import Event
    from alearn.journal.store import Store
    from alearn.kinds.base import TableData
    from alearn.session.class_policy import ClassPolicy
    from alearn.session.settings import Settings


# Lines of the recall chart drawn in a session (`:chart`), under the row.
SESSION_LINES = 4


def statement_path(store: Path) -> Path:
    """Where a store's stopping statement is written: ``<store stem>.stopping.json``."""
    return store.with_name(store.stem + ".stopping.json")


class SampleChecks:
    """The check and statement half of a class session (see the module docstring)."""

    learner: Learner
    policy: ClassPolicy
    settings: Settings
    store: Store
    repeats: np.ndarray
    ids: np.ndarray
    _events: list[Event]
    _next_known: bool
    # None: the journal says whether a check runs; True: one was asked for (no draw
    # answered yet); False: the person left the running one.
    _check_wanted: bool | None = None
    _stop_said: bool | None = None  # whether the last advice seen said stop
    _draws: tuple[int, np.ndarray] = (-1, np.empty(0, dtype=int))

    if TYPE_CHECKING:
        def audit_mask(self) -> np.ndarray: ...
        @property
        def n_rows(self) -> int: ...
        def _current_row(self) -> int | None: ...

    # -- reading the order ------------------------------------------------------
    def _screening_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Each screened row in order: relevant or not, drawn by a check or not."""
        order = np.asarray(self.learner.order, dtype=int)
        relevant = self.learner.labels[order].astype(str) == self.policy.positive
        return relevant, np.asarray(self.audit_mask(), dtype=bool)

    def recall_chart(self) -> TableData | None:
        """``:chart``: relevant found against records screened so far, with the stopping
        advice's estimate of all relevant and its bound at each point, as a text
        chart (:func:`alearn.kinds.screen.chart.chart_table`; ``None`` for plain
        classes). Irrelevant rows a check drew are left out, as the advice leaves
        them out of the order it models."""
        if self.policy.recall_target is None:
            return None
        relevant, drawn = self._screening_order()
        hits = relevant[relevant | ~drawn]
        chart = recall_chart(hits, self.n_rows, upto=max(int(hits.size), 1))
        # Short: it is drawn under the row, whose header must stay on a 24-line screen.
        table = chart_table(chart, f"{counted(int(hits.size), 'record')} screened (ranked): "
                            "relevant found", lines=SESSION_LINES)
        return dataclasses.replace(table, caption="█ found · ▒ estimate of all relevant · ░ "
                                   "its 95 % bound")

    def sample_checks(self) -> list[SampleCheck]:
        """The checks so far (none for plain classes)."""
        target = self.policy.recall_target
        if target is None:
            return []
        relevant, drawn = self._screening_order()
        return checks_in(relevant, drawn, self.n_rows, target, CONFIDENCE)

    def _planned(self) -> SampleCheck:
        """A check starting now."""
        relevant, _ = self._screening_order()
        start, found = int(relevant.size), int(relevant.sum())
        target = float(self.policy.recall_target or 0)
        pile = self.n_rows - start
        ordinal = len(self.sample_checks()) + 1
        return SampleCheck(start=start, found=found, pile=pile, target=target,
                           confidence=CONFIDENCE, ordinal=ordinal,
                           size=sample_size(found, pile, target, CONFIDENCE, ordinal))

    @property
    def checking(self) -> SampleCheck | None:
        """The check in progress (``None``: screening follows the ranking)."""
        if self.policy.recall_target is None or self._check_wanted is False:
            return None
        checks = self.sample_checks()
        if checks and checks[-1].status == "running":
            return checks[-1]
        return self._planned() if self._check_wanted else None

    def _check_row(self) -> int | None:
        """The next row a running check draws (``None``: no check runs)."""
        check = self.checking
        if check is None:
            return None
        if self._draws[0] != check.start:
            # The rows unscreened when the check started, in the check's random order.
            screened = np.zeros(len(self.ids), dtype=bool)
            screened[np.asarray(self.learner.order[:check.start], dtype=int)] = True
            screened[self.repeats] = True
            pile = np.flatnonzero(~screened)
            rng = stream(self.settings.seed, Stream.CHECK, check.start)
            self._draws = (check.start, pile[rng.permutation(pile.size)])
        labeled = self.learner.labeled
        waiting = self._draws[1][~labeled[self._draws[1]]]
        return int(waiting[0]) if waiting.size else None

    # -- acting -------------------------------------------------------------------
    def toggle_check(self) -> ClassStep:
        """Start a random-sample check, or leave the one running (``:check``)."""
        if self.policy.recall_target is None:
            return ClassStep(action="none", message="a random-sample check is for screen "
                             "sessions (a rare class to find)")
        running = self.checking
        if running is not None:
            self._check_wanted = False
            self._next_known = False
            return ClassStep(action="check", message=(
                f"left the random-sample check ({running.drawn} of {running.size} drawn rows "
                "read); back to the ranking"))
        plan = self._planned()
        if plan.pile == 0:
            return ClassStep(action="none", message="every row is screened: nothing to check")
        if plan.size == 0:
            return ClassStep(action="none", message=(
                f"recall >= {100 * plan.target:g} % holds even if all {plan.pile} unscreened "
                "rows were relevant: nothing to check"))
        self._check_wanted = True
        self._next_known = False
        return ClassStep(action="check", message=(
            f"random-sample check: {plan.size} of the {plan.pile} unscreened rows will be "
            f"drawn at random; if none is relevant, recall >= {100 * plan.target:g} % is "
            f"shown at {100 * plan.confidence:g} % confidence (:check again leaves it)"))

    def _check_refusal(self, what: str) -> ClassStep | None:
        """A draw must be answered: ``what`` (skip, unsure) is refused during a check."""
        if self.checking is None or self._current_row() is None:
            return None
        return ClassStep(action="none", message=(
            f"a random-sample check reads every row it draws: answer it rather than {what} "
            "(u undoes the last answer, :check leaves the check)"))

    def _after_label(self) -> str:
        """After a label: the check follows the journal again; and the statement is
        written when the advice (or a check) turns to stop. Returns what to add to
        the step's message."""
        self._check_wanted = None
        if self.policy.recall_target is None:
            return ""
        statement = self.stopping_statement()
        said, self._stop_said = self._stop_said, statement.stop
        if not statement.stop or said:
            return ""
        return f"; stopping statement written to {self.write_statement(statement)}"

    # -- showing --------------------------------------------------------------------
    def screen_advice(self) -> str | None:
        """The ``stopping:`` line of a screen (``None`` for plain classes): a check's
        progress, or the advice on the ranked order with the check offered when the
        advice's model does not hold."""
        target = self.policy.recall_target
        if target is None:
            return None
        relevant, drawn = self._screening_order()
        running = self.checking
        if running is not None:
            return running.message()
        checks = self.sample_checks()
        last = checks[-1] if checks else None
        why_not = unsupported(self.settings.strategy)
        advice = screen_advice(relevant, drawn, self.n_rows, target, why_not)
        if self._stop_said is None:
            self._stop_said = advice.stop or (last is not None and last.status == "claimed")
        message = advice.message()
        if last is not None and last.start + last.drawn == relevant.size and \
                last.status in ("claimed", "failed"):
            return f"{last.message()}. {message}"
        if not advice.stop and advice.remaining:
            plan = self._planned()
            if plan.size and (why_not or advice.shown):
                message += (f"; :check reads {plan.size} rows drawn at random to show recall "
                            f">= {100 * target:g} % without a model")
        return message

    def stopping_statement(self) -> Statement:
        """The stopping statement of the screening so far
        (:func:`~alearn.kinds.screen.statement.make_statement`)."""
        meta = self.store.meta
        assert meta is not None and self.policy.recall_target is not None
        relevant, drawn = self._screening_order()
        kept: dict[str, Any] | None = meta.settings.get(SETTINGS_KEY)
        return make_statement(
            relevant=relevant, drawn=drawn, total=self.n_rows,
            target=float(self.policy.recall_target), kept=kept,
            strategy=self.settings.strategy, model=self.settings.model,
            unsupported=unsupported(self.settings.strategy), events=self._events,
            fingerprint=meta.fingerprint, source=meta.source, store=str(self.store.path),
            version=alearn_version(),
            date=datetime.now(UTC).isoformat(timespec="seconds"))

    def write_statement(self, statement: Statement | None = None) -> Path:
        """Write the stopping statement beside the store; its path."""
        statement = statement or self.stopping_statement()
        path = statement_path(Path(self.store.path))
        write_text_atomic(path, json.dumps(statement.record, indent=2, ensure_ascii=False)
                          + "\n")
        return path

    def statement_step(self) -> ClassStep:
        """``:statement``: write the statement and show its paragraph."""
        if self.policy.recall_target is None:
            return ClassStep(action="none", message="a stopping statement is for screen "
                             "sessions (a rare class to find)")
        statement = self.stopping_statement()
        path = self.write_statement(statement)
        return ClassStep(action="statement", message=f"stopping statement written to {path}: "
                         f"{statement.paragraph}")
