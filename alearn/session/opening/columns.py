"""Which column names a session's rows (``--id``) and which the screen hides (``--hide``).

The id column is kept in the store with the task settings (``task.id``), so a
resumed session finds its rows by the same ids: left out on resume, it is
read from the store; given, it must be the stored one. A new store of a file
that declares no id offers a column that can only be an identifier
(:func:`alearn.data.rowid.detect_id`), with a note.

Hidden columns are never shown on the screen (the model still uses them unless
``[features] exclude`` drops them). The store remembers them, so a resumed
session hides them too; more can be hidden on any run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from alearn.counting import counted
from alearn.data.dataset import Dataset
from alearn.data.header import peek_columns
from alearn.data.rowid import check_id_column, detect_id, with_id
from alearn.errors import ConfigError, StoreError
from alearn.journal.store import Store
from alearn.spec import TaskSpec
from alearn.tasks import revise

NO_ID = "none: rows named by a hash of their content"


def _columns_text(columns: list[str]) -> str:
    return ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")


def parse_hide(values: Iterable[str] | None) -> tuple[str, ...]:
    """``--hide a --hide b,c`` -> ``("a", "b", "c")`` (repeats dropped)."""
    return parse_columns(values, "--hide")


def _stored_task(store: Store) -> dict[str, object] | None:
    return None if store.meta is None else store.meta.settings.get("task")


def parse_columns(values: Iterable[str] | None, flag: str) -> tuple[str, ...]:
    """``--hide a --hide b,c`` -> ``("a", "b", "c")`` (repeats dropped)."""
    names = [n.strip() for v in values or () for n in str(v).split(",")]
    if values and not any(names):
        raise ConfigError(f"{flag} names no column; expected e.g. {flag} resolution")
    return tuple(dict.fromkeys(n for n in names if n))


def choose_exclude(task: TaskSpec, store: Store, given: Iterable[str] | None
                   ) -> tuple[TaskSpec, list[str]]:
    """The task with the columns ``--exclude`` keeps out of the model added to its
    ``[features] exclude``, and the columns it adds to a resumed store's.

    Resuming, the store's exclusions hold, and ``--exclude`` may add more (a
    column the leak question named): the labels stay, and the model is fitted
    again without it. It never takes one back, as that would bring an answer
    the person judged a leak back into the model.

    Raises
    ------
    ConfigError
        ``--exclude`` names no column of the data.
    """
    names = parse_columns(given, "--exclude")
    columns = peek_columns(task.data_path)
    unknown = [n for n in names if columns is not None and n not in columns]
    if unknown:
        raise ConfigError(f"--exclude {unknown[0]!r} is not a column of "
                          f"{task.data_path or task.data}"
                          + (f" (columns: {_columns_text(columns)})" if columns else ""))
    wanted = list(dict.fromkeys((*task.exclude, *names)))
    stored = _stored_task(store)
    if stored is None:
        return (revise(task, exclude=tuple(wanted)) if names else task), []
    kept = [str(c) for c in stored.get("exclude") or ()]  # type: ignore[attr-defined]
    if not set(task.exclude) <= set(kept):
        return task, []  # the task file's own exclusions changed: refused later, named
    added = [n for n in names if n not in kept]
    return revise(task, exclude=(*kept, *added)), added


def stage_exclusions(store: Store, task: TaskSpec) -> None:
    """Let a resumed store's settings carry ``task``'s exclusions in memory, so the
    settings checks of the opening pass; they are written once the session opens."""
    assert store.meta is not None
    stored = dict(store.meta.settings.get("task") or {})
    stored["exclude"] = list(task.exclude)
    store.meta = dataclasses.replace(store.meta,
                                     settings={**store.meta.settings, "task": stored})


def exclusion_note(added: list[str], answers: int) -> str:
    """What a resumed session says after ``--exclude`` added columns."""
    names = ", ".join(repr(c) for c in added)
    return (f"the model no longer uses {names} (--exclude, kept in the store); "
            f"the {counted(answers, 'answer')} so far stay, and the model is fitted again "
            "without " + ("it" if len(added) == 1 else "them"))


def choose_id(task: TaskSpec, store: Store, given: str | None) -> TaskSpec:
    """The task with the id column the session uses: ``--id``, else the task's, else
    (resuming) the store's.

    Raises
    ------
    ConfigError
        ``--id`` names no column of the data.
    StoreError
        Resuming with an ``--id`` other than the store's.
    """
    if given is not None:
        given = given.strip()
        columns = peek_columns(task.data_path)
        if not given or (columns is not None and given not in columns):
            raise ConfigError(f"--id {given!r} is not a column of {task.data_path or task.data}"
                              + (f" (columns: {_columns_text(columns)})" if columns else ""))
    stored = _stored_task(store)
    if stored is not None:
        kept = stored.get("id")
        if given is not None and given != kept:
            raise StoreError(f"{store.path}: this label store was made with --id "
                             f"{kept if kept else '(' + NO_ID + ')'}; leave the option out "
                             "to resume, or use another --store")
        if given is None and task.id is None:
            # Found by detection (or none): the store says which.
            return revise(task, id=kept) if kept else task
    return revise(task, id=given) if given is not None else task


def check_id(data: Dataset, task: TaskSpec) -> None:
    """Refuse an id column with an empty cell or a repeated value, naming the row.

    Raises
    ------
    DataError
    """
    if task.id is not None:
        check_id_column(data.table, task.id, data.source, "id")


def offer_id(data: Dataset, task: TaskSpec, store: Store, hidden: Iterable[str],
             given: str | None) -> tuple[Dataset, TaskSpec]:
    """For a new store of data that names no id: a detected id column, with a note.

    The column found is the row id and never a feature. Nothing changes when
    the store exists (its rows keep the ids they were labeled with), an id was
    given, or no column looks like an identifier.
    """
    if store.meta is not None or given is not None or task.id is not None:
        return data, task
    exclude = {data.target, task.target, *data.goals, *data.text, *hidden} - {None}
    column = detect_id(data.table, exclude, data.written)
    if column is None:
        return data, task
    if not data.text and set(data.numeric) | set(data.categorical) <= {column}:
        return data, task  # it is the only feature: the content hash names the rows
    found = with_id(data, column)
    note = (f"using column {column!r} as the row id (unique in every row); --id COL to "
            "choose another")
    found.text_notes = [*found.text_notes, note]
    return found, revise(task, id=column)


def hidden_columns(task: TaskSpec, store: Store, given: tuple[str, ...],
                   data: Dataset) -> tuple[str, ...]:
    """The columns the screen never shows: the store's, the task's ``hide`` and ``--hide``.

    New ones are recorded in the store (so resuming keeps them hidden).

    Raises
    ------
    ConfigError
        A name that is not a column of the data, or the id column (its value names
        the row on the screen).
    """
    columns = [str(c) for c in data.table.columns]
    for name, flag in [*((n, "--hide") for n in given),
                       *((n, f"{task.source or task.name}: hide =") for n in task.hide)]:
        if name not in columns:
            raise ConfigError(f"{flag} {name!r} is not a column of {data.source} "
                              f"(columns: {_columns_text(columns)})")
        if name == task.id:
            raise ConfigError(f"{flag} {name!r} is the row id column, shown as each row's "
                              "name; choose another id with --id, or do not hide it")
    stored = tuple(store.meta.settings.get("hide") or ()) if store.meta is not None else ()
    hidden = tuple(dict.fromkeys((*stored, *task.hide, *given)))
    if store.meta is not None and hidden != stored:
        store.update_settings({"hide": list(hidden)})
    return hidden



def without_hidden(data: Dataset, hidden: Iterable[str]) -> Dataset:
    """``data`` with no note that names a hidden column (the screen never names one)."""
    hidden = set(hidden)
    if not hidden:
        return data
    return dataclasses.replace(
        data, dropped={c: why for c, why in data.dropped.items() if c not in hidden},
        text_notes=[n for n in data.text_notes if not any(repr(h) in n for h in hidden)])


def hidden_setting(hidden: tuple[str, ...]) -> dict[str, list[str]]:
    """What a new store records of the hidden columns (nothing when none are, so its
    settings are those of a store made before columns could be hidden)."""
    return {"hide": list(hidden)} if hidden else {}


def settle_columns(data: Dataset, task: TaskSpec, store: Store, hide: tuple[str, ...],
                   given_id: str | None, detect: bool = True, exclude: Iterable[str] = ()
                   ) -> tuple[Dataset, TaskSpec, tuple[str, ...]]:
    """After loading: the id column checked (or, with ``detect``, offered for a new
    store; never one of ``exclude``), the hidden columns checked and recorded, and
    no note naming a hidden column.

    Returns
    -------
    (Dataset, TaskSpec, tuple of str)
        The data and the task with their id column, and the hidden columns.
    """
    check_id(data, task)
    hidden = hidden_columns(task, store, hide, data)
    if detect:
        data, task = offer_id(data, task, store, (*hidden, *exclude), given_id)
    data = without_hidden(data, hidden)
    used = [h for h in hidden if h in (*data.numeric, *data.categorical, *data.text)]
    if used:
        # Hiding is about the screen; what the model may use is --exclude.
        names = ", ".join(repr(h) for h in used)
        one = len(used) == 1
        data = dataclasses.replace(data, text_notes=[
            *data.text_notes,
            f"hidden column{'' if one else 's'} {names} {'is' if one else 'are'} still used "
            f"by the model; add --exclude {','.join(used)} (or [features] exclude in "
            f"task.toml) to keep {'it' if one else 'them'} out of it"])
    return data, task, hidden
