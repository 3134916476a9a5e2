"""``alearn merge``: several annotators' stores into one merged store, and what it says.

The member stores are only read; the merged store is written whole to a
temporary file beside ``--out`` and renamed into place, so a kill leaves no
half-written store. The label each row has is
:func:`alearn.journal.merged.team_state`; for a screen, the stopping advice
reads those merged decisions (:func:`team_advice`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from alearn.errors import ConfigError, StoreError
from alearn.files import check_output_file, file_digest, write_atomic
from alearn.journal.events import Event, StoreMeta
from alearn.journal.lock import lock_path
from alearn.journal.merged import (
    DEFAULT_RULE,
    Member,
    Team,
    TeamState,
    check_rule,
    team_state,
)
from alearn.journal.store import Store, read_store
from alearn.journal.team import check_same_study, member_names

if TYPE_CHECKING:
    from alearn.kinds.screen.stopping import StopAdvice

# The stopping advice (SciPy) is imported when a screen's is given: a refused merge
# answers at once.


@dataclass
class MergeResult:
    """What ``alearn merge`` made.

    Attributes
    ----------
    out : Path
        The merged store.
    state : TeamState
        Its rows: answers, labels in force, conflicts.
    advice : StopAdvice or None
        For a screen: the stopping advice on the merged decisions.
    notes : list of str
    """

    out: Path
    state: TeamState
    advice: StopAdvice | None = None
    notes: list[str] = field(default_factory=list)


def merge_stores(paths: Sequence[str | Path], out: str | Path,
                 rule: str = DEFAULT_RULE) -> MergeResult:
    """Merge several annotators' stores of one study into a new store.

    Parameters
    ----------
    paths : sequence of path
        The member stores (two or more; only read).
    out : path
        The merged store to write; must not exist.
    rule : str
        How a row's label is settled (:data:`alearn.journal.merged.RULES`).

    Returns
    -------
    MergeResult

    Raises
    ------
    ConfigError
        An unknown rule, fewer than two stores, ``out`` exists or cannot be written.
    StoreError
        A store cannot be read, is merged already, is an optimize store, or was
        made for other data or with other settings than the first.
    """
    check_rule(rule)
    out = Path(out)
    check_output_file(out, "--out")
    if out.exists():
        raise ConfigError(f"{out}: --out exists; a merged store is written new (choose "
                          "another name, or remove the old one to merge again)")
    read = [(Path(p), *read_store(p)) for p in paths]
    for path, meta, _ in read:
        if meta.team:
            raise StoreError(f"{path}: a merged store already; merge the annotators' own "
                             "stores (its members are listed by `alearn labels`)")
    check_same_study([(path, meta) for path, meta, _ in read])
    annotators = [tuple(dict.fromkeys(e.annotator for e in events)) for _, _, events in read]
    names = member_names(annotators, [p.stem for p, _, _ in read])
    members, first = [], 1
    for (path, _, events), name in zip(read, names, strict=True):
        members.append(Member(name=name, store=str(path.resolve()),
                              digest=file_digest(path), first=first, count=len(events),
                              annotators=annotators[len(members)]))
        first += len(events)
    team = Team(rule=rule, members=tuple(members))
    meta = read[0][1]
    everything = [e for _, _, events in read for e in events]
    write_atomic(out, lambda tmp: _write(tmp, meta, team, everything))
    merged_meta, events = read_store(out)
    state = team_state(merged_meta, events, out)
    renamed = [f"{'+'.join(m.annotators)} as {m.name}" for m in members
               if m.annotators and m.name != "+".join(m.annotators)]
    notes = [f"stores with the same annotator name are named by their file: "
             f"{', '.join(renamed)}"] if renamed else []
    return MergeResult(out=out, state=state, advice=team_advice(merged_meta, state),
                       notes=notes)


def _write(tmp: Path, meta: StoreMeta, team: Team, events: list[Event]) -> None:
    """Set the merged store up in ``tmp`` (an empty file) and copy every event."""
    try:
        with Store.open(tmp) as store:
            store.initialise(meta.fingerprint, meta.source, dict(meta.settings), meta.table,
                             team=team.record())
            store.copy_events(events)
    finally:  # the temporary file's lock goes with it (write_atomic removes the file)
        lock_path(tmp).unlink(missing_ok=True)


def team_advice(meta: StoreMeta, state: TeamState) -> StopAdvice | None:
    """For a screen's merged store, the stopping advice on the team's decisions.

    The rows count in the team's order (the earliest place any member screened
    a row); a row is relevant when its label in force is the positive class. A
    conflict not yet decided counts as relevant, as dual screening passes a
    disagreement on to the next stage: a relevant row late in the order keeps
    the advice from saying stop too early.

    Returns
    -------
    StopAdvice or None
        ``None`` for a store that is not a screen's.
    """
    task = meta.settings.get("task") or {}
    positive = task.get("positive")
    if task.get("kind") != "screen" or not positive or not meta.table:
        return None
    import numpy as np

    from alearn.engine.strategies import STRATEGIES
    from alearn.kinds.screen.stopping import DEFAULT_TARGET, advise

    rows = list(state.rows.values())
    hits = np.array([r.label == positive or r.status == "conflict" for r in rows], dtype=bool)
    strategy = str(meta.settings.get("strategy"))
    unsupported = "" if strategy not in STRATEGIES or STRATEGIES[strategy].stopping else (
        f"strategy {strategy!r} does not screen the likeliest rows first; certainty does")
    return advise(hits, int(meta.table["rows"]), float(task.get("recall_target") or
                                                     DEFAULT_TARGET), unsupported)
