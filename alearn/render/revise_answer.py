"""The label screen's revisions: ``~`` unsure, ``#`` note, ``<`` history, and the
``:`` command line (``:relabel ID CLASS``, ``:unlabel ID``, ...), on a terminal or
as piped lines. The session does the work (:mod:`alearn.session.revisions`);
this module parses and shows.

On a terminal a revision that cannot be done is a message, and the person types
again. Piped lines come from a script, which cannot read the message: there a
refused revision ends the session with one error naming the line (exit 2);
every answer before it is saved.
"""

from __future__ import annotations

from rich.text import Text

from alearn import render
from alearn.errors import ConfigError
from alearn.journal.state import HistoryEntry, JournalState
from alearn.render.report import table
from alearn.render.session_parts import Outcome, Source
from alearn.session.classes import ClassSession
from alearn.session.keystrokes import REVISIONS, SCREEN_COMMANDS, Command
from alearn.session.revisions import ACTION_WORDS
from alearn.session.views import ClassStep, ClassView

HISTORY_SHOWN = 10  # answers the history lists unless told how many


def revise(session: ClassSession, view: ClassView, command: Command,
           source: Source) -> Outcome[ClassStep] | None:
    """Carry out a revision command (``None``: ``command`` is not one).

    Raises
    ------
    ConfigError
        Piped input only: the revision cannot be done (see the module docstring).
    """
    outcome = _revise(session, view, command, source)
    if outcome is None or source.interactive:
        return outcome
    if outcome.step is not None and outcome.step.action == "none":
        number = getattr(source, "number", 0)
        raise ConfigError(f"input line {number}: {outcome.step.message}; the answers before "
                          "it are saved")
    return outcome


def _refused(message: str) -> Outcome[ClassStep]:
    """A revision that cannot be done, and why."""
    return Outcome(step=ClassStep(action="none", message=message))


def _revise(session: ClassSession, view: ClassView, command: Command,
            source: Source) -> Outcome[ClassStep] | None:
    if command.action == "unsure":
        return Outcome(step=session.mark_unsure())
    if command.action == "note":
        if view.done:
            return _refused("no row to note")
        text = source.edit("note on this row (Esc cancels): " if source.interactive
                           else "note: ", None)
        if text is None and not source.interactive:
            return Outcome(stop=True)  # the end of piped input
        if not isinstance(text, str) or not text.strip():
            return _refused("no note: nothing recorded (:note ID removes one)")
        return Outcome(step=session.note(text))
    if command.action == "history":
        if not source.interactive:
            return Outcome(note=history_text(session.history()[:HISTORY_SHOWN]))
        return _pick_and_change(session, view, source)
    if command.action != "command":
        return None
    line = command.value
    if line is None and source.interactive:
        screen = ", check, statement" if view.advice else ""
        line = source.edit("command (relabel ID CLASS, unlabel ID, unsure ID, note ID TEXT, "
                           f"history, find TEXT{screen}; Esc cancels): :", None)
    return _command(session, view, (line or "").strip())


def _pick_and_change(session: ClassSession, view: ClassView,
                     source: Source) -> Outcome[ClassStep]:
    """The history on a terminal: pick an answered row (its number in the list, its
    id, or text to find it by), then give it a class, take its answer back, or mark
    it unsure."""
    entries = session.history()
    state = session.journal()
    listed = list(dict.fromkeys(e.event.row_id for e in entries if not e.undone
                                and state.status(e.event.row_id) is not None))
    render.out.print(_numbered(session, listed[:HISTORY_SHOWN]))
    while True:
        pick = source.edit("row to change: its number, its id, or text to find it "
                           "(Esc: back): ", None)
        if not isinstance(pick, str) or not pick.strip():
            return Outcome(note=history_text(entries[:HISTORY_SHOWN]))
        pick = pick.strip()
        if _number(pick) and int(pick) <= min(len(listed), HISTORY_SHOWN):
            row_id = listed[int(pick) - 1]
            break
        if state.status(pick) is not None:
            row_id = pick
            break
        render.out.print(found_text(session, pick))
    keys = ", ".join(f"{k} {c}" for k, c in enumerate(view.classes[:9], 1))
    answer = source.edit(f"row {row_id} ({_now(state, row_id)}): class ({keys} or a name), "
                         "u take back, ~ unsure: ", None)
    if not isinstance(answer, str) or not answer.strip():
        return Outcome(note=Text("nothing changed", style="yellow"))
    answer = answer.strip()
    if answer == "u":
        return Outcome(step=session.unlabel(row_id))
    if answer == "~":
        return Outcome(step=session.mark_unsure(row_id))
    if _number(answer) and int(answer) <= min(len(view.classes), 9):
        answer = view.classes[int(answer) - 1]
    return Outcome(step=session.relabel(row_id, answer))


def _number(text: str) -> bool:
    """A count of 1 or more written in ASCII digits (``"²".isdigit()`` is true too)."""
    return text.isascii() and text.isdigit() and int(text) >= 1


def _now(state: JournalState, row_id: str) -> str:
    status = state.status(row_id)
    return state.labels[row_id].value if status == "label" else str(status)


def _numbered(session: ClassSession, listed: list[str]) -> Text:
    """The answered rows, newest first, numbered for picking."""
    state = session.journal()
    text = Text("answered rows, newest first:\n", style="bold")
    for k, row_id in enumerate(listed, 1):
        note = state.notes.get(row_id)
        text.append(f" {k:>2}. {row_id}  {_now(state, row_id)}"
                    + (f"  note: {note.value}" if note is not None else "") + "\n")
    return text


def _command(session: ClassSession, view: ClassView, line: str) -> Outcome[ClassStep]:
    name, _, rest = line.partition(" ")
    rest = rest.strip()
    parts = rest.split(maxsplit=1)
    if name == "relabel" and len(parts) == 2:
        return Outcome(step=session.relabel(parts[0], parts[1]))
    if name == "unlabel" and len(parts) == 1:
        return Outcome(step=session.unlabel(parts[0]))
    if name == "unsure" and len(parts) == 1:
        return Outcome(step=session.mark_unsure(parts[0]))
    if name == "note" and parts:
        return Outcome(step=session.note(parts[1] if len(parts) > 1 else "", parts[0]))
    if name == "history" and (not rest or _number(rest)):
        return Outcome(note=history_text(session.history()[:int(rest or HISTORY_SHOWN)]))
    if name == "find" and rest:
        return Outcome(note=found_text(session, rest))
    if name == "check" and not rest:
        return Outcome(step=session.toggle_check())
    if name == "statement" and not rest:
        return Outcome(step=session.statement_step())
    if name == "chart" and not rest:
        chart = session.recall_chart()
        if chart is None:
            return _refused("the recall chart is for screen sessions (a rare class to find)")
        return Outcome(note=table(chart))
    usage = "; ".join(f":{k} {v.split('  ')[0]}".rstrip() for k, v in
                      {**REVISIONS, **(SCREEN_COMMANDS if view.advice else {})}.items())
    return _refused(f"unknown command {':' + line!r}; expected {usage}")


def history_text(entries: list[HistoryEntry]) -> Text:
    """The answers, newest first: time, row, what was done, what it replaced."""
    text = Text()
    if not entries:
        return Text("no answer yet", style="dim")
    text.append("history, newest first (:relabel ID CLASS, :unlabel ID, :note ID TEXT):\n",
                style="bold")
    for entry in entries:
        event = entry.event
        what = event.value if event.action == "label" else \
            f"note {event.value!r}" if event.action == "note" else \
            ACTION_WORDS.get(event.action, event.action)
        line = f" {event.time[11:19]}  {event.row_id}  {what}"
        if entry.replaced is not None and event.action != "note":
            line += f" (was {entry.replaced})"
        line += " (undone)" if entry.undone else ""
        text.append(line + "\n", style="dim" if entry.undone else "")
    text.rstrip()
    return text


def found_text(session: ClassSession, needle: str) -> Text:
    """Answered rows whose id or fields hold ``needle`` (case ignored)."""
    folded = needle.casefold()
    state = session.journal()
    hits = []
    for row_id in (*state.labels, *state.unsure, *state.skipped):
        row = session.position(row_id)
        fields = " ".join(str(v) for _, v, _ in session.fields(row))
        if folded in f"{row_id} {fields}".casefold():
            now = state.labels[row_id].value if row_id in state.labels else \
                "unsure" if row_id in state.unsure else "skipped"
            hits.append(f" {row_id}  {now}")
    if not hits:
        return Text(f"no answered row holds {needle!r}", style="yellow")
    return Text(f"answered rows holding {needle!r}:\n" + "\n".join(hits[:HISTORY_SHOWN]))
