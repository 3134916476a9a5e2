"""The session types, listed once in :data:`SESSION_TYPES`, and which one opens for a task.

A kind says how a person answers its rows (:attr:`alearn.kinds.base.Kind.answer`);
each session type names the answers it takes and how it is opened. Adding a
session type: its module with a ``SESSION_TYPE`` and one line below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alearn.kinds import KINDS
from alearn.kinds.base import CLASSES, GOALS, RARE_CLASS
from alearn.registry import Registry
from alearn.session.core import Session
from alearn.session.opening.classes import open_class_session
from alearn.session.opening.measure import open_measure_session
from alearn.session.options import LabelOptions
from alearn.spec import TaskSpec


@dataclass(frozen=True)
class SessionType:
    """A kind of labeling session: the answers it takes and how it opens.

    Attributes
    ----------
    name, help : str
    answers : tuple of str
        The :data:`alearn.kinds.base.ANSWERS` it asks a person for.
    open : callable
        ``open(task, options)`` -> an open session (raises ConfigError,
        DataError, StoreError, StoreBusyError).
    """

    name: str
    help: str
    answers: tuple[str, ...]
    open: Callable[[TaskSpec, LabelOptions], Session]


SESSION_TYPES: Registry[SessionType] = Registry("session type", [
    SessionType("classes", "one class per row, or whether a row is of a rare class",
                (CLASSES, RARE_CLASS), open_class_session),
    SessionType("goals", "the measured goal values of a row", (GOALS,), open_measure_session),
])


def open_for_task(task: TaskSpec, options: LabelOptions) -> Session:
    """Open (or resume) the session ``alearn label`` runs on ``task``.

    The task's kind says how its rows are answered; a bare goal file labeled
    with ``--target`` (or a task naming a ``target``) is asked for classes.

    Raises
    ------
    ConfigError, DataError, StoreError, StoreBusyError
    """
    answer = KINDS[task.kind].answer
    if answer == GOALS and task.folder is None and (options.target or task.target):
        answer = CLASSES
    found = next(t for t in SESSION_TYPES.values() if answer in t.answers)
    return found.open(task, options)
