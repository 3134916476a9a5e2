"""The loop every row-at-a-time screen runs: draw the row, read a command, act.

The labeling screen (:mod:`alearn.render.session_screen`) and the adjudication
screen (:mod:`alearn.render.adjudicate_screen`) differ in what a row shows and
what an answer does; the frame is the same: on a terminal the screen is
redrawn in place (piped output gets a rule between rows), ``e``/``f`` and the
page hold until the row changes, and skip, undo, help, quit and an unknown
key mean the same on both. What a screen adds comes in as a :class:`Frame`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from rich.console import Console, RenderableType

from alearn.render.keyboard import Source
from alearn.render.session_parts import Layout, Outcome
from alearn.session.keystrokes import Command
from alearn.session.views import Step

ViewT = TypeVar("ViewT")
StepT = TypeVar("StepT", bound=Step)


@dataclass(frozen=True)
class Frame(Generic[ViewT, StepT]):
    """What one screen draws and does, for :func:`drive_rows`.

    Attributes
    ----------
    current : callable
        The view to show now (``row_id`` says when the row changed).
    draw : callable
        ``(view, step, note, unknown, width, layout)`` -> everything shown.
    ask : callable
        ``(view, source)`` -> the next command (``again`` redraws the same row).
    skip, undo : callable
        The session's skip and undo, returning its step.
    help : callable
        ``view`` -> what ``?`` shows.
    act : callable
        ``(view, command)`` -> the :class:`Outcome` of any other command.
    """

    current: Callable[[], ViewT]
    draw: Callable[[ViewT, StepT | None, RenderableType | None, str | None, int, Layout],
                   RenderableType]
    ask: Callable[[ViewT, Source], Command]
    skip: Callable[[], StepT]
    undo: Callable[[], StepT]
    help: Callable[[ViewT], RenderableType]
    act: Callable[[ViewT, Command], Outcome[Any]]


def drive_rows(frame: Frame[ViewT, StepT], source: Source, out: Console, *,
               interactive: bool, note: RenderableType | None = None) -> None:
    """Show rows and carry out commands until quit, the end of input or Ctrl-C.

    Parameters
    ----------
    frame : Frame
    source : Source
        Keys from a terminal, or lines.
    out : Console
    interactive : bool
        The input is a terminal (the screen is redrawn in place when the output
        is one too).
    note : renderable, optional
        Shown with the first row.
    """
    step: StepT | None = None
    unknown: str | None = None
    toggles = Layout()
    shown: object = None
    redraw = interactive and out.is_terminal
    try:
        with source.raw():
            while True:
                view = frame.current()
                row_id = getattr(view, "row_id", None)
                if row_id != shown:
                    toggles, shown = Layout(), row_id
                if redraw:
                    out.clear()
                elif not interactive:
                    out.rule(style="dim")
                layout = replace(toggles, height=out.height if redraw else None)
                out.print(frame.draw(view, step, note, unknown, out.width, layout))
                command = frame.ask(view, source)
                if command.action == "again":
                    continue  # the same row asks for more (the next goal): drawn again
                step, note, unknown = None, None, None
                if command.action == "quit":
                    break
                moved = toggles.after(command.action, command.value)
                if moved is not None:
                    toggles = moved
                elif command.action == "skip":
                    step = frame.skip()
                elif command.action == "undo":
                    step = frame.undo()
                elif command.action == "help":
                    note = frame.help(view)
                elif command.action == "unknown":
                    unknown = command.value or ""
                else:
                    outcome = frame.act(view, command)
                    if outcome.stop:
                        break
                    step, note, unknown = outcome.step, outcome.note, outcome.unknown
    except KeyboardInterrupt:
        pass  # Ctrl-C outside the key reader: same as q, every answer is already saved
