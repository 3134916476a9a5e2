"""Reading the keyboard of a labeling screen.

On a terminal, :class:`KeyInput` reads single keystrokes (cbreak mode via the
standard library's ``termios``, with signals off so Ctrl-C arrives as a key and
behaves like ``q``) and typed lines in a line editor (prompt_toolkit); when
stdin is not a terminal, :class:`LineInput` reads one answer per line, so
sessions can be scripted and piped.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from alearn import render


class LineInput:
    """Answers one per line (stdin is not a terminal)."""

    interactive = False

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.number = 0  # lines read so far: a refused line is named by its number

    @contextlib.contextmanager
    def raw(self) -> Iterator[LineInput]:
        """Nothing to set up for lines."""
        yield self

    def key(self) -> str | None:
        """The next answer line, ``None`` at end of input."""
        line = self.stream.readline()
        if line == "":
            return None
        self.number += 1
        return line.rstrip("\r\n")

    def line(self, prompt: str) -> str | None:
        """The next answer line after ``prompt``, echoed so a transcript reads as typed."""
        out = render.out
        out.print(prompt, end="", markup=False, highlight=False)
        out.file.flush()
        line = self.key()
        out.print("" if line is None else line, markup=False, highlight=False)
        return line

    def edit(self, prompt: str, check: Check | None = None, default: str = "",
             keys: dict[str, str] | None = None) -> str | Pressed | None:
        """As :meth:`line`: piped answers are not asked again (a refusal is reported);
        a line has no text to start from and no keys but Enter."""
        return self.line(prompt)

    def confirm(self, prompt: str) -> bool | None:
        """Piped input is not asked: the default answer (yes)."""
        return True


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

    def confirm(self, prompt: str) -> bool | None:
        """A yes/no question answered by one key: ``y`` or Enter yes, ``n`` no, Esc
        or Ctrl-C cancels (``None``); other keys are not answers."""
        out = render.out
        out.print(prompt, end="", markup=False, highlight=False)
        out.file.flush()
        self._pending.clear()  # keys typed ahead do not answer a question not yet seen
        while True:
            key = self.key()
            answer = {"y": True, "Y": True, "\r": True, "\n": True, "n": False, "N": False,
                      "\x1b": None, "\x03": None, "\x04": None, None: None}.get(key, "")
            if answer != "":
                out.print({True: "yes", False: "no", None: "cancelled"}[answer],
                          markup=False, highlight=False)
                return answer  # type: ignore[return-value]

    def edit(self, prompt: str, check: Check | None = None, default: str = "",
             keys: dict[str, str] | None = None) -> str | Pressed | None:
        """A line typed in a real line editor (prompt_toolkit): arrows, Home/End and
        Backspace edit, control characters never enter it; Esc or Ctrl-C cancels
        (returns ``""``), Ctrl-D on an empty line ends input (``None``). A line that
        ``check`` refuses is not returned: the reason is shown and the prompt stays.

        Parameters
        ----------
        prompt : str
        check : callable, optional
            ``check(line)``: why the line is refused, or ``None``.
        default : str
            Text the line starts with (editable).
        keys : dict, optional
            prompt_toolkit key names (``"up"``, ``"escape"``, ``"c-c"``) that end
            the line as :class:`Pressed` with the name given, instead of their
            usual meaning.
        """
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.validation import ValidationError, Validator

        bindings = KeyBindings()
        keys = dict(keys or {})

        def _press(name: str) -> Callable[[Any], None]:
            def handler(event: Any) -> None:
                event.app.exit(result=Pressed(name))
            return handler

        for key, name in keys.items():
            bindings.add(key, eager=key == "escape")(_press(name))
        if "escape" not in keys:
            bindings.add("escape", eager=True)(lambda event: event.app.exit(result=""))
        if "c-c" not in keys:
            bindings.add("c-c")(lambda event: event.app.exit(result=""))

        @bindings.add("c-d")
        def _end(event: Any) -> None:
            if not event.current_buffer.text:
                event.app.exit(result=None)

        class _Refuse(Validator):
            def validate(self, document: Any) -> None:
                problem = check(document.text) if check is not None else None
                if problem:
                    raise ValidationError(message=problem, cursor_position=len(document.text))

        self._pending.clear()  # keys typed ahead belong to the screen, not to the line
        editor: PromptSession[Any] = PromptSession(
            key_bindings=bindings, validator=_Refuse(), validate_while_typing=False)
        try:
            return editor.prompt(prompt, default=default)  # type: ignore[no-any-return]
        except EOFError:
            return None
        except KeyboardInterrupt:
            return ""


@dataclass(frozen=True)
class Pressed:
    """A key that ended a typed line instead of Enter (``KeyInput.edit``'s ``keys``)."""

    name: str


Source = KeyInput | LineInput
# check(line) -> why the line is refused, or None to accept it
Check = Callable[[str], str | None]
