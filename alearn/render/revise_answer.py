"""The label screen's revisions: ``~`` unsure, ``#`` note, ``<`` history, and the
``:`` command line (``:relabel ID CLASS``, ``:unlabel ID``, ...), on a terminal or
as piped lines. The session does the work (:mod:`alearn.session.revisions`);
this module parses and shows."""

from __future__ import annotations

from rich.text import Text

from alearn.journal.state import HistoryEntry
from alearn.render.session_parts import Outcome, Source
from alearn.session.classes import ClassSession
from alearn.session.keystrokes import REVISIONS, Command
from alearn.session.revisions import ACTION_WORDS
from alearn.session.views import ClassStep, ClassView

HISTORY_SHOWN = 10  # answers the history lists unless told how many


def revise(session: ClassSession, view: ClassView, command: Command,
           source: Source) -> Outcome[ClassStep] | None:
    """Carry out a revision command (``None``: ``command`` is not one)."""
    if command.action == "unsure":
        return Outcome(step=session.mark_unsure())
    if command.action == "note":
        if view.done:
            return Outcome(note=Text("no row to note", style="yellow"))
        text = source.edit("note on this row (empty: remove it; Esc cancels): "
                           if source.interactive else "note: ", None)
        if text is None:
            return Outcome(stop=True) if not source.interactive else \
                Outcome(note=Text("cancelled: nothing recorded", style="yellow"))
        return Outcome(step=session.note(text))
    if command.action == "history":
        return Outcome(note=history_text(session.history()[:HISTORY_SHOWN]))
    if command.action != "command":
        return None
    line = command.value
    if line is None and source.interactive:
        line = source.edit("command (relabel ID CLASS, unlabel ID, unsure ID, note ID TEXT, "
                           "history, find TEXT; Esc cancels): :", None)
    return _command(session, (line or "").strip())


def _command(session: ClassSession, line: str) -> Outcome[ClassStep]:
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
    if name == "history" and (not rest or rest.isdigit()):
        return Outcome(note=history_text(session.history()[:int(rest or HISTORY_SHOWN)]))
    if name == "find" and rest:
        return Outcome(note=found_text(session, rest))
    usage = "; ".join(f":{k} {v.split('  ')[0]}" for k, v in REVISIONS.items())
    return Outcome(note=Text(f"unknown command {':' + line!r}; expected {usage}",
                             style="yellow"))


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
