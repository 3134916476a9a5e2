"""The ``alearn label TEAM.db --adjudicate`` screen: one conflict at a time.

Each conflict shows the row's fields (fitted to the terminal as on the labeling
screen, :func:`~alearn.render.session_parts.fit_fields`), each member's answer
and note, and the classes on keys ``1``-``9``; ``s`` leaves it open for now,
``u`` undoes the latest decision, ``?`` helps, ``q`` (or Ctrl-C) quits. Piped
input is one answer per line: a key, or a class name (as when labeling).
"""

from __future__ import annotations

import sys
from typing import IO

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from alearn import render
from alearn.counting import counted
from alearn.errors import ConfigError
from alearn.render.keyboard import KeyInput, LineInput, Source
from alearn.render.row_loop import Frame, drive_rows
from alearn.render.session_parts import Layout, Outcome, fit_fields, screen_room
from alearn.render.team import settled_line
from alearn.session.adjudicate import Adjudication, AdjudicationStep, AdjudicationView
from alearn.session.keystrokes import MAX_KEYS, Command, parse_key, parse_line

# The commands this screen carries out; any other key is unknown here.
ACTIONS = ("label", "skip", "undo", "help", "quit", "expand", "fields", "page")
HELP = (
    "1-9  decide: the class on that key becomes the row's label (journaled at once)",
    "s    leave this conflict open for now (it comes back after the others)",
    "u    undo the latest decision (repeat: further back); its conflict opens again",
    "e    long text in full · f every field, a page at a time (PgDn/PgUp)",
    "q    quit; every decision is already saved, run the same command to resume",
    "Ctrl-C behaves like q.",
)


def answers_table(view: AdjudicationView) -> Table:
    """Each member's answer and note."""
    table = Table(box=None, pad_edge=False, show_header=False, show_edge=False)
    table.add_column(style="bold")
    table.add_column(style="cyan")
    table.add_column(style="dim")
    for answer in view.answers:
        table.add_row(answer.member, answer.answer, f"note: {answer.note}" if answer.note else "")
    return table


def classes_line(view: AdjudicationView) -> Text:
    """The classes on their keys, with who gave each."""
    text = Text()
    for i, name in enumerate(view.classes[:MAX_KEYS]):
        text.append(f"[{i + 1}] ", style="bold magenta")
        who = [a.member for a in view.answers if a.answer == name]
        text.append(f"{name}" + (f" ({', '.join(who)})" if who else "") + "  ")
    return text


def keys_line(view: AdjudicationView, unknown: str | None) -> Text:
    """The keys, and an unknown key named."""
    text = Text()
    if unknown is not None:
        shown = repr(unknown) if unknown.strip() else "that key"
        text.append(f"unknown key {shown} — ", style="yellow")
    if view.done:
        text.append("keys: u undo · q quit")
        return text
    keyed = [f"{i + 1} {c}" for i, c in enumerate(view.classes[:MAX_KEYS])]
    text.append(" · ".join([*keyed, "s skip", "u undo", "? help", "q quit"]))
    return text


def screen(view: AdjudicationView, step: AdjudicationStep | None, note: RenderableType | None,
           unknown: str | None, width: int, layout: Layout) -> Group:
    """Everything shown for one conflict (or the end)."""
    head: list[RenderableType] = []
    tail: list[RenderableType] = []
    if view.done:
        head.append(Text(f"nothing more to decide: {view.reason}", style="bold"))
    else:
        head.append(Text(f"row {view.row_id}", style="bold"))
        tail.append(Text("answers:", style="bold"))
        tail.append(answers_table(view))
    tail.append(Text(f"conflicts open {view.open} · decided {view.decided} of "
                     f"{view.conflicts}", style="dim"))
    if not view.done:
        tail.append(classes_line(view))
    if step is not None:
        tail.append(Text(step.message, style="green"))
    if note is not None:
        tail.append(note)
    body: list[RenderableType] = []
    if not view.done:
        if view.fields:
            room = screen_room([*head, *tail, keys_line(view, unknown)], width, layout.height)
            body.append(fit_fields(view.fields, width, None, room, layout).text)
        else:
            body.append(Text("(the row's fields are not shown: its data was not found)",
                             style="dim"))
    return Group(*head, *body, *tail, keys_line(view, unknown))


def _command(view: AdjudicationView, source: Source) -> Command:
    """The next key or line as a command of this screen."""
    got = source.key()
    if got is None:
        return Command("quit")
    command = parse_key(got, view.classes) if source.interactive else \
        parse_line(got, view.classes, open_classes=False)
    if command.action not in ACTIONS:
        return Command("unknown", got)
    return command


def _decide(session: Adjudication, view: AdjudicationView, command: Command
            ) -> Outcome[AdjudicationStep]:
    """A class key decides the conflict; a refused decision is a note."""
    if command.action != "label" or command.value is None or view.done:
        return Outcome(unknown=command.value or "")
    try:
        return Outcome(step=session.decide(command.value))
    except ConfigError as exc:
        return Outcome(note=Text(exc.message, style="yellow"))


def summary(session: Adjudication) -> Group:
    """What was decided, what is left, and a screen's stopping advice."""
    lines: list[RenderableType] = [
        Text(f"saved {counted(session.made, 'decision')}"
             + (f" and {counted(session.undone, 'undo')}" if session.undone else "")
             + f" in {session.path}; "
             f"{counted(session.state.count('conflict'), 'conflict')} open; run the same "
             "command to resume", style="bold"),
        Text(settled_line(session.state))]
    advice = session.advice()
    if advice is not None:
        lines.append(Text(f"stopping (the merged decisions): {advice}"))
    return Group(*lines)


def run(session: Adjudication, stdin: IO[str] | None = None) -> None:
    """Walk the conflicts until ``q``, the end of input or the last decision."""
    stdin = sys.stdin if stdin is None else stdin
    out = render.out
    for line in session.notes:
        render.notice(line)
    view = session.current()
    if view.done:
        out.print(Text(f"nothing to decide: {view.reason}"))
        out.print(summary(session))
        return
    tty = stdin.isatty()
    source: Source = KeyInput(stdin.fileno()) if tty else LineInput(stdin)
    note: RenderableType | None = Text(
        f"resumed: {counted(view.decided, 'conflict')} decided before", style="dim") \
        if session.resumed else None
    frame: Frame[AdjudicationView, AdjudicationStep] = Frame(
        current=session.current, draw=screen, ask=_command, skip=session.skip,
        undo=session.undo, help=lambda view: Text("\n".join(HELP), style="dim"),
        act=lambda view, command: _decide(session, view, command))
    drive_rows(frame, source, out, interactive=tty, note=note)
    out.print(summary(session))
