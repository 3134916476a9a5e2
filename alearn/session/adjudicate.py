"""Adjudicating a merged store's conflicts (``alearn label TEAM.db --adjudicate``).

A UI-free state machine over a merged store (:mod:`alearn.journal.merged`): it
holds the store's lock, shows the conflicts one at a time in the team's order
with each member's answer and note, and journals each decision as a ``decide``
event (value = the class, annotator = the adjudicator) before its state
changes, so a killed session resumes on the first conflict still open. Undo
appends an ``undo`` of the latest decision in force: that conflict opens again.
Skipping is not journaled: a skipped conflict comes back after the others, and
in the next session in its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alearn.errors import AlearnError, ConfigError, StoreError
from alearn.export.merge import team_advice
from alearn.export.storelabels import store_data
from alearn.journal.events import Event
from alearn.journal.lock import check_free
from alearn.journal.merged import SKIPPED, UNSURE, Team, TeamRow, TeamState, team_state
from alearn.journal.store import Store, read_store
from alearn.session.opening.steps import default_annotator
from alearn.session.views import RowReader


@dataclass(frozen=True)
class Answer:
    """One member's answer to a conflict, as shown."""

    member: str
    answer: str
    note: str | None = None


@dataclass(frozen=True)
class AdjudicationView:
    """What the adjudication screen shows now.

    Attributes
    ----------
    done : bool
        No conflict is open (or every open one was skipped in this session).
    reason : str
        Why there is nothing to show, when ``done``.
    row_id : str or None
    fields : list of (str, object, bool)
        The row's columns (name, value, numeric), hidden ones left out; empty when
        the data is not found.
    answers : list of Answer
        Each member who answered the row, in member order.
    classes : list of str
        The classes on keys 1-9, in order.
    open, decided, conflicts : int
        Conflicts still open, decided, and all rows that were conflicts.
    """

    done: bool
    reason: str = ""
    row_id: str | None = None
    fields: list[tuple[str, object, bool]] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    open: int = 0
    decided: int = 0
    conflicts: int = 0


@dataclass(frozen=True)
class AdjudicationStep:
    """What an action did, in one line for the screen."""

    message: str


class Adjudication:
    """An open adjudication of a merged store (use :func:`open_adjudication`).

    Attributes
    ----------
    path : Path
    annotator : str
        The adjudicator, recorded with each decision.
    notes : list of str
        Shown as the session opens (the data not found, how it changed).
    made, undone : int
        Decisions journaled in this session, and decisions it undid (of any session).
    """

    def __init__(self, store: Store, annotator: str, reader: RowReader | None,
                 positions: dict[str, int], notes: list[str]) -> None:
        assert store.meta is not None
        self.store = store
        self.path = store.path
        self.meta = store.meta
        self.annotator = annotator
        self._reader = reader
        self._positions = positions
        self.notes = notes
        self._events = store.events()
        self.team = Team.of(self.meta, self.path)
        self._passed: list[str] = []  # skipped in this session, in order
        self.made = self.undone = 0
        self.resumed = any(self.team.member_of(e.seq) is None for e in self._events)
        self._replay()

    def _replay(self) -> None:
        self.state: TeamState = team_state(self.meta, self._events, self.path)

    # -- what is shown ----------------------------------------------------------
    def classes(self) -> list[str]:
        """The classes on keys: the store's ``--classes``, else a screen's positive class
        first, then every class anyone answered, in journal order."""
        settings = self.meta.settings
        known = [str(c) for c in settings.get("classes") or []]
        positive = (settings.get("task") or {}).get("positive")
        if not known and positive:
            known.append(str(positive))
        for event in self._events:
            if event.action in ("label", "decide") and event.value is not None \
                    and event.value not in known:
                known.append(event.value)
        return known

    def _open(self) -> list[TeamRow]:
        """The conflicts still open, those skipped in this session last."""
        rows = self.state.conflicts()
        passed = set(self._passed)
        order = {r: k for k, r in enumerate(self._passed)}
        return [r for r in rows if r.row_id not in passed] + \
            sorted((r for r in rows if r.row_id in passed), key=lambda r: order[r.row_id])

    def _ever(self) -> int:
        return self.state.count("conflict") + self.state.count("decided")

    def current(self) -> AdjudicationView:
        """The conflict to decide now, or why there is none."""
        waiting = self._open()
        counts = {"open": len(waiting), "decided": self.state.count("decided"),
                  "conflicts": self._ever()}
        if not waiting:
            reason = "every conflict is decided" if counts["conflicts"] else \
                f"no conflicts: the answers agree under the rule {self.team.rule!r}"
            return AdjudicationView(done=True, reason=reason, classes=self.classes(), **counts)
        row = waiting[0]
        position = self._positions.get(row.row_id)
        fields = [] if self._reader is None or position is None else \
            self._reader.fields(position)
        answers = [Answer(name, row.answers[name], row.notes.get(name))
                   for name in row.answers]
        answers += [Answer(who, "(note)", text) for who, text in row.notes.items()
                    if who not in row.answers]
        return AdjudicationView(done=False, row_id=row.row_id, fields=fields, answers=answers,
                                classes=self.classes(), **counts)

    def advice(self) -> str | None:
        """For a screen: the stopping advice on the merged decisions."""
        found = team_advice(self.meta, self.state)
        return None if found is None else found.message()

    # -- actions ------------------------------------------------------------------
    def decide(self, value: str) -> AdjudicationStep:
        """Decide the current conflict: ``value`` becomes its label (journaled first)."""
        view = self.current()
        if view.done or view.row_id is None:
            raise ConfigError("no conflict is open to decide")
        if value in (SKIPPED, UNSURE) or not value.strip():
            raise ConfigError(f"{value!r} is not a class")
        event = self.store.append("decide", view.row_id, value, self.annotator)
        self._events.append(event)
        self._passed = [r for r in self._passed if r != view.row_id]
        self.made += 1
        self._replay()
        return AdjudicationStep(f"row {view.row_id}: {value} (decided)")

    def skip(self) -> AdjudicationStep:
        """Leave the current conflict open for now (not journaled)."""
        view = self.current()
        if view.done or view.row_id is None:
            return AdjudicationStep("nothing to skip")
        self._passed = [r for r in self._passed if r != view.row_id] + [view.row_id]
        return AdjudicationStep(f"skipped row {view.row_id}: it stays a conflict")

    def undo(self) -> AdjudicationStep:
        """Undo the latest decision in force (any session's): its conflict opens again."""
        if not self.state.decisions:
            return AdjudicationStep("nothing to undo")
        latest: Event = max(self.state.decisions, key=lambda e: e.seq)
        event = self.store.append("undo", latest.row_id, "decide", self.annotator)
        self._events.append(event)
        self._passed = [r for r in self._passed if r != latest.row_id]
        self.undone += 1
        self._replay()
        return AdjudicationStep(f"undid decision {latest.value} of row {latest.row_id}")

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def __enter__(self) -> Adjudication:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_adjudication(path: str | Path, annotator: str | None = None) -> Adjudication:
    """Open a merged store to decide its conflicts, taking its lock.

    The row's fields come from the data the members labeled (found as ``alearn
    labels --fields`` finds it); when it is not there, rows are shown by id
    with a note.

    Parameters
    ----------
    path : str or Path
        A store written by ``alearn merge``.
    annotator : str, optional
        The adjudicator's name (default: the user name).

    Raises
    ------
    StoreError, StoreBusyError
        Not a store, one person's store, or in use.
    """
    path = Path(path)
    meta, events = read_store(path)  # before the lock: one person's store is refused as is
    Team.of(meta, path)
    check_free(path)
    reader, positions, notes = None, {}, []
    try:
        loaded = store_data(path, meta, events)
        data = loaded.data
        hidden = {data.target, loaded.spec.id, meta.settings.get("gold"),
                  *(meta.settings.get("hide") or [])}
        reader = RowReader(data, {str(c) for c in hidden if c})
        positions = {str(i): k for k, i in enumerate(data.ids)}
        notes = loaded.notes
    except AlearnError as exc:
        notes = [f"rows are shown by id only: {exc.message}"]
    store = Store.open(path)
    if store.meta is None:  # pragma: no cover - read above
        store.close()
        raise StoreError(f"{path}: an empty file, not an alearn label store")
    return Adjudication(store, annotator or default_annotator(), reader, positions, notes)
