"""The ``alearn label`` screen and its terminal driver.

:func:`screen` turns a session's :class:`~alearn.session.classes.View` into rich
renderables; :func:`run` drives a session from the keyboard. On a terminal it
reads single keystrokes (cbreak mode via the standard library's ``termios``,
with signals off so Ctrl-C arrives as a key and behaves like ``q``); when
stdin is not a terminal it reads one answer per line, so sessions can be
scripted and piped.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import textwrap
from collections.abc import Iterator
from typing import IO

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from alearn import render
from alearn.session.classes import ClassSession as Session
from alearn.session.estimate import Estimate
from alearn.session.keys import MAX_KEYS, Command, parse_key, parse_line
from alearn.session.views import Step, View

NAME_WIDTH = 30  # longer column names are cut
SCORE_NAMES = {"margin": "margin", "entropy": "entropy", "least-confident": "1 − top probability"}


# -- formatting ---------------------------------------------------------------
def format_value(value: object, numeric: bool) -> str:
    """A cell for display: numbers to 6 significant digits, missing as ``—``."""
    if value is None:
        return "—"
    if numeric and isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    return str(value)


def _score(strategy: str, score: float | None) -> str:
    if score is None or strategy not in SCORE_NAMES:
        return ""
    # Margin utility is the negative gap; show the gap itself.
    value = -score if strategy == "margin" else score
    return f"{SCORE_NAMES[strategy]} {value:.3f}"


def why_line(view: View) -> Text:
    """Why the row was chosen: the reason, the uncertainty score, the model's top classes."""
    why = view.why
    text = Text()
    text.append("why: ", style="bold")
    if why is None:
        return text
    reasons = {
        "start": "cold start (a representative row, chosen before any model)",
        "explore": "exploring (least like any labeled row; one class seen so far)",
        "uncertain": "the model is least sure about it",
        "likely": "the model rates it the likeliest to be relevant",
        "random": "random order (the baseline strategy)",
    }
    text.append(reasons[why.kind])
    score = _score(why.strategy, why.score)
    if score and why.kind == "uncertain":
        text.append(f" · {score}")
    if why.top:
        text.append(" · model: ")
        text.append(" · ".join(f"{c} {p:.2f}" for c, p in why.top), style="cyan")
    return text


def classes_line(view: View) -> Text:
    """Each class with its key and how many labels it has."""
    text = Text()
    counts = view.progress.class_counts
    for i, name in enumerate(view.classes):
        key = f"[{i + 1}] " if i < MAX_KEYS else "[n] "
        text.append(key, style="bold magenta")
        text.append(f"{name} ({counts.get(name, 0)})  ")
    if not view.classes:
        text.append("no classes yet: type the class name of this row", style="yellow")
    return text


def progress_line(view: View) -> Text:
    """Labels so far / budget, skips, labels until the next retrain, rows left."""
    p = view.progress
    budget = f"/{p.budget}" if p.budget is not None else ""
    parts = [f"labels {p.labeled}{budget}"]
    if p.seeded:
        parts.append(f"+{p.seeded} from the data")
    if p.skipped:
        parts.append(f"skipped {p.skipped}")
    if not view.done:
        parts.append(f"retrain in {p.until_retrain}")
    parts.append(f"rows left {p.remaining}/{p.total}")
    return Text(" · ".join(parts), style="dim")


def keys_line(view: View, unknown: str | None = None) -> Text:
    """The help line; names an unknown key when one was pressed."""
    text = Text()
    if unknown is not None:
        shown = repr(unknown) if unknown.strip() else "that key"
        text.append(f"unknown key {shown} — ", style="yellow")
    keyed = view.classes[:MAX_KEYS]
    if view.done:
        text.append("keys: u undo · q quit")
        return text
    if keyed:
        text.append(" · ".join(f"{i + 1} {c}" for i, c in enumerate(keyed)) + " · ")
    typed = "n type a class name" if view.open_classes or len(view.classes) > MAX_KEYS \
        else None
    text.append(" · ".join(p for p in (typed, "s skip", "u undo", "? help", "q quit") if p))
    return text


def estimate_text(estimate: Estimate) -> str:
    """``accuracy 0.83 (5-fold CV on 12 labels)`` or why there is none yet."""
    if estimate.accuracy is None:
        return f"accuracy not estimated yet ({estimate.method})"
    return f"accuracy {estimate.accuracy:.3f} ({estimate.method})"


def step_lines(step: Step | None) -> list[Text]:
    """What the last action did, the retrain update, and a learning-curve row."""
    if step is None:
        return []
    lines = [Text(step.message, style="green" if step.action != "none" else "yellow")]
    if step.retrained and step.estimate is not None:
        change = ""
        if step.estimate.change is not None:
            change = f", {step.estimate.change:+.3f} since the last batch"
        lines.append(Text(f"retrained on {step.estimate.n_labels} labels — "
                          f"{estimate_text(step.estimate)}{change}", style="bold"))
    if step.curve is not None:
        lines.append(Text(f"learning curve: {step.curve.n_labels} labels → "
                          f"{estimate_text(step.curve)}", style="bold cyan"))
    return lines


def fields_text(view: View, width: int = 100) -> Text:
    """The row's fields, one per line: names aligned, numbers right-aligned, long
    text wrapped under its value.

    Built as plain text rather than a rich table: measuring a table costs tens
    of milliseconds per screen, and this is drawn after every keystroke.
    """
    if not view.fields:
        return Text("(no fields)", style="dim")
    cells = [(name[:NAME_WIDTH], format_value(value, numeric), numeric)
             for name, value, numeric in view.fields]
    marks = {w.lower(): v for w, v in view.words.items()}
    name_width = max(len(name) for name, _, _ in cells)
    number_width = max((len(v) for _, v, numeric in cells if numeric), default=0)
    room = max(width - name_width - 3, 20)
    text = Text()
    for name, value, numeric in cells:
        text.append(f" {name.ljust(name_width)}  ", style="bold")
        if numeric:
            text.append(value.rjust(number_width) + "\n")
            continue
        lines = textwrap.wrap(value, room, break_long_words=True,
                              replace_whitespace=False) or [""]
        pad = " " * (name_width + 3)
        for i, line in enumerate(lines):
            if i:
                text.append(f"\n{pad}")
            _append_marked(text, line, marks)
        text.append("\n")
    text.rstrip()
    return text


def _append_marked(text: Text, line: str, marks: dict[str, float]) -> None:
    """Append a line of text, words that pushed the prediction in colour: green
    towards the predicted class, red away from it."""
    if not marks:
        text.append(line)
        return
    for piece in re.split(r"(\w+)", line):
        weight = marks.get(piece.lower()) if piece else None
        if weight is None:
            text.append(piece)
        else:
            text.append(piece, style="bold green" if weight > 0 else "bold red")


def screen(view: View, step: Step | None = None, note: RenderableType | None = None,
           unknown: str | None = None, width: int = 100) -> Group:
    """Everything shown for one row.

    Parameters
    ----------
    view : View
    step : Step, optional
        The previous action's outcome.
    note : renderable, optional
        Help text or notices.
    unknown : str, optional
        A key that means nothing here: named in the help line.
    width : int
        Terminal width, for wrapping long text.
    """
    parts: list[RenderableType] = []
    if view.done:
        parts.append(Text(f"nothing more to label: {view.reason}", style="bold"))
    else:
        parts.append(Text(f"row {view.row_id}", style="bold"))
        parts.append(fields_text(view, width))
        parts.append(why_line(view))
    if view.advice:
        parts.append(Text(f"stopping: {view.advice}", style="bold yellow"
                          if "may stop" in view.advice else "dim"))
    parts.append(progress_line(view))
    parts.append(classes_line(view))
    parts.extend(step_lines(step))
    if note is not None:
        parts.append(note)
    parts.append(keys_line(view, unknown))
    return Group(*parts)


def help_text(view: View) -> Text:
    """The full help shown for ``?``."""
    lines = [
        "1-9  label the row with the class on that key",
        "n    type a class name (a new name gets the next free key)" if view.open_classes
        else "n    type a class name (one of --classes)",
        "s    skip this row (it is not shown again; u brings it back)",
        "u    undo the last label or skip (repeat to go further back)",
        "q    quit; every label is already saved, run the same command to resume",
        "Ctrl-C behaves like q.",
    ]
    return Text("\n".join(lines), style="dim")


# -- input --------------------------------------------------------------------
class LineInput:
    """Answers one per line (stdin is not a terminal)."""

    interactive = False

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def key(self) -> str | None:
        """The next answer line, ``None`` at end of input."""
        line = self.stream.readline()
        return None if line == "" else line.rstrip("\r\n")

    def line(self, prompt: str) -> str | None:
        """A typed line (same as :meth:`key` here)."""
        return self.key()


class KeyInput:
    """Single keystrokes from a terminal (POSIX ``termios``)."""

    interactive = True

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._pending: list[str] = []
        self._saved: list | None = None

    @contextlib.contextmanager
    def raw(self) -> Iterator[KeyInput]:
        """Keys arrive one at a time, unechoed; Ctrl-C is a key, not a signal."""
        import termios

        self._saved = termios.tcgetattr(self.fd)
        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG)
        mode[6][termios.VMIN] = 1
        mode[6][termios.VTIME] = 0
        # TCSADRAIN keeps keys typed ahead (e.g. while the data loads).
        termios.tcsetattr(self.fd, termios.TCSADRAIN, mode)
        self._mode = mode
        try:
            yield self
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def _read(self) -> str:
        data = os.read(self.fd, 64)
        return data.decode("utf-8", errors="replace")

    def key(self) -> str | None:
        """The next keystroke; an escape sequence (arrow keys) counts as one key."""
        if not self._pending:
            chunk = self._read()
            if chunk == "":
                return None
            head, esc, tail = chunk.partition("\x1b")
            self._pending.extend(head)
            if esc:
                self._pending.append(esc + tail)
        return self._pending.pop(0)

    def line(self, prompt: str) -> str | None:
        """Read a typed line in the terminal's normal (echoing) mode."""
        import termios

        render.out.print(prompt, end="", markup=False, highlight=False)
        render.out.file.flush()
        termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        try:
            typed = "".join(self._pending)
            self._pending.clear()
            while "\n" not in typed and "\r" not in typed:
                chunk = self._read()
                if chunk == "":
                    return typed or None
                typed += chunk
            return typed.splitlines()[0] if typed.strip("\r\n") else ""
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._mode)


# -- the loop -----------------------------------------------------------------
def _act(session: Session, command: Command, source: KeyInput | LineInput
         ) -> tuple[Step | None, RenderableType | None, str | None, bool]:
    """Run one command: the step, a note to show, an unknown key, and whether to quit."""
    view = session.current()
    if command.kind == "quit":
        return None, None, None, True
    if command.kind == "label":
        return session.label(str(command.value)), None, None, False
    if command.kind == "skip":
        return session.skip(), None, None, False
    if command.kind == "undo":
        return session.undo(), None, None, False
    if command.kind == "help":
        return None, help_text(view), None, False
    if command.kind == "name":
        if view.done:
            return None, None, "n", False
        name = source.line("class name: ")
        if name is None:
            return None, None, None, True
        if not name.strip():
            return None, Text("no class typed", style="yellow"), None, False
        return session.label(name.strip()), None, None, False
    return None, None, command.value or "", False


def _summary(session: Session) -> Group:
    p = session.progress()
    lines: list[RenderableType] = [
        Text(f"saved {p.labeled} labels ({p.skipped} skipped) in {session.store.path}; "
             "run the same command to resume", style="bold")]
    if session.curve:
        table = Table(title="learning curve", title_justify="left")
        table.add_column("labels", justify="right")
        table.add_column("accuracy", justify="right")
        table.add_column("estimated by")
        for n, est in sorted(session.curve.items()):
            acc = "—" if est.accuracy is None else f"{est.accuracy:.3f}"
            table.add_row(str(n), acc, est.method)
        lines.append(table)
    if session.estimate is not None:
        lines.append(Text(f"latest: {estimate_text(session.estimate)}"))
    return Group(*lines)


def run(session: Session, stdin: IO[str] | None = None, notices: list[str] | None = None
        ) -> None:
    """Drive a session from the keyboard (or piped lines) until ``q`` or the end.

    Parameters
    ----------
    session : Session
    stdin : text stream, optional
        Default ``sys.stdin``; keystrokes when it is a terminal, else lines.
    notices : list of str, optional
        Shown with the first row.
    """
    stdin = sys.stdin if stdin is None else stdin
    out = render.out
    view = session.current()
    if view.done:
        for line in notices or []:
            render.notice(line)
        out.print(Text(f"nothing to label: {view.reason}"))
        if session.resumed:
            out.print(_summary(session))
        return
    tty = stdin.isatty()
    source: KeyInput | LineInput = KeyInput(stdin.fileno()) if tty else LineInput(stdin)
    first: list[RenderableType] = [Text(f"note: {n}", style="dim") for n in notices or []]
    if session.resumed:
        p = view.progress
        first.append(Text(f"resumed {session.store.path}: {p.labeled} labels, "
                          f"{p.skipped} skipped", style="dim"))
    note: RenderableType | None = Group(*first) if first else None
    step: Step | None = None
    unknown: str | None = None
    context = source.raw() if isinstance(source, KeyInput) else contextlib.nullcontext()
    try:
        with context:
            while True:
                view = session.current()
                if tty and out.is_terminal:
                    out.clear()
                elif not tty:
                    out.rule(style="dim")
                out.print(screen(view, step, note, unknown, width=out.width))
                if tty and not view.classes:
                    answer = source.line("class of this row (or s, u, q): ")
                    command = Command("quit") if answer is None else \
                        parse_line(answer, view.classes, view.open_classes)
                else:
                    key = source.key()
                    if key is None:
                        command = Command("quit")
                    elif tty:
                        command = parse_key(key, view.classes)
                    else:
                        command = parse_line(key, view.classes, view.open_classes)
                step, note, unknown, stop = _act(session, command, source)
                if stop:
                    break
    except KeyboardInterrupt:
        pass  # Ctrl-C outside the key reader: same as q, everything is saved
    out.print(_summary(session))
