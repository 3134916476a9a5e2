"""Task folders: ``task.toml`` parsed into a validated, immutable :class:`TaskSpec`.

A task folder holds ``task.toml`` and (optionally) its data. Every key is
documented in ``docs/tasks.md``. Unknown keys are errors, so a typo never
silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from alearn.data.embed import TEXT_FEATURES, check_installed
from alearn.data.formats import data_name, format_of, is_data_file, unknown_type_error
from alearn.data.header import peek_columns
from alearn.errors import MAX_SEEDS, AlearnError, ConfigError
from alearn.kinds import KINDS
from alearn.kinds.base import GOALS, Kind
from alearn.kinds.classify.describe_keys import NOT_DESCRIBED, describe_table
from alearn.spec import DEFAULT_BUDGETS, DEFAULT_KIND, TaskSpec

TASK_FILE = "task.toml"

STOP_WORDS = ("english", "none")

# Keys every kind reads; each kind lists the others it reads (Kind.task_keys), with
# its defaults. [features] holds include, exclude, numeric and categorical.
COMMON_KEYS = ("name", "data", "kind", "id", "seeds", "strategies", "features", "hide")
# Keys whose default depends on the kind: the TaskSpec field holds this marker
# until the kind's default is filled in; a kind that does not read the key gets
# the value after the marker (recorded in summaries, never used).
_UNSET: dict[str, tuple[Any, Any]] = {
    "budgets": ((), DEFAULT_BUDGETS), "start": ("", "kmeans"), "stop_words": ("", "english"),
    "lsa": (-1, 0), "batch_growth": (-1.0, 0.0), "recheck": ("", "off")}


def make_task(**fields: Any) -> TaskSpec:
    """A validated :class:`TaskSpec`: the kind's defaults fill what ``fields`` leave unset.

    Parameters
    ----------
    **fields
        :class:`TaskSpec` fields (``name`` and ``data`` at least).

    Returns
    -------
    TaskSpec

    Raises
    ------
    ConfigError
        One line naming the task and the key at fault.
    """
    return _resolve(TaskSpec(**fields))


def revise(task: TaskSpec, **changes: Any) -> TaskSpec:
    """A copy of ``task`` with ``changes`` applied, validated again (ConfigError)."""
    return _resolve(dataclasses.replace(task, **changes))


def _resolve(spec: TaskSpec) -> TaskSpec:
    kind = KINDS.get(spec.kind, where=f"{spec.where}: ", key="kind =")
    filled: dict[str, Any] = {"measures_goals": kind.answer == GOALS}
    if not spec.strategies:
        filled["strategies"] = kind.default_strategies
    for key, (marker, neutral) in _UNSET.items():
        if getattr(spec, key) == marker:
            filled[key] = kind.task_keys.get(key, neutral)
    spec = dataclasses.replace(spec, **filled)
    _validate(spec, kind)
    return spec


def with_text_features(task: TaskSpec, value: str) -> TaskSpec:
    """The task with ``--text-features`` applied (one line naming the option if unknown)."""
    if value not in TEXT_FEATURES:
        raise ConfigError(f"--text-features {value!r} is not known; expected one of "
                          f"{', '.join(TEXT_FEATURES)}")
    return revise(task, text_features=value)


def check_strategy(kind: str, name: str) -> None:
    """Refuse a ``--strategy`` that tasks of ``kind`` do not accept (ConfigError)."""
    check_option(kind, "strategy", name)


def check_option(kind: str, key: str, value: str) -> None:
    """Refuse a ``--strategy``, ``--model`` or ``--start`` value tasks of ``kind`` do not accept.

    Raises
    ------
    ConfigError
        One line naming the option, the value and what is accepted.
    """
    registry = {"strategy": KINDS[kind].strategies, "model": KINDS[kind].models,
                "start": KINDS[kind].starts}[key]
    if registry is None:
        raise ConfigError(f"--{key} is not used by {kind} tasks")
    if value not in registry:
        raise ConfigError(f"--{key} {value!r} is not known for {kind} tasks; expected one "
                          f"of {registry.expected()}")


def _choice(spec: TaskSpec, key: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ConfigError(
            f"{spec.where}: {key} = {value!r} is not known; expected one of {', '.join(allowed)}"
        )


def _validate(spec: TaskSpec, kind: Kind) -> None:
    where = spec.where
    if kind.models is not None:
        kind.models.get(spec.model, where=f"{where}: ", key="model =")
    if kind.starts is not None and spec.start not in kind.starts:
        raise ConfigError(f"{where}: start = {spec.start!r} is not known for {kind.name} "
                          f"tasks; expected one of {kind.starts.expected()}")
    for name in spec.strategies:
        if name not in kind.strategies:
            raise ConfigError(f"{where}: strategies = {name!r} is not known for {kind.name} "
                              f"tasks; expected one of {kind.strategies.expected()}")
    if not spec.budgets or any(b < 1 for b in spec.budgets):
        raise ConfigError(f"{where}: budgets must be positive label counts, "
                          f"got {list(spec.budgets)}")
    if list(spec.budgets) != sorted(set(spec.budgets)):
        raise ConfigError(f"{where}: budgets must be increasing, got {list(spec.budgets)}")
    if not 1 <= spec.seeds <= MAX_SEEDS:
        raise ConfigError(f"{where}: seeds must be from 1 to {MAX_SEEDS}, got {spec.seeds}")
    if not 0.0 < spec.test_size < 1.0:
        raise ConfigError(f"{where}: test_size must be between 0 and 1, got {spec.test_size}")
    if spec.batch < 1:
        raise ConfigError(f"{where}: batch must be at least 1, got {spec.batch}")
    if spec.parallel < 1:
        raise ConfigError(f"{where}: parallel must be at least 1, got {spec.parallel}")
    if spec.start_size < 1:
        raise ConfigError(f"{where}: start_size must be at least 1, got {spec.start_size}")
    if not spec.data:
        raise ConfigError(f"{where}: data is empty; expected a file path or sklearn:<name>")
    _choice(spec, "stop_words", spec.stop_words, STOP_WORDS)
    _check_text_features(spec, where)
    if not 1 <= spec.ngrams <= 3:
        raise ConfigError(f"{where}: ngrams must be 1, 2 or 3, got {spec.ngrams}")
    if spec.lsa < 0:
        raise ConfigError(f"{where}: lsa must be 0 or more components, got {spec.lsa}")
    if not 0.0 <= spec.batch_growth < 1.0:
        raise ConfigError(f"{where}: batch_growth must be a share in [0, 1), "
                          f"got {spec.batch_growth}")
    for column, weight in spec.text_weights:
        if column not in spec.text:
            raise ConfigError(f"{where}: text_weights names {column!r}, which is not in "
                              f"text = {list(spec.text)}")
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise ConfigError(f"{where}: text_weights.{column} must be a whole number of at "
                              f"least 1, got {weight!r}")
    kind.check(spec, where)


def _check_text_features(spec: TaskSpec, where: str) -> None:
    _choice(spec, "text_features", spec.text_features, TEXT_FEATURES)
    if spec.text_features == "tfidf":
        return
    if spec.model == "tree":
        # A tree's rules are read in the data's own columns; 384 embedding numbers have none.
        raise ConfigError(f"{where}: model = 'tree' cannot read text_features = "
                          f"{spec.text_features!r} (its rules would test embedding numbers); "
                          "use logreg, nb or knn, or text_features = 'tfidf'")
    check_installed(where)


# key in task.toml -> (TaskSpec field, expected python type(s), description for errors)
_KEYS: dict[str, tuple[str, tuple[type, ...], str]] = {
    "name": ("name", (str,), "a string"),
    "data": ("data", (str,), "a file path or sklearn:<name>"),
    "kind": ("kind", (str,), "a string"),
    "target": ("target", (str,), "a column name"),
    "id": ("id", (str,), "a column name"),
    "model": ("model", (str,), "a model name"),
    "strategies": ("strategies", (list,), "a list of strategy names"),
    "budgets": ("budgets", (list,), "a list of label counts"),
    "seeds": ("seeds", (int,), "a whole number"),
    "test_size": ("test_size", (float, int), "a number between 0 and 1"),
    "batch": ("batch", (int,), "a whole number"),
    "parallel": ("parallel", (int,), "a whole number of rows measured at once"),
    "start": ("start", (str,), "a start method"),
    "start_size": ("start_size", (int,), "a whole number"),
    "positive": ("positive", (str,), "the target value of the class to find"),
    "ngrams": ("ngrams", (int,), "a whole number (1-3)"),
    "stop_words": ("stop_words", (str,), "english or none"),
    "lsa": ("lsa", (int,), "a whole number of components"),
    "text_features": ("text_features", (str,), "tfidf, embed or both"),
    "batch_growth": ("batch_growth", (float, int), "a share between 0 and 1"),
    "recall_target": ("recall_target", (float, int), "a recall in (0, 1]"),
    "priors": ("priors", (list,), "a list of row ids"),
    "query": ("query", (str,), "the research question or inclusion criteria, as text"),
    "label_noise": ("label_noise", (float, int), "a share in [0, 1)"),
    "recheck": ("recheck", (str,), "off or auto"),
}
_FEATURE_KEYS = ("include", "exclude", "numeric", "categorical")
_GOAL_KEYS = ("maximize", "minimize")


def _typed(path: Path, key: str, value: Any, types: tuple[type, ...], expected: str) -> Any:
    # bool is an int in Python; a TOML `true` is never a count.
    if isinstance(value, bool) or not isinstance(value, types):
        raise ConfigError(f"{path}: key {key!r} must be {expected}, got {value!r}")
    return value


def _str_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: key {key!r} must be a list of column names, got {value!r}")
    return tuple(value)


def parse_task(raw: dict[str, Any], path: Path) -> TaskSpec:
    """Build a :class:`TaskSpec` from a parsed ``task.toml`` table.

    Parameters
    ----------
    raw : dict
        The parsed TOML document.
    path : Path
        The file it came from, named in every error.

    Returns
    -------
    TaskSpec
    """
    values: dict[str, Any] = {}
    kind_name = raw.get("kind", DEFAULT_KIND)
    kind = KINDS.get(kind_name, where=f"{path}: ", key="kind =") \
        if isinstance(kind_name, str) else None
    known = [*_KEYS, *_GOAL_KEYS, "text", "text_weights", "features", "hide", "describe"]
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key {key!r}; expected one of {', '.join(known)}")
        if kind is not None and key not in COMMON_KEYS and key not in kind.task_keys:
            reads = [k for k in known if k in COMMON_KEYS or k in kind.task_keys]
            instead = NOT_DESCRIBED.get(kind.name, "") if key == "describe" else ""
            raise ConfigError(f"{path}: key {key!r} is not read by {kind.name} tasks{instead}; "
                              f"they read {', '.join(reads)}")
        if key == "features":
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [features] must be a table with keys "
                                  f"{', '.join(_FEATURE_KEYS)}")
            for fkey, fvalue in value.items():
                if fkey not in _FEATURE_KEYS:
                    raise ConfigError(f"{path}: unknown key 'features.{fkey}'; expected one of "
                                      f"{', '.join(_FEATURE_KEYS)}")
                values[fkey] = _str_list(path, f"features.{fkey}", fvalue)
            continue
        if key in (*_GOAL_KEYS, "text", "hide"):
            values[key] = _str_list(path, key, value)
            continue
        if key == "describe":
            values[key] = describe_table(path, value)
            continue
        if key == "text_weights":
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: text_weights must be a table such as "
                                  "{ title = 3 }")
            values[key] = tuple(value.items())
            continue
        attr, types, expected = _KEYS[key]
        values[attr] = _typed(path, key, value, types, expected)
    if "data" not in values:
        raise ConfigError(f"{path}: missing key 'data'; expected a file path or sklearn:<name>")
    if "strategies" in values:
        values["strategies"] = _str_list(path, "strategies", values["strategies"])
    if "budgets" in values:
        budgets = values["budgets"]
        if not all(isinstance(b, int) and not isinstance(b, bool) for b in budgets):
            raise ConfigError(f"{path}: key 'budgets' must be a list of whole numbers, "
                              f"got {budgets}")
        values["budgets"] = tuple(budgets)
    if "priors" in values:
        if not all(isinstance(v, str | int) and not isinstance(v, bool)
                   for v in values["priors"]):
            raise ConfigError(f"{path}: key 'priors' must be a list of row ids, "
                              f"got {values['priors']}")
        values["priors"] = tuple(str(v) for v in values["priors"])
    for key in ("test_size", "batch_growth", "recall_target", "label_noise"):
        if key in values:
            values[key] = float(values[key])
    values.setdefault("name", path.parent.name)
    return make_task(folder=path.parent, source=str(path), **values)


def kind_of_file(path: Path) -> str:
    """The kind a bare data file's header implies: ``optimize`` when it has goal
    columns (names ending in ``+``/``-``) and no ``!`` class column."""
    columns = peek_columns(path) or []
    goals = any(c.endswith(("+", "-")) for c in columns)
    return "optimize" if goals and not any(c.endswith("!") for c in columns) else "classify"


def load_task(path: str | Path) -> TaskSpec:
    """Read a task folder (or its ``task.toml``, or a bare data file).

    Parameters
    ----------
    path : str or Path
        A task folder, a ``task.toml`` file, or a data file of a format
        :mod:`alearn.data.formats` reads (which becomes a task with default
        settings, named after the file, of the kind its header implies: see
        :func:`kind_of_file`).

    Returns
    -------
    TaskSpec

    Raises
    ------
    ConfigError
        The path does not exist, the TOML is malformed, or a key is wrong.
    DataError
        An existing file that is neither TOML nor of a data format alearn reads.
    """
    path = Path(path)
    if path.is_dir():
        path = path / TASK_FILE
    if format_of(path) is not None:
        if not path.is_file():
            raise ConfigError(f"{path}: no such data file")
        return make_task(name=data_name(path), data=str(path), kind=kind_of_file(path),
                         source=str(path))
    if path.is_file() and path.suffix.lower() != ".toml":
        raise unknown_type_error(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such task file; a task folder needs a {TASK_FILE}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    return parse_task(raw, path)


def _folder_tasks(folder: Path) -> list[Path]:
    """What a folder without a ``task.toml`` holds: its task folders, in name order, or
    else its data files (each a task of its own)."""
    found = sorted(p for p in folder.iterdir() if (p / TASK_FILE).is_file())
    if not found:
        found = sorted(p for p in folder.iterdir() if is_data_file(p))
    if not found:
        raise ConfigError(f"{folder}: no {TASK_FILE} here or in its sub-folders, and no "
                          "data file")
    return found


def discover_tasks(paths: Iterable[str | Path],
                   broken: list[tuple[str, Path, AlearnError]] | None = None) -> list[TaskSpec]:
    """Expand paths into tasks: a task folder, a folder of task folders, a folder of
    data files, or a data file.

    Parameters
    ----------
    paths : iterable of str or Path
    broken : list, optional
        When given, a task whose ``task.toml`` cannot be read or is wrong is
        appended here as ``(folder name, task file, error)`` and skipped, so the
        other tasks can run; a path that does not exist still raises.

    Returns
    -------
    list of TaskSpec
        In the order given; a folder's task folders (or, when it has none, its data
        files) in name order.

    Raises
    ------
    ConfigError
        A path holds no task, or two tasks share a name.
    """
    tasks: list[TaskSpec] = []

    def add(path: Path) -> None:
        if broken is None or not path.exists():
            tasks.append(load_task(path))
            return
        try:
            tasks.append(load_task(path))
        except AlearnError as exc:
            name = (path.name if path.is_dir() else data_name(path)
                    if format_of(path) is not None else path.parent.name)
            broken.append((name, path / TASK_FILE if path.is_dir() else path, exc))

    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not (path / TASK_FILE).is_file():
            for p in _folder_tasks(path):
                add(p)
        else:
            add(path)
    names = [t.name for t in tasks]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"task names must be unique; repeated: {', '.join(dupes)}")
    return tasks
