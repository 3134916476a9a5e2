"""Terminal rendering: the only part of alearn that imports rich.

Library functions return plain data; these functions turn it into text. The
consoles are module-level so tests (and the labeling UI) can swap them.
"""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.markup import escape

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    """Print a one-line error to stderr (wrapped between words on a terminal)."""
    _labelled("[bold red]error:[/]", "error:", message)


def notice(message: str) -> None:
    """Print an informational line to stderr (wrapped between words on a terminal)."""
    _labelled("[dim]note:[/]", "note:", message)


def _labelled(label: str, plain: str, message: str) -> None:
    """``label message`` on stderr: one line when piped (scripts read it whole); on a
    terminal wrapped at spaces only, so no word, path or option is cut in two (a word
    wider than the terminal is left whole for the terminal to fold)."""
    lines = [message]
    if err.is_terminal:
        indent = " " * (len(plain) + 1)
        lines = textwrap.wrap(message, width=max(err.width, 20), initial_indent=indent,
                              subsequent_indent=indent, break_long_words=False,
                              break_on_hyphens=False) or [indent]
        lines[0] = lines[0][len(indent):]
    # Messages are plain text: brackets in them (e.g. 'alearn[dask]') are not markup.
    err.print(f"{label} {escape(lines[0])}", markup=True, highlight=False, soft_wrap=True)
    for rest in lines[1:]:
        err.print(rest, markup=False, highlight=False, soft_wrap=True)


def written(paths: list) -> None:
    """Say which files were written."""
    for path in paths:
        err.print(f"[dim]wrote[/] {path}", markup=True, highlight=False, soft_wrap=True)
