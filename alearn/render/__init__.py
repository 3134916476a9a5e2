"""Terminal rendering: the only part of alearn that imports rich.

Library functions return plain data; these functions turn it into text. The
consoles are module-level so tests (and the labeling UI) can swap them.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    """Print a one-line error to stderr."""
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False,
              soft_wrap=True)


def notice(message: str) -> None:
    """Print an informational line to stderr."""
    err.print(f"[dim]note:[/] {escape(message)}", markup=True, highlight=False, soft_wrap=True)


def written(paths: list) -> None:
    """Say which files were written."""
    for path in paths:
        err.print(f"[dim]wrote[/] {path}", markup=True, highlight=False, soft_wrap=True)
