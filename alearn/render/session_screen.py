"""The ``alearn label`` screen loop, one for every kind of session.

:func:`run` drives a session from the keyboard (or piped lines) until ``q`` or
the end: it shows the notices and the resumed store, draws each row, reads a
command, and carries out the ones every session has (skip, undo, help, quit,
an unknown key, and ``e``/``f``, which show long text in full and every field);
what differs (how an answer is asked and parsed, what the row view shows, the
summary) comes from the session's kind of answer
(:class:`~alearn.render.session_parts.Asking`), picked by ``session.type_name``.
On a terminal the row's fields take the lines the rest of the screen leaves,
so the row's header stays in view.
"""

from __future__ import annotations

import sys
from typing import IO, Any, TypeVar

from rich.console import Group, RenderableType
from rich.text import Text

from alearn import render
from alearn.render.class_answer import ClassAsking
from alearn.render.goal_answer import GoalAsking
from alearn.render.session_parts import Asking, KeyInput, Layout, LineInput, Source
from alearn.session.core import Session
from alearn.session.views import Step, View

# How each session type's rows are asked, by its name in SESSION_TYPES.
ASKING: dict[str, Asking[Any, Any, Any]] = {"classes": ClassAsking(), "goals": GoalAsking()}

S = TypeVar("S", bound=Session[Any, Any, Any])
V = TypeVar("V", bound=View[Any])
T = TypeVar("T", bound=Step)


def run(session: Session[Any, Any, Any], stdin: IO[str] | None = None,
        notices: list[str] | None = None) -> None:
    """Drive a labeling session until ``q``, the end of input or the end of the rows.

    Parameters
    ----------
    session : Session
        A :class:`~alearn.session.core.Session` (its actions, ``current()`` view
        and the ``type_name`` naming how its rows are asked).
    stdin : text stream, optional
        Default ``sys.stdin``; keystrokes when it is a terminal, else lines.
    notices : list of str, optional
        Shown with the first row.
    """
    _drive(session, ASKING[session.type_name], sys.stdin if stdin is None else stdin,
           list(notices or []))


def _drive(session: S, asking: Asking[S, V, T], stdin: IO[str], notices: list[str]) -> None:
    """The loop of :func:`run`, typed by the session's view and step."""
    out = render.out
    if asking.unattended(session):
        for line in notices + ([asking.resumed(session)] if session.resumed else []):
            render.notice(line)
        asking.run_unattended(session)
        return
    view = session.current()
    if view.done:
        for line in notices:
            render.notice(line)
        out.print(Text(f"nothing to {asking.verb}: {view.reason}"))
        if session.resumed:
            out.print(asking.summary(session))
        return
    tty = stdin.isatty()
    if tty:
        session.answer_promptly()  # a person waits for each row: retrain in the background
    source: Source = KeyInput(stdin.fileno()) if tty else LineInput(stdin)
    first: list[RenderableType] = [Text(f"note: {n}", style="dim") for n in notices]
    if session.resumed:
        first.append(Text(asking.resumed(session), style="dim"))
    note: RenderableType | None = Group(*first) if first else None
    step: T | None = None
    unknown: str | None = None
    # e and f hold until the row changes; piped output shows every field in full.
    expand = every = False
    shown: str | None = None
    try:
        with source.raw():
            while True:
                view = session.current()
                if view.row_id != shown:
                    expand = every = False
                    shown = view.row_id
                if tty and out.is_terminal:
                    out.clear()
                elif not tty:
                    out.rule(style="dim")
                layout = Layout(out.height if tty and out.is_terminal else None, expand, every)
                out.print(asking.screen(view, step, note, unknown, out.width, layout))
                command = asking.ask(view, source)
                step, note, unknown = None, None, None
                if command.action == "quit":
                    break
                if command.action == "expand":
                    expand = not expand
                elif command.action == "fields":
                    every = not every
                elif command.action == "skip":
                    step = session.skip()
                elif command.action == "undo":
                    step = session.undo()
                elif command.action == "help":
                    note = asking.help(view)
                elif command.action == "unknown":
                    unknown = command.value or ""
                else:
                    outcome = asking.act(session, view, command, source)
                    if outcome.stop:
                        break
                    step, note, unknown = outcome.step, outcome.note, outcome.unknown
    except KeyboardInterrupt:
        pass  # Ctrl-C outside the key reader: same as q, everything is saved
    out.print(asking.summary(session))
