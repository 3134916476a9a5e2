"""A class session's settings, settled from the options, the store and the task.

A store keeps the settings that decide which rows are suggested
(:data:`~alearn.session.settings.CLASS_FIXED`), so a resumed session suggests
what the first one would have. Options given on
resume must match them; options left out are taken from the store.
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

from alearn.data.dataset import Dataset, load_dataset
from alearn.data.header import peek_columns
from alearn.data.tables import read_table
from alearn.errors import ConfigError, DataError, StoreError
from alearn.estimates.audit import AUDIT_EVERY
from alearn.journal.store import Store
from alearn.kinds import KINDS
from alearn.kinds.base import RARE_CLASS
from alearn.progress import Report, silent
from alearn.session.keystrokes import KEYSTROKES
from alearn.session.opening.steps import check_given
from alearn.session.settings import CLASS_FIXED, Settings
from alearn.spec import TaskSpec
from alearn.tasks import revise, with_text_features


def parse_classes(text: str | None) -> tuple[str, ...] | None:
    """``"a,b,c"`` -> ``("a", "b", "c")``; ``None`` stays ``None``."""
    if text is None:
        return None
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise ConfigError(f"--classes {text!r} names no class; expected e.g. --classes spam,ham")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"--classes repeats {', '.join(repeated)}; class names must be unique")
    # A typed name matches a class without regard to case: two such classes could
    # not be told apart.
    folded = [n.casefold() for n in names]
    alike = [n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1]
    if alike:
        raise ConfigError(f"--classes names {' and '.join(repr(n) for n in alike[:2])}, which "
                          "differ only by case; a typed class name is matched without regard "
                          "to case, so give each class a distinct name")
    commands = [n for n in names if n.startswith(":")]
    if commands:
        raise ConfigError(f"--classes names {commands[0]!r}, which starts with ':' (a "
                          "command of the session); choose another name")
    keys = [n for n in names if n in KEYSTROKES]
    if keys:
        shown = ", ".join(f"{k} {a}" for k, a in KEYSTROKES.items() if k.isprintable())
        raise ConfigError(f"--classes names {keys[0]!r}, which is a key of the session "
                          f"({shown}); choose another name")
    return names


def task_settings(task: TaskSpec) -> dict[str, object]:
    """The task keys that shape the features, the row ids and the suggestions (kept in the store).

    Keys that matter only to screen tasks (``positive``, ``batch_growth``) hold
    the values the session uses: ``None`` and ``0`` for other kinds. An optimize
    session uses none of the text or class keys, so its stores keep only the
    id and feature keys (and stay comparable with stores made before).
    """
    reads = KINDS[task.kind].task_keys
    out: dict[str, object] = {
        "id": task.id, "include": list(task.include), "exclude": list(task.exclude),
        "numeric": list(task.numeric), "categorical": list(task.categorical)}
    if task.text:  # only when set, so stores made before text columns still match
        out["text"] = list(task.text)
    if task.text_features != "tfidf":  # likewise for stores made before embeddings
        out["text_features"] = task.text_features
    if task.query is not None:  # likewise for stores made before queries
        out["query"] = task.query
    if task.describe:  # likewise for stores made before descriptions
        out["describe"] = dict(task.describe)
    if task.measures_goals:
        return out
    out.update({
        "text_weights": dict(task.text_weights), "ngrams": task.ngrams,
        "stop_words": task.stop_words, "lsa": task.lsa, "kind": task.kind,
        "positive": task.positive if "positive" in reads else None,
        "batch_growth": float(task.batch_growth) if "batch_growth" in reads else 0.0})
    if "positive" in reads:
        # A screen shows one record per paper (alearn.data.duplicates); stores made
        # before it was recorded did not, and resume on the rows they would have shown.
        out["group_duplicates"] = True
    return out


# Task keys recorded only in newer stores: an older store's session used the
# task's values for them (batch_growth excepted: those sessions ran without it).
LATER_TASK_KEYS = ("text_weights", "ngrams", "stop_words", "lsa", "kind", "positive",
                   "batch_growth", "group_duplicates")


def changed_task_keys(stored: dict[str, object], task: TaskSpec) -> list[str]:
    """The task keys whose values differ from the ones a store recorded.

    A key an older store does not record is not compared (see :data:`LATER_TASK_KEYS`).
    """
    current = task_settings(task)
    changed = []
    for key in sorted(set(stored) | set(current)):
        if key not in stored and key in LATER_TASK_KEYS:
            continue
        default: object = [] if key == "text" else None
        if stored.get(key, default) != current.get(key, default):
            changed.append(key)
    return changed


def resolve_settings(task: TaskSpec, store: Store, given: dict[str, object]) -> Settings:
    """Settings from the options given, the store (when resuming) and the task.

    Option values are checked before (:func:`alearn.session.opening.steps.check_values`).

    Raises
    ------
    StoreError
        An option differs from the store's, or the task's id or features changed.
    """
    free = {k: given[k] for k in ("budget", "annotator") if k in given}
    free["recheck"] = task.recheck or "off"  # a screen task has none
    if store.meta is not None:
        stored = dict(store.meta.settings)
        task_stored = stored.pop("task", None)
        if "audit" not in stored and given.get("audit") == 0:
            given = {k: v for k, v in given.items() if k != "audit"}  # as it was made
        check_given(store, {k: v for k, v in given.items() if k in CLASS_FIXED})
        changed = changed_task_keys(task_stored, task) if task_stored is not None else []
        if changed:
            raise StoreError(f"{store.path}: the task's settings changed since this label "
                             f"store was made ({', '.join(changed)}); restore them, or use "
                             "another --store")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in stored.items()
                  if k in CLASS_FIXED}
        growth = float((task_stored or {}).get("batch_growth", 0.0))
        return Settings(**values, **free, budgets=task.budgets,  # type: ignore[arg-type]
                        batch_growth=growth)
    # Audit rows measure accuracy; a --gold session measures it on the gold rows
    # and a screen session shows recall instead.
    measures = given.get("gold") is None and KINDS[task.kind].answer != RARE_CLASS
    defaults = {"target": task.target, "classes": (), "strategy": task.strategies[0],
                "model": task.model, "batch": task.batch, "start": task.start,
                "start_size": task.start_size, "seed": 0, "gold": None,
                "audit": AUDIT_EVERY if measures else 0}
    values = {k: given.get(k, defaults[k]) for k in CLASS_FIXED}
    growth = float(task_settings(task)["batch_growth"])  # type: ignore[arg-type]
    return Settings(**values, **free, budgets=task.budgets,  # type: ignore[arg-type]
                    batch_growth=growth)


def class_task(task: TaskSpec, text: str | None = None,
               text_features: str | None = None) -> TaskSpec:
    """The task as a class session labels it: a task whose rows are measured (goal
    columns) becomes a classification task; ``--text`` replaces the text columns,
    ``--text-features`` how they become features."""
    if task.measures_goals:
        # A file with goal columns, labeled with --target: its classes are what is asked.
        task = revise(task, kind="classify", strategies=())
    if text is not None:
        columns = tuple(c.strip() for c in text.split(",") if c.strip())
        if not columns:
            raise ConfigError(f"--text {text!r} names no column; expected e.g. --text title,body")
        task = revise(task, text=columns, text_weights=())
    if text_features is not None:
        task = with_text_features(task, text_features)
    return task


def check_new_target(target: str | None, columns: list[str] | None, where: object,
                     new_target: bool) -> None:
    """Refuse a ``--target`` absent from the data whose name is close to a column's (a
    typo would start a new column, and the real one's labels would become a feature),
    unless ``--new-target`` says a new column is meant.

    Raises
    ------
    ConfigError
        Naming the close column(s).
    """
    if target is None or columns is None or target in columns or new_target:
        return
    lowered = {c.lower(): c for c in reversed(columns)}
    close = [lowered[c] for c in difflib.get_close_matches(target.lower(), list(lowered), 3,
                                                           0.75)]
    if close:
        shown = " or ".join(repr(c) for c in close)
        raise ConfigError(f"--target {target!r} is not a column of {where}; did you mean "
                          f"{shown}? To start a new column named {target!r}, add --new-target")


def load_for_labeling(task: TaskSpec, settings: Settings, progress: Report = silent,
                      new_target: bool = False) -> tuple[Dataset, str | None, bool]:
    """Load the data for labeling (``progress`` is told each phase of loading;
    ``new_target``: a ``--target`` absent from the data is meant to be a new column
    even when its name is close to one, :func:`check_new_target`).

    Returns
    -------
    (Dataset, str or None, bool)
        The data, the gold column (when ``--gold`` names one), and whether the
        gold labels are the target column itself (then they are not seeds).
    """
    columns = peek_columns(task.data_path)
    gold_column = None
    if settings.gold is not None and not Path(settings.gold).is_file():
        if columns is not None and settings.gold not in columns:
            raise ConfigError(f"--gold {settings.gold!r} is neither a file nor a column of "
                              f"{task.data_path} (columns: {', '.join(columns[:12])})")
        gold_column = settings.gold
    target = settings.target
    check_new_target(target, columns, task.data_path, new_target)
    if target is not None and columns is not None and target not in columns:
        target = None  # a target to be filled in: absent from the data so far
    changes: dict[str, object] = {"target": target}
    if gold_column is not None and gold_column != target:
        # The true labels must never be a feature.
        changes["exclude"] = (*task.exclude, gold_column)
    try:
        data = load_dataset(revise(task, **changes), require_target=False, progress=progress)
    except DataError as exc:
        if "no usable feature columns" in exc.message and task.data_path is not None \
                and len(read_table(task.data_path)) == 1:
            raise DataError(f"{task.data_path}: only one data row; labeling needs at "
                            "least two rows to choose between") from None
        raise
    if settings.target is not None and target is None and data.target is not None:
        # --target names a column to fill in: another class column's labels are
        # neither the start nor a feature (nor shown).
        dropped = {**data.dropped, data.target: f"a class column; --target "
                   f"{settings.target!r} names a new column to label"}
        data = dataclasses.replace(data, labels=None, dropped=dropped)
    return data, gold_column, gold_column is not None and gold_column == data.target
