"""The ``describe`` task key and ``--describe`` options: class descriptions as text.

Read when a task is parsed (light: no scientific import); what they do is
:mod:`alearn.engine.describe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alearn.errors import ConfigError

if TYPE_CHECKING:
    from alearn.spec import TaskSpec


def check_describe(describe: Sequence[tuple[str, str]], where: str) -> None:
    """Refuse a class described twice or an empty description (``describe``)."""
    seen: set[str] = set()
    for cls, text in describe:
        if not isinstance(text, str) or not any(c.isalnum() for c in text):
            raise ConfigError(f"{where}: describe.{cls} is empty; write what a row of class "
                              f"{cls!r} is about, e.g. describe = {{ {cls} = \"a bug report: "
                              "something is broken\" }")
        if cls in seen:
            raise ConfigError(f"{where}: describe names class {cls!r} twice; give each class "
                              "one description")
        seen.add(cls)


# What a kind that reads no describe key offers instead.
NOT_DESCRIBED = {"screen": " (describe is for classify tasks; a screen task's query = "
                            "\"...\" says what it looks for)",
                  "optimize": " (describe is for classify tasks; an optimize task measures "
                              "goal values, with no classes)"}


def describe_table(path: Path, value: Any) -> tuple[tuple[str, str], ...]:
    """A ``describe`` table of ``task.toml`` as ``(class, description)`` pairs."""
    if not isinstance(value, dict) or not value:
        raise ConfigError(f"{path}: describe must be a table of class = description, such as "
                          "describe = { fresh = \"a positive movie review\" }")
    for cls, text in value.items():
        if not isinstance(text, str):
            raise ConfigError(f"{path}: describe.{cls} must be a description as text, "
                              f"got {text!r}")
    return tuple((str(c), str(t)) for c, t in value.items())


def parse_describe(given: Sequence[str], task: TaskSpec | None = None
                   ) -> tuple[tuple[str, str], ...]:
    """``--describe 'bug=a bug report'`` options as ``(class, description)`` pairs,
    replacing the task's description of the same class (its others are kept).

    Raises
    ------
    ConfigError
        An option without ``=`` or without a class name before it.
    """
    out = dict(task.describe) if task is not None else {}
    for option in given:
        cls, sep, text = str(option).partition("=")
        if not sep or not cls.strip():
            raise ConfigError(f"--describe {option!r}: expected class=description, e.g. "
                              "--describe 'bug=a bug report: something is broken'")
        out[cls.strip()] = text.strip()
    return tuple(out.items())
