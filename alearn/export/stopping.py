"""``alearn stopping STORE``: the stopping statement of a screening store, from the store
and its data (no session opened, no model fitted).

The screening order is the session's: labels already in the data's target column
first, then the store's labels in force in the order they were first given; each
group of duplicate records counts once (:mod:`alearn.data.duplicates`), and a
label journaled with the ``audit`` flag is a random-sample check's draw
(:mod:`alearn.session.sample_checks`). The statement itself is
:func:`alearn.kinds.screen.statement.make_statement`'s. A store that cannot give
one is refused before pandas and SciPy load.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alearn.errors import ConfigError, StoreError
from alearn.files import check_output_file, write_text_atomic
from alearn.journal.store import read_store

if TYPE_CHECKING:
    from alearn.kinds.screen.statement import Statement

SCREEN = "screen"


def store_statement(store: str | Path, data: str | Path | None = None,
                    out: str | Path | None = None) -> tuple[Statement, list[str]]:
    """The stopping statement of a screening store (written to ``out`` as JSON when given).

    Parameters
    ----------
    store : str or Path
    data : str or Path, optional
        The data file, when it is no longer where it was labeled.
    out : str or Path, optional
        A ``.json`` file for the record.

    Returns
    -------
    (Statement, list of str)
        The statement, and notes on how the data changed since the store used it.

    Raises
    ------
    StoreError
        Not a screening store, a merged store, or its data is gone.
    ConfigError
        ``out`` cannot be written, or is not a ``.json`` file.
    """
    path = Path(store)
    meta, events = read_store(path)
    task = meta.settings.get("task") or {}
    if task.get("kind") != SCREEN or not task.get("positive"):
        raise StoreError(f"{path}: not a screening store (a stopping statement is about "
                         "finding the records of a rare class: a screen task's store)")
    if meta.team:
        raise StoreError(f"{path}: a merged store; its stopping advice is shown by alearn "
                         "merge, and a statement is made from one screener's store")
    if out is not None:
        check_output_file(out, "--out")
        if Path(out).suffix.lower() != ".json":
            raise ConfigError(f"--out {out}: the statement's record is JSON; name a .json file")
    import json
    from datetime import UTC, datetime

    import numpy as np

    from alearn.data.duplicates import find_duplicates
    from alearn.export.cardformat import alearn_version
    from alearn.export.storelabels import store_data
    from alearn.journal.events import active_events
    from alearn.journal.state import journal_state
    from alearn.kinds.screen.statement import SETTINGS_KEY, make_statement, unsupported
    from alearn.kinds.screen.stopping import DEFAULT_TARGET

    loaded = store_data(path, meta, events, data)
    found = loaded.data
    position = {str(i): k for k, i in enumerate(found.ids)}
    state = journal_state(e for e in active_events(events) if e.row_id in position)
    seeds = np.flatnonzero(found.labeled) if loaded.use_seeds else np.empty(0, dtype=int)
    given = list(state.labels.values())
    labels = [*(found.labels[seeds].astype(str) if seeds.size else []),
              *(h.value for h in given)]
    drawn = np.array([False] * seeds.size + [h.first.audit for h in given], dtype=bool)
    positive = str(task["positive"])
    relevant = np.array([v == positive for v in labels], dtype=bool)
    grouped = find_duplicates(found.table, found.written)
    repeats = np.empty(0, dtype=int) if grouped is None else np.setdiff1d(
        np.flatnonzero(grouped.group != np.arange(len(found.ids))), seeds)
    kept = meta.settings.get(SETTINGS_KEY)
    target = float((kept or {}).get("recall_target") or loaded.spec.recall_target
                   or DEFAULT_TARGET)
    strategy = str(meta.settings.get("strategy"))
    statement = make_statement(
        relevant=relevant, drawn=drawn, total=len(found.ids) - int(repeats.size),
        target=target, kept=kept, strategy=strategy, model=str(meta.settings.get("model")),
        unsupported=unsupported(strategy), events=events, fingerprint=meta.fingerprint,
        source=meta.source, store=str(path), version=alearn_version(),
        date=datetime.now(UTC).isoformat(timespec="seconds"))
    if out is not None:
        write_text_atomic(Path(out), json.dumps(statement.record, indent=2,
                                                ensure_ascii=False) + "\n")
    return statement, loaded.notes
