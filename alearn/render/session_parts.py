"""What every labeling screen shares: cells, a row's fields, and reading the keyboard.

On a terminal, :class:`KeyInput` reads single keystrokes (cbreak mode via the
standard library's ``termios``, with signals off so Ctrl-C arrives as a key and
behaves like ``q``) and typed lines in the terminal's normal mode; when stdin is
not a terminal, :class:`LineInput` reads one answer per line, so sessions can be
scripted and piped. :class:`Asking` is what a kind of answer (a class, goal
values) adds to the one screen loop (:mod:`alearn.render.session_screen`).
"""

from __future__ import annotations

import contextlib
import os
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Generic, Protocol, TypeVar

from rich.console import RenderableType
from rich.text import Text

from alearn import render
from alearn.counting import counted
from alearn.session.core import Session
from alearn.session.keystrokes import Command
from alearn.session.views import Step, View

NAME_WIDTH = 30  # longer column names are cut
LONG_LINES = 4  # a long field shows this many lines until e expands it
MIN_ROOM = 3  # lines kept for the fields however full the rest of the screen is


# -- formatting ---------------------------------------------------------------
def format_value(value: object, numeric: bool) -> str:
    """A cell for display: numbers to 6 significant digits, missing as ``—``."""
    if value is None:
        return "—"
    if numeric and isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    return str(value)


@dataclass(frozen=True)
class Layout:
    """How a row is fitted to the terminal.

    Attributes
    ----------
    height : int or None
        The terminal's lines; ``None`` (piped output) shows every field in full.
    expand : bool
        Long text in full (``e``).
    every : bool
        Every field, not only those that fit (``f``).
    """

    height: int | None = None
    expand: bool = False
    every: bool = False


@dataclass(frozen=True)
class Fitted:
    """A row's fields as drawn: the text, and what was left out (for the keys line)."""

    text: Text
    cut: bool = False  # some long text shows only its first lines
    left_out: int = 0  # fields not shown


def _cells(fields: list[tuple[str, object, bool]], room: int
           ) -> list[tuple[str, list[str], bool]]:
    """Name, wrapped lines and numeric flag per field."""
    out = []
    for name, value, numeric in fields:
        shown = format_value(value, numeric)
        lines = [shown] if numeric else (textwrap.wrap(
            shown, room, break_long_words=True, replace_whitespace=False) or [""])
        out.append((name[:NAME_WIDTH], lines, numeric))
    return out


def _choose(sizes: list[int], names: list[str], room: int, ranked: tuple[str, ...]
            ) -> list[int]:
    """The fields that fit in ``room`` lines (one kept for the "more fields" line):
    the model's strongest columns first, then the others in file order."""
    position = {n: k for k, n in enumerate(names)}
    order = [position[n] for n in ranked if n in position]
    first = set(order)
    order += [k for k in range(len(names)) if k not in first]
    chosen: list[int] = []
    used = 0
    for k in order:
        if used + sizes[k] > room - 1:
            break
        chosen.append(k)
        used += sizes[k]
    return chosen or order[:1]


def fit_fields(fields: list[tuple[str, object, bool]], width: int = 100,
               words: dict[str, float] | None = None, room: int | None = None,
               layout: Layout | None = None, ranked: tuple[str, ...] = ()) -> Fitted:
    """A row's fields, one per line: names aligned, numbers right-aligned, long
    text wrapped under its value; ``words`` that pushed a prediction in colour.

    With ``room`` (lines the fields may take), long text shows its first
    :data:`LONG_LINES` lines and, when the fields still do not fit, the ones the
    model leans on most (``ranked``) are shown first and the rest counted; the
    layout's ``expand`` and ``every`` undo either.

    Built as plain text rather than a rich table: measuring a table costs tens
    of milliseconds per screen, and this is drawn after every keystroke.
    """
    if not fields:
        return Fitted(Text("(no fields)", style="dim"))
    layout = layout or Layout()
    name_width = max(len(name[:NAME_WIDTH]) for name, _, _ in fields)
    cells = _cells(fields, max(width - name_width - 3, 20))
    chosen = list(range(len(cells)))
    cap = None
    if room is not None:
        cap = max(2, min(LONG_LINES, room - 1))
        sizes = [min(len(lines), cap) for _, lines, _ in cells]
        if not layout.every and sum(sizes) > room:
            chosen = _choose(sizes, [str(f[0]) for f in fields], room, ranked)
    shown = [cells[k] for k in chosen]
    cut_at = None if cap is None or layout.expand else cap
    text = _draw(shown, name_width, cut_at, {w.lower(): v for w, v in (words or {}).items()})
    left_out = len(cells) - len(chosen)
    if left_out:
        first = " (the model's strongest shown first)" if ranked else ""
        text.append(f"\n … {counted(left_out, 'more field', thousands=True)}{first} · f shows all",
                    style="dim")
    cut = cut_at is not None and any(len(lines) > cut_at for _, lines, _ in shown)
    return Fitted(text, cut=cut, left_out=left_out)


def _draw(cells: list[tuple[str, list[str], bool]], name_width: int, cut_at: int | None,
          marks: dict[str, float]) -> Text:
    number_width = max((len(lines[0]) for _, lines, numeric in cells if numeric), default=0)
    pad = " " * (name_width + 3)
    text = Text()
    for name, lines, numeric in cells:
        text.append(f" {name.ljust(name_width)}  ", style="bold")
        if numeric:
            text.append(lines[0].rjust(number_width) + "\n")
            continue
        more = 0
        if cut_at is not None and len(lines) > cut_at:
            more = len(lines) - (cut_at - 1)
            lines = lines[:cut_at - 1]
        for i, line in enumerate(lines):
            if i:
                text.append(f"\n{pad}")
            _append_marked(text, line, marks)
        if more:
            lines_left = counted(more, "more line", thousands=True)
            text.append(f"\n{pad}… {lines_left} · e shows the whole text", style="dim")
        text.append("\n")
    text.rstrip()
    return text


def fields_text(fields: list[tuple[str, object, bool]], width: int = 100,
                words: dict[str, float] | None = None) -> Text:
    """Every field in full (:func:`fit_fields` without a limit)."""
    return fit_fields(fields, width, words).text


def screen_room(parts: list[RenderableType], width: int, height: int | None) -> int | None:
    """Lines left for a row's fields when ``parts`` (everything else on the screen)
    are drawn at ``width`` on a terminal of ``height`` lines (one kept for the cursor)."""
    if height is None:
        return None
    console = render.out
    options = console.options.update(width=width)
    used = sum(len(console.render_lines(p, options, pad=False)) for p in parts)
    return max(height - used - 1, MIN_ROOM)


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


# -- input --------------------------------------------------------------------
class LineInput:
    """Answers one per line (stdin is not a terminal)."""

    interactive = False

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    @contextlib.contextmanager
    def raw(self) -> Iterator[LineInput]:
        """Nothing to set up for lines."""
        yield self

    def key(self) -> str | None:
        """The next answer line, ``None`` at end of input."""
        line = self.stream.readline()
        return None if line == "" else line.rstrip("\r\n")

    def line(self, prompt: str) -> str | None:
        """The next answer line after ``prompt``, echoed so a transcript reads as typed."""
        out = render.out
        out.print(prompt, end="", markup=False, highlight=False)
        out.file.flush()
        line = self.key()
        out.print("" if line is None else line, markup=False, highlight=False)
        return line

    def edit(self, prompt: str, check: Check | None = None) -> str | None:
        """As :meth:`line`: piped answers are not asked again (a refusal is reported)."""
        return self.line(prompt)


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


    def edit(self, prompt: str, check: Check | None = None) -> str | None:
        """A line typed in a real line editor (prompt_toolkit): arrows, Home/End and
        Backspace edit, control characters never enter it; Esc or Ctrl-C cancels
        (returns ``""``), Ctrl-D on an empty line ends input (``None``). A line that
        ``check`` refuses is not returned: the reason is shown and the prompt stays.
        """
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.validation import ValidationError, Validator

        bindings = KeyBindings()

        @bindings.add("escape", eager=True)
        @bindings.add("c-c")
        def _cancel(event: Any) -> None:
            event.app.exit(result="")

        @bindings.add("c-d")
        def _end(event: Any) -> None:
            if not event.current_buffer.text:
                event.app.exit(result=None)

        class _Refuse(Validator):
            def validate(self, document: Any) -> None:
                problem = check(document.text) if check is not None else None
                if problem:
                    raise ValidationError(message=problem, cursor_position=len(document.text))

        self._pending.clear()  # keys typed ahead belong to the screen, not to the name
        editor: PromptSession[str] = PromptSession(
            key_bindings=bindings, validator=_Refuse(), validate_while_typing=False)
        try:
            return editor.prompt(prompt)
        except EOFError:
            return None
        except KeyboardInterrupt:
            return ""


Source = KeyInput | LineInput
# check(line) -> why the line is refused, or None to accept it
Check = Callable[[str], str | None]


# -- what a kind of answer adds -------------------------------------------------
SessionT = TypeVar("SessionT", bound=Session, contravariant=True)
ViewT = TypeVar("ViewT", bound=View, contravariant=True)
StepT = TypeVar("StepT", bound=Step)


@dataclass
class Outcome(Generic[StepT]):
    """What one command did: the session's step, a note or an unknown key to show,
    and whether to quit."""

    step: StepT | None = None
    note: RenderableType | None = None
    unknown: str | None = None
    stop: bool = False


class Asking(Protocol[SessionT, ViewT, StepT]):
    """How one kind of answer is asked, parsed and shown (a session's ``answer``),
    for sessions of type ``SessionT`` showing ``ViewT`` and returning ``StepT``.

    Attributes
    ----------
    verb : str
        What is done to a row ("label", "measure"), for the done message.
    """

    verb: str

    def unattended(self, session: SessionT) -> bool:
        """Whether the session answers by itself (no questions asked)."""
        ...

    def run_unattended(self, session: SessionT) -> None:
        """Answer every row without asking, showing each step and the summary."""
        ...

    def resumed(self, session: SessionT) -> str:
        """The line saying what a resumed store holds."""
        ...

    def screen(self, view: ViewT, step: StepT | None, note: RenderableType | None,
               unknown: str | None, width: int, layout: Layout | None = None) -> RenderableType:
        """Everything shown for one row (or for the end), fitted to ``layout``."""
        ...

    def ask(self, view: ViewT, source: Source) -> Command:
        """Read the next command: an answer, or skip/undo/help/quit/unknown."""
        ...

    def act(self, session: SessionT, view: ViewT, command: Command,
            source: Source) -> Outcome[StepT]:
        """Carry out a command that answers the row."""
        ...

    def help(self, view: ViewT) -> RenderableType:
        """The full help shown for ``?``."""
        ...

    def summary(self, session: SessionT) -> RenderableType:
        """What is shown when the session ends."""
        ...
