"""Measuring k rows at once by hand: the table of rows under way and its prompts
(``alearn label --parallel k`` on an optimize task, without ``--evaluate``).

The screen lists the rows under way, each with a number. The person types a
row's number when its result is in (and its goal values on the same line, or
one prompt per goal as on the one-row screen; ``s`` after the number skips
it), in any order; each result is journaled when entered and its slot is
refilled with the strategy's next row. At a row's goal prompt ``u`` or Up
steps back to its previous goal, and at its first goal (as Esc anywhere)
back to the table; at the table ``u`` undoes the last result, whose row comes
back into the table.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from alearn import render
from alearn.counting import counted
from alearn.render.goal_findings import progress_line
from alearn.render.keyboard import Source
from alearn.render.session_parts import (
    WIDEST_LAYOUT_KEYS,
    Layout,
    Outcome,
    fit_fields,
    layout_keys,
    screen_room,
)
from alearn.session.keystrokes import Command
from alearn.session.measure import MeasureSession, format_goal
from alearn.session.measure_views import BatchRow, MeasureStep, MeasureView, parse_pick


class RowPrompts(Protocol):
    """The one-row screen's goal prompts (:class:`~alearn.render.goal_answer.GoalAsking`)."""

    def ask(self, view: MeasureView, source: Source) -> Command: ...

    def start_row(self, row_id: str | None, typed: tuple[float, ...] = ()) -> None: ...

    def typed(self) -> tuple[float, ...]: ...

# Why a row is in the table, in a few words.
WHY = {"start": "start row", "replacement": "start row (for a skipped one)",
       "resumed": "under way when last stopped", "undone": "its result was undone"}
MIN_COLUMN = 9  # characters a field's column gets at least; fields that do not fit are left out


def why_words(row: BatchRow, strategy: str) -> str:
    """Why a row of the table was handed out."""
    return WHY.get(row.why, f"{strategy}, knowing the rows under way")


def batch_table(view: MeasureView, picked: str | None, width: int) -> Table:
    """The rows under way: number, id, as many fields as fit, and why each was chosen;
    with a row picked, that row alone (its fields are listed under the table)."""
    names = [name for name, _, _ in view.batch[0].fields]
    fits = max((width - 16 - 2 * 4 - 30) // (MIN_COLUMN + 2), 1)
    shown = names[:fits]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="bold cyan")
    table.add_column("row", no_wrap=True, overflow="ellipsis", max_width=16)
    for name in shown:
        table.add_column(name, overflow="ellipsis", no_wrap=True, min_width=3)
    table.add_column("why", overflow="fold", style="dim")
    for row in view.batch:
        if picked is not None and row.row_id != picked:
            continue
        values = {name: value for name, value, _ in row.fields}
        mark = "▸" if row.row_id == picked else ""
        table.add_row(f"{mark}{row.key}", row.row_id, *(_cell(values.get(n)) for n in shown),
                      why_words(row, view.strategy),
                      style="reverse" if row.row_id == picked else None)
    if len(names) > len(shown) and picked is None:
        table.caption = f"+{counted(len(names) - len(shown), 'column')}: pick a row to see all"
        table.caption_justify = "left"
    return table


def _cell(value: object) -> str:
    if isinstance(value, float):
        return format_goal(value)
    return "" if value is None else str(value)


def keys_line(view: MeasureView, picked: str | None, typed: tuple[float, ...],
              toggles: tuple[str, ...] = ()) -> Text:
    """The keys at the table, or at a picked row's goal prompt."""
    goals = list(view.goals)
    if picked is None:
        parts = ["type a row's # when its result is in (values may follow)", "# s skip it"]
        if view.progress.measured or view.progress.skipped:
            parts.append("u undo the last result")
        return Text(" · ".join([*parts, "? help", "q quit"]), style="dim")
    parts = ["Enter: next goal" if len(typed) < len(goals) - 1 else "Enter: record the row"]
    parts.append(f"u or ↑ back to {goals[len(typed) - 1]}" if typed else "u back to the table")
    parts += ["Esc: back to the table", "s skip the row", *toggles, "? help", "q quit"]
    return Text(" · ".join(parts), style="dim")


def screen(view: MeasureView, lines: list[RenderableType], picked: str | None,
           typed: tuple[float, ...], width: int, layout: Layout, keys: bool) -> Group:
    """The table of rows under way; a picked row's fields fitted under it; ``lines``
    (best row, last step, notes) below, then the keys."""
    count = counted(len(view.batch), "row")
    title = f"{count} under way: enter each one's result when it is in, in any order"
    key = next((r.key for r in view.batch if r.row_id == picked), None)
    if key is not None:  # the others wait in the table (Esc): room for this row's fields
        title = f"# {key} of the {count} under way (Esc: back to the table of all)"
    head: list[RenderableType] = [Text(title, style="bold"), batch_table(view, picked, width)]
    tail: list[RenderableType] = [progress_line(view, under_way=True), *lines]
    row = next((r for r in view.batch if r.row_id == picked), None)
    if row is None:
        if keys:
            tail.append(keys_line(view, None, typed))
        return Group(*head, *tail)
    head.append(Text(f"row {row.row_id}", style="bold"))
    if typed:
        tail.append(Text("this row so far: ", style="bold").append(" · ".join(
            f"{g} {format_goal(v)}" for g, v in zip(view.goals, typed, strict=False)),
            style="cyan"))
    widest = [keys_line(view, picked, typed, WIDEST_LAYOUT_KEYS)] if keys \
        else []
    room = screen_room([*head, *tail, *widest, Text("prompt"), Text("refusal")], width,
                       layout.height)
    fitted = fit_fields(row.fields, width, room=room, layout=layout)
    shown = layout_keys(fitted, layout)
    if keys:
        tail.append(keys_line(view, picked, typed, shown))
    elif shown:
        tail.append(Text(" · ".join(shown) + " (typed at the prompt)", style="dim"))
    return Group(*head, fitted.text, *tail)


def help_text(view: MeasureView) -> Text:
    """The help shown for ``?`` at the table."""
    goals = ", ".join(f"{g} ({'maximise' if d == 'max' else 'minimise'})"
                      for g, d in view.goals.items())
    return Text("\n".join([
        f"goals: {goals}",
        "type a row's number when its result is in, then each goal's value",
        "  (or all on one line: 2 0.5 13); 2 s skips row 2 (u brings it back)",
        "each result is saved at once; its place gets the strategy's next row",
        "at a goal prompt: u or Up back a goal; Esc, or u at the first goal: the table",
        "u at the table: undo the last result (its row comes back into the table)",
        "q quit: results are saved, the rows under way kept for the same command",
    ]), style="dim")


class BatchAsking:
    """The table of rows under way and the goal prompts of a picked row; the goal
    prompts are the one-row screen's (:class:`~alearn.render.goal_answer.GoalAsking`)."""

    def __init__(self, goal: RowPrompts) -> None:
        self._goal = goal
        self.picked: str | None = None

    def typed(self) -> tuple[float, ...]:
        """The values typed for the picked row so far."""
        return self._goal.typed() if self.picked is not None else ()

    def ask(self, view: MeasureView, source: Source) -> Command:
        """A row picked (and maybe its values), or a command; then the picked row's
        goal values, one prompt per goal."""
        if self.picked not in {r.row_id for r in view.batch}:
            self.picked = None
        if self.picked is not None:
            return self._ask_goals(view, source)
        keys = f"1–{len(view.batch)}" if len(view.batch) > 1 else "1"

        def problem(text: str) -> str | None:
            pick = parse_pick(text, view.batch, len(view.goals))
            return pick.message if pick.action == "invalid" else None

        line = source.edit(f"row ({keys}): ", problem)
        if line is None or not isinstance(line, str) or {"\x03", "\x04"} & set(line):
            return Command("quit")
        pick = parse_pick(line, view.batch, len(view.goals))
        if pick.action == "invalid":
            render.out.print(Text(pick.message, style="yellow"))
            return Command("again")
        if pick.action in ("undo", "help", "quit"):
            return Command(pick.action)
        if pick.action == "skip-row":
            return Command("skip-row", pick.row_id)
        if pick.action == "values" and len(pick.values) == len(view.goals):
            return Command("values", pick.row_id, pick.values)
        self.picked = pick.row_id
        self._goal.start_row(pick.row_id, pick.values)
        return Command("again")

    def _ask_goals(self, view: MeasureView, source: Source) -> Command:
        row = self.picked
        command = self._goal.ask(replace(view, row_id=row, batch=()), source)
        if (command.action == "again" and command.value == "clear") or command.action == "undo":
            self.picked = None  # Esc, or u at the first goal: back to the table
            return Command("again")
        if command.action == "skip":
            self.picked = None
            return Command("skip-row", row)
        if command.action == "values":
            self.picked = None
            return Command("values", row, command.values)
        return command

    def act(self, session: MeasureSession, command: Command) -> Outcome[MeasureStep]:
        """Record a row's goal values, or skip it."""
        assert command.value is not None
        if command.action == "skip-row":
            return Outcome(step=session.skip_row(command.value))
        return Outcome(step=session.measure_row(command.value, command.values))
