"""A merged store: several annotators' answers in one journal, and the label each row has.

``alearn merge`` copies every event of each member's store into one store of the
same format, one member after another (each member's events keep their order,
time, annotator and audit flag), and records the members and the rule in the
store's meta (:attr:`~alearn.journal.events.StoreMeta.team`). Events appended
after the copies are the team's decisions: ``decide`` (value = the class, by
the adjudicator) and ``undo`` of a decision.

Each member's answers are their own events replayed alone (their undos cancel
their own answers), so what one person did never changes another's answer.
A row's label in force follows the rule (:data:`RULES`); a decision sets it
whatever the answers, and undoing the decision opens the conflict again.
Plain data: no pandas, no data file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alearn.errors import ConfigError, StoreError
from alearn.journal.events import Event, StoreMeta, active_events
from alearn.journal.state import JournalState, journal_state
from alearn.journal.store import read_store

# The rules that give a row its label from several answers, declared once (the
# option's help, its check and docs/teams.md name them from here).
RULES: dict[str, str] = {
    "unanimous": "a label stands when everyone who labeled the row gave it; any "
                 "other answer is a conflict",
    "majority": "the most common label stands; a tie is a conflict",
    "adjudicated": "a label stands only when everyone who saw the row gave it (a skip "
                   "or an unsure mark disagrees too); every difference waits for a decision",
}
DEFAULT_RULE = "unanimous"
# What a member's answer column holds for a row they set aside.
SKIPPED, UNSURE = "(skipped)", "(unsure)"
# A row's status in a merged store.
STATUSES = ("agreed", "single", "majority", "conflict", "decided")


def is_merged_store(path: str | Path) -> bool:
    """Whether ``path`` is a merged store (``False`` for anything else, a file that is
    not a store included: whoever opens it says what is wrong)."""
    if not Path(path).is_file():
        return False
    try:
        meta, _ = read_store(path)
    except StoreError:
        return False
    return bool(meta.team)


def check_rule(rule: str) -> str:
    """``rule`` if it is one of :data:`RULES`.

    Raises
    ------
    ConfigError
        It is not (the message lists the rules).
    """
    if rule not in RULES:
        raise ConfigError(f"--rule {rule!r} is not a rule; expected one of "
                          f"{', '.join(RULES)}")
    return rule


@dataclass(frozen=True)
class Member:
    """One annotator's store in a merged store.

    Attributes
    ----------
    name : str
        How the merged store names them: their annotator name, or the store's file
        stem when two members share a name (``alearn labels`` has a column each).
    store : str
        The member store's path when merged (absolute).
    digest : str
        SHA-256 of the member store's file when merged.
    first, count : int
        Their events are ``seq`` ``first`` to ``first + count - 1`` of the merged journal.
    annotators : tuple of str
        The annotator names in their events.
    """

    name: str
    store: str
    digest: str
    first: int
    count: int
    annotators: tuple[str, ...]

    def holds(self, seq: int) -> bool:
        """Whether event ``seq`` of the merged journal is one of this member's."""
        return self.first <= seq < self.first + self.count

    def record(self) -> dict[str, Any]:
        """JSON-ready, for the store's meta."""
        return {"name": self.name, "store": self.store, "digest": self.digest,
                "first": self.first, "count": self.count, "annotators": list(self.annotators)}


@dataclass(frozen=True)
class Team:
    """A merged store's record: its members and rule (``StoreMeta.team``)."""

    rule: str
    members: tuple[Member, ...]

    def record(self) -> dict[str, Any]:
        """JSON-ready, for the store's meta."""
        return {"rule": self.rule, "members": [m.record() for m in self.members]}

    @classmethod
    def of(cls, meta: StoreMeta, path: object) -> Team:
        """The team of a merged store's meta.

        Raises
        ------
        StoreError
            The store is one person's, not a merged one.
        """
        if not meta.team:
            raise StoreError(f"{path}: one annotator's label store, not a merged one; "
                             "make one with `alearn merge STORE STORE --out TEAM.db`")
        members = tuple(Member(name=str(m["name"]), store=str(m["store"]),
                               digest=str(m["digest"]), first=int(m["first"]),
                               count=int(m["count"]),
                               annotators=tuple(m.get("annotators") or ()))
                        for m in meta.team["members"])
        return cls(rule=str(meta.team["rule"]), members=members)

    def member_of(self, seq: int) -> Member | None:
        """The member whose event ``seq`` is (``None``: a decision of the team)."""
        return next((m for m in self.members if m.holds(seq)), None)


@dataclass(frozen=True)
class TeamRow:
    """A row someone labeled, and the label it has in the merged store.

    Attributes
    ----------
    row_id : str
    answers : dict
        Member name -> their label, or :data:`SKIPPED` / :data:`UNSURE`; only the
        members who answered the row (in member order).
    notes : dict
        Member name -> their note on the row (the adjudicator's under their name).
    label : str or None
        The label in force (``None``: a conflict not yet decided).
    status : str
        One of :data:`STATUSES`: ``agreed`` (two or more, one label), ``single``
        (one person labeled it), ``majority`` (settled by the majority rule),
        ``conflict``, ``decided`` (by adjudication).
    given : Event or None
        The event that gave the label in force: the decision, else the latest
        label of the members who gave it.
    position : int
        The row's place in the team's screening order: the earliest place any
        member answered it in their own order (0-based).
    """

    row_id: str
    answers: dict[str, str]
    notes: dict[str, str]
    label: str | None
    status: str
    given: Event | None
    position: int


@dataclass
class TeamState:
    """Every row someone labeled, with its label in force, in the team's order.

    Attributes
    ----------
    team : Team
    rows : dict
        Row id -> :class:`TeamRow`, in the team's screening order (position, then
        member order).
    members : dict
        Member name -> their own :class:`~alearn.journal.state.JournalState`.
    decisions : list of Event
        The team's ``decide`` events in force, in journal order.
    """

    team: Team
    rows: dict[str, TeamRow] = field(default_factory=dict)
    members: dict[str, JournalState] = field(default_factory=dict)
    decisions: list[Event] = field(default_factory=list)

    def conflicts(self) -> list[TeamRow]:
        """The rows waiting for a decision, in the team's order."""
        return [r for r in self.rows.values() if r.status == "conflict"]

    def count(self, status: str) -> int:
        """Rows of one :data:`STATUSES`."""
        return sum(1 for r in self.rows.values() if r.status == status)


def _answers(state: JournalState) -> dict[str, str]:
    """Row id -> a member's answer: label, skipped or unsure."""
    out = {row: held.value for row, held in state.labels.items()}
    out.update({row: SKIPPED for row in state.skipped})
    out.update({row: UNSURE for row in state.unsure})
    return out


def combine(answers: list[str], rule: str) -> tuple[str | None, str]:
    """The label in force and status of a row from its answers under ``rule``.

    Parameters
    ----------
    answers : list of str
        Each answer of a member who answered the row: a label, :data:`SKIPPED`
        or :data:`UNSURE`.
    rule : str
        One of :data:`RULES`.

    Returns
    -------
    (str or None, str)
        The label (``None`` for a conflict, or a row nobody labeled) and the status.
    """
    labels = [a for a in answers if a not in (SKIPPED, UNSURE)]
    counts = Counter(labels).most_common()
    if not counts:
        return None, "single"  # set aside by everyone who saw it: nothing to decide
    if len(counts) == 1 and not (rule == "adjudicated" and len(labels) < len(answers)):
        return counts[0][0], "single" if len(labels) == 1 else "agreed"
    if rule == "majority" and (len(counts) == 1 or counts[0][1] > counts[1][1]):
        return counts[0][0], "majority"
    return None, "conflict"


def team_state(meta: StoreMeta, events: list[Event], path: object = "store") -> TeamState:
    """Each labeled row's answers and label in force in a merged store.

    Parameters
    ----------
    meta : StoreMeta
        A merged store's meta (its ``team``).
    events : list of Event
        Its journal.
    path : object
        The store, named in errors.

    Returns
    -------
    TeamState

    Raises
    ------
    StoreError
        The store is not a merged one.
    """
    team = Team.of(meta, path)
    state = TeamState(team=team)
    own: dict[str, list[Event]] = {m.name: [] for m in team.members}
    decided: list[Event] = []
    for event in events:
        member = team.member_of(event.seq)
        if member is not None:
            own[member.name].append(event)
        elif event.action in ("decide", "note") or (event.action == "undo"
                                                    and event.value == "decide"):
            decided.append(event)  # the team's: anything else is not the team's to add
    firsts: dict[str, dict[str, int]] = {}
    for member in team.members:
        active = active_events(own[member.name])
        state.members[member.name] = journal_state(active)
        # The member's own order: where each row was first answered (skips count).
        firsts[member.name] = {}
        for event in active:
            if event.action != "note":
                firsts[member.name].setdefault(event.row_id, len(firsts[member.name]))
    decisions = journal_state(active_events(decided))
    state.decisions = [h.last for h in decisions.labels.values()]
    placed: dict[str, tuple[int, int]] = {}
    answers: dict[str, dict[str, str]] = {}
    notes: dict[str, dict[str, str]] = {}
    for k, member in enumerate(team.members):
        held = state.members[member.name]
        mine = _answers(held)
        for row in sorted(mine, key=firsts[member.name].__getitem__):
            here = (firsts[member.name][row], k)
            placed[row] = min(placed.get(row, here), here)
            answers.setdefault(row, {})[member.name] = mine[row]
        for row, note in held.notes.items():
            notes.setdefault(row, {})[member.name] = str(note.value)
    for row, note in decisions.notes.items():
        placed.setdefault(row, (len(placed), len(team.members)))
        notes.setdefault(row, {})[note.annotator] = str(note.value)
    for row in sorted(placed, key=placed.__getitem__):
        given = answers.get(row, {})
        decision = decisions.labels.get(row)
        if decision is not None:
            label, status, by = decision.value, "decided", decision.last
        else:
            label, status = combine(list(given.values()), team.rule)
            by = None if label is None else max(
                (state.members[n].labels[row].last for n, a in given.items() if a == label),
                key=lambda e: e.time)
        if not given and decision is None:
            continue  # only a note
        if label is None and status != "conflict":
            continue  # set aside by everyone who saw it: no label, nothing to decide
        state.rows[row] = TeamRow(row_id=row, answers=given, notes=notes.get(row, {}),
                                  label=label, status=status, given=by,
                                  position=placed[row][0])
    return state
