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
import textwrap
from typing import IO, Any, TypeVar

from rich.console import Group, RenderableType
from rich.text import Text

from alearn import render
from alearn.render.class_answer import ClassAsking
from alearn.render.goal_answer import GoalAsking
from alearn.render.keyboard import KeyInput, LineInput, Source
from alearn.render.row_loop import Frame, drive_rows
from alearn.render.session_parts import Asking
from alearn.session.core import Session
from alearn.session.notes import Note, screen_notes
from alearn.session.views import Step, View

# How each session type's rows are asked, by its name in SESSION_TYPES.
ASKING: dict[str, Asking[Any, Any, Any]] = {"classes": ClassAsking(), "goals": GoalAsking()}

NOTE_NAMES = 3  # columns a grouped note names however narrow the terminal

S = TypeVar("S", bound=Session[Any, Any, Any])
V = TypeVar("V", bound=View[Any])
T = TypeVar("T", bound=Step)


def run(session: Session[Any, Any, Any], stdin: IO[str] | None = None,
        notes: list[Note] | None = None) -> None:
    """Drive a labeling session until ``q``, the end of input or the end of the rows.

    Parameters
    ----------
    session : Session
        A :class:`~alearn.session.core.Session` (its actions, ``current()`` view
        and the ``type_name`` naming how its rows are asked).
    stdin : text stream, optional
        Default ``sys.stdin``; keystrokes when it is a terminal, else lines.
    notes : list of Note, optional
        Shown with the first row, one line each (``?`` names every column of a
        grouped note). Default: how the data changed since the store last used it
        (``session.notes``), then the notes on the session's data
        (:func:`~alearn.session.notes.screen_notes`).
    """
    if notes is None:
        notes = [*(Note(n) for n in session.notes), *screen_notes(session.data)]
    _drive(session, ASKING[session.type_name], sys.stdin if stdin is None else stdin, notes)


def note_line(note: Note, width: int | None) -> Text:
    """A note: a grouped note names as many of its columns as fit on one line of
    ``width`` (``None``: every one; at least :data:`NOTE_NAMES`, which may take a
    second line) and says how to see them all."""
    if width is None or not note.columns or len(f"note: {note.full()}") <= width \
            or len(note.columns) <= NOTE_NAMES:
        return Text(f"note: {note.full()}", style="dim")
    tail = f" — ? lists all {len(note.columns)}"
    names = list(note.columns[:NOTE_NAMES])
    for name in note.columns[NOTE_NAMES:]:
        if len(f"note: {note.text}: {', '.join([*names, name])}, …{tail}") > width:
            break
        names.append(name)
    return Text(f"note: {note.text}: {', '.join([*names, '…'])}{tail}", style="dim")


def notes_in_full(notes: list[Note], width: int) -> Text | None:
    """Every column of the grouped notes, for ``?`` (``None`` when none is grouped)."""
    grouped = [n for n in notes if n.columns]
    if not grouped:
        return None
    return Text("\n".join(textwrap.fill(n.full(), width, subsequent_indent="  ")
                          for n in grouped), style="dim")


def _help(asking: Asking[Any, V, Any], view: V, notes: list[Note], width: int
          ) -> RenderableType:
    """What ``?`` shows: the keys, and every column of the grouped notes."""
    listed = notes_in_full(notes, width)
    return asking.help(view) if listed is None else Group(asking.help(view), listed)


def _drive(session: S, asking: Asking[S, V, T], stdin: IO[str], notes: list[Note]) -> None:
    """The loop of :func:`run`, typed by the session's view and step."""
    out = render.out
    if asking.unattended(session):
        for line in [n.full() for n in notes] + \
                ([asking.resumed(session)] if session.resumed else []):
            render.notice(line)
        asking.run_unattended(session)
        return
    view = session.current()
    if view.done:
        for note in notes:
            render.notice(note.full())
        out.print(Text(f"nothing to {asking.verb}: {view.reason}"))
        if session.resumed:
            out.print(asking.summary(session))
        return
    tty = stdin.isatty()
    if tty:
        session.answer_promptly()  # a person waits for each row: retrain in the background
    source: Source = KeyInput(stdin.fileno()) if tty else LineInput(stdin)
    first: list[RenderableType] = [note_line(n, out.width if tty and out.is_terminal else None)
                                   for n in notes]
    if session.resumed:
        first.append(Text(asking.resumed(session), style="dim"))
    note: RenderableType | None = Group(*first) if first else None
    frame: Frame[V, T] = Frame(
        current=session.current, draw=asking.screen,
        ask=asking.ask, skip=session.skip, undo=session.undo,
        help=lambda view: _help(asking, view, notes, out.width),
        act=lambda view, command: asking.act(session, view, command, source))
    drive_rows(frame, source, out, interactive=tty, note=note)
    out.print(asking.summary(session))
