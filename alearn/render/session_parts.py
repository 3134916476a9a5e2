"""What every labeling screen shares: cells and a row's fields fitted to the terminal.

:class:`Asking` is what a kind of answer (a class, goal values) adds to the one
screen loop (:mod:`alearn.render.session_screen`); the keyboard is read by
:mod:`alearn.render.keyboard`.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace
from typing import Generic, Protocol, TypeVar

from rich.console import RenderableType
from rich.text import Text

from alearn import render
from alearn.counting import counted
from alearn.render.keyboard import Source
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
        Every field, not only those that fit (``f``): on a terminal a page at a
        time, in file order.
    page : int
        The page of fields shown with ``every`` (PgDn/PgUp; past the last page
        it starts again at the first).
    """

    height: int | None = None
    expand: bool = False
    every: bool = False
    page: int = 0

    def after(self, action: str, value: str | None = None) -> Layout | None:
        """The layout after a layout key: ``e`` (``"expand"``), ``f`` (``"fields"``),
        PgDn/PgUp (``"page"``, ``value`` ``"next"`` or ``"previous"``); ``None`` for
        any other command. PgDn first shows every field, a page at a time; PgUp
        before the first page goes to the last."""
        if action == "expand":
            return replace(self, expand=not self.expand)
        if action == "fields":
            return replace(self, every=not self.every, page=0)
        if action == "page":
            forward = value == "next"
            page = self.page + (1 if forward else -1) if self.every else (0 if forward else -1)
            return replace(self, every=True, page=page)
        return None


@dataclass(frozen=True)
class Fitted:
    """A row's fields as drawn: the text, and what was left out (for the keys line)."""

    text: Text
    cut: bool = False  # some long text shows only its first lines
    left_out: int = 0  # fields not shown
    pages: int = 1  # pages of every field (``f``), one shown at a time


# The longest the layout keys get (sizing a screen before its fields are fitted).
WIDEST_LAYOUT_KEYS = ("e shorten text", "f fewer fields")


def layout_keys(fitted: Fitted | None, layout: Layout) -> tuple[str, ...]:
    """The layout keys worth naming: ``e``/``f`` when they would show more (or less)."""
    keys = []
    if fitted is not None and (fitted.cut or layout.expand):
        keys.append("e shorten text" if layout.expand else "e expand text")
    if fitted is not None and (fitted.left_out or layout.every):
        keys.append("f fewer fields" if layout.every else "f all fields")
    return tuple(keys)


def _pages(sizes: list[int], room: int) -> list[list[int]]:
    """Every field in file order, cut into pages of at most ``room`` lines (a field
    taller than a page gets a page of its own)."""
    pages: list[list[int]] = [[]]
    used = 0
    for k, size in enumerate(sizes):
        if pages[-1] and used + size > room:
            pages.append([])
            used = 0
        pages[-1].append(k)
        used += size
    return pages


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
    layout's ``expand`` undoes the first, its ``every`` shows every field in
    file order, a page of ``room`` lines at a time (so the row's header stays
    on the screen).

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
    pages: list[list[int]] = [chosen]
    if room is not None:
        cap = max(2, min(LONG_LINES, room - 1))
        sizes = [min(len(lines), cap) for _, lines, _ in cells]
        if not layout.every and sum(sizes) > room:
            chosen = _choose(sizes, [str(f[0]) for f in fields], room, ranked)
        elif layout.every:
            full = [len(lines) for _, lines, _ in cells] if layout.expand else sizes
            if sum(full) > room:
                pages = _pages(full, room - 1)  # one line kept for the page line
                chosen = pages[layout.page % len(pages)]
    shown = [cells[k] for k in chosen]
    cut_at = None if cap is None or layout.expand else cap
    text = _draw(shown, name_width, cut_at, {w.lower(): v for w, v in (words or {}).items()})
    left_out = len(cells) - len(chosen)
    if len(pages) > 1:
        page = layout.page % len(pages)
        after = "PgDn first page" if page == len(pages) - 1 else "PgDn/space next"
        text.append(f"\n … fields {chosen[0] + 1:,}–{chosen[-1] + 1:,} of {len(cells):,} · "
                    f"page {page + 1}/{len(pages)} · {after} · PgUp previous", style="dim")
        left_out = 0  # every field is a page away: f now shows fewer
    elif left_out:
        first = " (the model's strongest shown first)" if ranked else ""
        text.append(f"\n … {counted(left_out, 'more field', thousands=True)}{first} · f or "
                    "PgDn shows all",
                    style="dim")
    cut = cut_at is not None and any(len(lines) > cut_at for _, lines, _ in shown)
    return Fitted(text, cut=cut, left_out=left_out, pages=len(pages))


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
