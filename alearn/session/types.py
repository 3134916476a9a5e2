"""The session types, listed once in :data:`SESSION_TYPES`, and which one opens for a task.

A kind says how a person answers its rows (:attr:`alearn.kinds.base.Kind.answer`);
each session type (:class:`~alearn.session.opening.template.SessionType`,
declared as ``SESSION_TYPE`` beside its opening in :mod:`alearn.session.opening`)
names the answers it takes and how it is opened. Adding a session type: its
modules and one line below.
"""

from __future__ import annotations

from alearn.errors import ConfigError
from alearn.kinds import KINDS
from alearn.kinds.base import CLASSES, GOALS
from alearn.registry import Registry
from alearn.session.core import Session
from alearn.session.opening import classes, measure
from alearn.session.opening.template import SessionType
from alearn.session.options import LabelOptions
from alearn.spec import TaskSpec

SESSION_TYPES: Registry[SessionType] = Registry("session type", [
    classes.SESSION_TYPE,
    measure.SESSION_TYPE,
])


def session_type_for(answer: str) -> SessionType:
    """The session type that asks for ``answer`` (a :data:`~alearn.kinds.base.ANSWERS`).

    Raises
    ------
    ConfigError
        No session type takes it.
    """
    for found in SESSION_TYPES.values():
        if answer in found.answers:
            return found
    raise ConfigError(f"no labeling session asks for {answer!r}; the session types take "
                      f"{', '.join(a for t in SESSION_TYPES.values() for a in t.answers)}")


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
    return session_type_for(answer).open(task, options)
