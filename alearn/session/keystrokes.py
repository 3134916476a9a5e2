"""Keys of a labeling session: keystrokes and answer lines parsed into commands.

On a terminal each key is one command: ``1``–``9`` pick the class on that key,
letters are actions. Piped input is read one answer per line: a key, or a
class name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_KEYS = 9
# The keys every session reads as actions (a key, or a line of its own when piped).
ACTION_KEYS = {"s": "skip", "u": "undo", "?": "help", "q": "quit",
               "e": "expand", "f": "fields"}  # the whole text of long fields; every field
# A class session's keystrokes: the actions, typing a class name, marking the row
# unsure (~), a note on it (#), the history of answers (<), a command line
# (``:relabel ID CLASS``, :data:`REVISIONS`), and Ctrl-C and Ctrl-D, which behave like
# q. The revision keys are punctuation: a letter would take a class name away.
KEYSTROKES = {**ACTION_KEYS, "n": "name", "~": "unsure", "#": "note", "<": "history",
              ":": "command", "\x03": "quit", "\x04": "quit"}
# The command line of a class session (after ``:``, or a piped line starting with
# ``:``): what each command takes, for the parser, the help and the docs.
REVISIONS = {"relabel": "ID CLASS  give an answered (or unsure) row another class",
             "unlabel": "ID  take a row's answer back: it returns to the pool",
             "unsure": "ID  mark an answered row unsure",
             "note": "ID TEXT  a note on a row (no text: remove it)",
             "history": "[N]  the last N answers, newest first (default 10)",
             "find": "TEXT  answered rows whose id or fields hold TEXT"}
# A screen session's own commands (after ``:``): the random-sample check of recall
# and the stopping statement (:mod:`alearn.session.sample_checks`).
SCREEN_COMMANDS = {"check": "  start a random-sample check of recall (again: leave it)",
                   "statement": "  write the stopping statement beside the store",
                   "chart": "  the recall chart: relevant found so far, with the advice's "
                            "estimate of all relevant"}
# Keys that page through a wide row's fields on a terminal (never a line of piped
# input, so they take no name away from the classes): PgDn, space and Down show
# the next fields, PgUp and Up the previous ones.
PAGE_KEYS = {"\x1b[6~": "next", " ": "next", "\x1b[B": "next", "\x1bOB": "next",
             "\x1b[5~": "previous", "\x1b[A": "previous", "\x1bOA": "previous"}


@dataclass(frozen=True)
class Command:
    """A parsed keystroke or answer line.

    Attributes
    ----------
    action : str
        ``"label"``, ``"skip"``, ``"undo"``, ``"help"``, ``"quit"``,
        ``"name"`` (type a class name), ``"unsure"``, ``"note"``, ``"history"``,
        ``"command"`` (a revision: its text in ``value``), ``"expand"`` (long text in full),
        ``"fields"`` (every field), ``"page"`` (the next or previous fields),
        ``"values"`` (goal values), ``"again"`` (the row asks for more: a goal
        value of several) or ``"unknown"``.
    value : str or None
        The class for a label; ``"next"`` or ``"previous"`` for a page; the
        offending input for unknown.
    values : tuple of float
        The goal values typed for a row (``"values"``).
    """

    action: str
    value: str | None = None
    values: tuple[float, ...] = ()


def parse_key(key: str, classes: Sequence[str]) -> Command:
    """Map one keystroke to a command: ``1``–``9`` classes, letters actions.

    Parameters
    ----------
    key : str
    classes : sequence of str
        Known classes in key order.

    Returns
    -------
    Command
    """
    if len(key) == 1 and "1" <= key <= "9":
        index = int(key) - 1
        if index < min(len(classes), MAX_KEYS):
            return Command("label", classes[index])
        return Command("unknown", key)
    if key in PAGE_KEYS:
        return Command("page", PAGE_KEYS[key])
    action = KEYSTROKES.get(key)
    return Command(action) if action else Command("unknown", key)


def parse_line(line: str, classes: Sequence[str], open_classes: bool) -> Command:
    """Map one answer line (piped input): a key, or a class name.

    A name is trimmed and matched to a known class without regard to case
    (``Good`` labels ``good``: piped input cannot be asked which is meant). A
    name not known yet starts a new class only when classes are open (no
    ``--classes`` was given); otherwise it is unknown.
    """
    text = line.strip()
    if not text:
        return Command("unknown", text)
    # A class of an older store named like a revision key (~, #, <) stays that class.
    known = class_like(text, classes)
    if text.startswith(":") and len(text) > 1 and known is None:
        return Command("command", text[1:].strip())
    if (text in KEYSTROKES and known is None) or (len(text) == 1 and text.isdigit()):
        return parse_key(text, classes)
    if known is not None:
        return Command("label", known)
    if open_classes:
        return Command("label", text)
    return Command("unknown", text)


def class_like(name: str, classes: Sequence[str]) -> str | None:
    """The known class ``name`` stands for: itself, else the one equal to it when
    trimmed and compared without regard to case (``" Good "`` -> ``"good"``).

    Parameters
    ----------
    name : str
    classes : sequence of str
        Known classes.

    Returns
    -------
    str or None
        ``None`` when no known class is like it.
    """
    text = name.strip()
    if text in classes:
        return text
    folded = text.casefold()
    return next((c for c in classes if c.casefold() == folded), None)


def name_problem(name: str, classes: Sequence[str], open_classes: bool) -> str | None:
    """Why ``name`` cannot be the class of a row (``None``: it can).

    A class name is never empty, never holds control characters (an escape
    sequence from an arrow key, a tab), and a new one is never a key of the
    session (``q`` would be a class that piped input could never enter).
    A new name is refused when the classes are closed (``--classes``).
    """
    text = name.strip()
    if not text:
        return "a class name cannot be empty"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return "a class name cannot hold control characters"
    if class_like(text, classes) is not None:
        return None
    if text in KEYSTROKES or (len(text) == 1 and text.isdigit()):
        return f"{text!r} is a key; a class name must not be one"
    if text.startswith(":"):
        return f"{text!r} starts with ':', which starts a command; a class name must not"
    if not open_classes:
        return f"unknown class {text!r}; classes are {', '.join(classes)}"
    return None
