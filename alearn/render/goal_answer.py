"""Asking for goal values: what the labeling screen shows and reads for measure
(optimize) sessions (a session whose ``answer`` is ``"goals"``).

Each suggested row is shown and its goal values are asked for, one prompt per
goal (several numbers on one line fill the next goals); with ``--evaluate``
each evaluation is shown as it runs instead. Both end with the best row and
the rules. On a terminal each prompt is a line editor (prompt_toolkit, as for
class names): the screen is drawn again for each goal with the values typed
so far and the keys; ``u`` or Up steps back to the previous goal of the row,
and only at the row's first goal does ``u`` undo the previous row.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from alearn import render
from alearn.counting import counted
from alearn.errors import EvaluateError
from alearn.render import goal_batch
from alearn.render.front import front_block
from alearn.render.goal_findings import headroom_line, progress_line, rules_block
from alearn.render.keyboard import Pressed, Source
from alearn.render.session_parts import (
    WIDEST_LAYOUT_KEYS,
    Layout,
    Outcome,
    fields_text,
    fit_fields,
    layout_keys,
    screen_room,
)
from alearn.session.evaluations import run_evaluations, run_parallel_evaluations
from alearn.session.keystrokes import Command
from alearn.session.measure import MeasureSession, format_goal
from alearn.session.measure_front import front_view
from alearn.session.measure_views import (
    MIN_D2H_ROWS,
    Best,
    MeasureStep,
    MeasureView,
    parse_answer,
)

DIRECTIONS = {"max": "maximise", "min": "minimise"}


def best_line(best: Best | None) -> Text:
    """``best so far: row … · goal value … · d2h 0.123``."""
    text = Text()
    if best is None:
        return text
    if best.d2h is None:  # it means nothing yet: say when it will
        text.append(f"the best row and its d2h (distance to heaven) from {MIN_D2H_ROWS} "
                    "measured rows on", style="dim")
        return text
    text.append("best so far: ", style="bold")
    text.append(f"row {best.row_id} · ")
    text.append(" · ".join(f"{g} {format_goal(v)}" for g, v in best.values.items()), style="cyan")
    text.append(f" · d2h {best.d2h:.3f}", style="dim")
    return text


def why_line(view: MeasureView) -> Text:
    """Why the row was suggested."""
    text = Text("why: ", style="bold")
    if view.why == "start":
        text.append(f"a start row, {view.start_rows} before any goal is known (as in the "
                    "simulation)")
    elif view.why == "replacement":
        text.append("a start row drawn at random, in place of a skipped one")
    else:
        text.append(f"strategy {view.strategy}, from the {counted(view.progress.measured, 'row')} "
                    "measured so far")
    return text


def step_lines(step: MeasureStep | None, measured: int) -> list[RenderableType]:
    """What the last action did (and the rules when a budget was reached)."""
    if step is None:
        return []
    style = {"measure": "green", "undo": "green", "skip": "green", "fail": "yellow"}
    lines: list[RenderableType] = [Text(step.message, style=style.get(step.action, "yellow"))]
    if step.new_best:
        lines.append(Text("new best row", style="bold green"))
    if step.rules:
        lines.append(rules_block(step.rules, measured))
    return lines


def keys_line(view: MeasureView, typed: tuple[float, ...], toggles: tuple[str, ...] = ()
              ) -> Text:
    """The keys at this goal's prompt: stepping back within the row first, and which
    key undoes the previous row (only at the row's first goal)."""
    goals = list(view.goals)
    if view.done:
        return Text("keys: u undo the last measurement · q quit", style="dim")
    parts = ["Enter: next goal" if len(typed) < len(goals) - 1 else "Enter: record the row"]
    if typed:
        parts += [f"u or ↑ back to {goals[len(typed) - 1]}", "Esc: start the row again"]
    elif view.progress.measured or view.progress.skipped or view.progress.failed:
        parts.append("u undo the previous row")
    parts += ["s skip the row", *toggles, "? help", "q quit"]
    return Text(" · ".join(parts), style="dim")


def typed_line(view: MeasureView, typed: tuple[float, ...]) -> Text:
    """The values typed for this row so far."""
    text = Text("this row so far: ", style="bold")
    text.append(" · ".join(f"{g} {format_goal(v)}" for g, v in zip(view.goals, typed,
                                                                     strict=False)), style="cyan")
    return text


def screen(view: MeasureView, step: MeasureStep | None = None, note: RenderableType | None = None,
           width: int = 100, layout: Layout | None = None, typed: tuple[float, ...] = (),
           keys: bool = False) -> Group:
    """Everything shown for one row; the fields take the lines the rest leaves (two
    kept for the goal prompt and a refusal under it), so the row's header stays on
    the screen. ``typed``: the values typed for the row so far; ``keys``: show the
    keys line (a terminal's line editor)."""
    layout = layout or Layout()
    head: list[RenderableType] = []
    tail: list[RenderableType] = []
    if view.done:
        head.append(Text(f"nothing more to measure: {view.reason}", style="bold"))
    else:
        head.append(Text(f"row {view.row_id}", style="bold"))
        tail.append(why_line(view))
    tail.append(progress_line(view))
    if view.best is not None:
        tail.append(best_line(view.best))
    tail.extend(step_lines(step, view.progress.measured))
    if note is not None:
        tail.append(note)
    if typed:
        tail.append(typed_line(view, typed))
    body: list[RenderableType] = []
    if not view.done:
        widest = [keys_line(view, typed, WIDEST_LAYOUT_KEYS)] if keys else []
        room = screen_room([*head, *tail, *widest, Text("prompt"), Text("refusal")], width,
                           layout.height)
        fitted = fit_fields(view.fields, width, room=room, layout=layout)
        body.append(fitted.text)
        shown = layout_keys(fitted, layout)
        if keys:
            tail.append(keys_line(view, typed, shown))
        elif shown:
            tail.append(Text(" · ".join(shown) + " (typed at the prompt)", style="dim"))
    elif keys:
        tail.append(keys_line(view, typed))
    return Group(*head, *body, *tail)


def help_text(view: MeasureView) -> Text:
    """The help shown for ``?``."""
    goals = ", ".join(f"{g} ({DIRECTIONS[d]})" for g, d in view.goals.items())
    return Text("\n".join([
        f"type the measured value of each goal: {goals}",
        "several numbers separated by spaces fill the next goals at once",
        "the prompt is a line editor: arrows, Home/End and Backspace edit",
        "u  at a row's second goal or later: back to the previous goal (so does Up);",
        "   at its first goal: undo the last measurement or skip (repeat to go further back)",
        "Esc  start this row again (its values typed so far are dropped)",
        "s  skip this row (not suggested again; u brings it back)",
        "e  show long text in full (again: its first lines only)",
        "f  show every field of a wide row, a page at a time (PgDn/PgUp; again: those "
        "that fit)",
        "q  quit; everything is already saved, run the same command to resume (values typed "
        "for a row not finished are not); Ctrl-C and Ctrl-D behave like q",
        f"d2h: distance from the best measured goal values (0 best; from {MIN_D2H_ROWS} rows)",
    ]), style="dim")


def summary(session: MeasureSession) -> Group:
    """Saved counts, the best row with its fields, and the rules on every measured row."""
    p = session.progress()
    lines: list[RenderableType] = [Text(
        f"saved {counted(p.measured, 'measured row')} ({p.skipped} skipped, {p.failed} failed) in "
        f"{session.store.path}; run the same command to resume", style="bold")]
    best = session.best()
    if best is not None:
        lines.append(best_line(best))
        lines.append(fields_text(best.fields))
    room = session.headroom()
    if room is not None:
        lines.append(headroom_line(room))
    rules = session.rules()
    if rules:
        lines.append(rules_block(rules, p.measured))
    front = front_view(session)
    if front is not None:  # two or more goals: the trade-offs
        lines.append(front_block(front))
    if p.under_way:
        lines.append(Text(f"{counted(p.under_way, 'row')} under way (not measured yet) are kept: "
                          "the same command shows them again", style="dim"))
    return Group(*lines)


# Keys of the goal prompt's line editor that are not text (prompt_toolkit's names).
GOAL_KEYS = {"up": "back", "escape": "clear", "c-c": "quit", "pagedown": "next",
             "pageup": "previous"}


class GoalAsking:
    """Ask for the goal values of each row (see :class:`alearn.render.session_parts.Asking`).

    It keeps the values typed for the row on screen until the row has them all.
    """

    verb = "measure"

    def __init__(self) -> None:
        self._row: str | None = None
        self._typed: list[float] = []  # the values typed for the row so far
        self._draft = ""  # the text a goal's prompt starts with (a step back)
        self._batch = goal_batch.BatchAsking(self)  # k rows at once by hand

    def start_row(self, row_id: str | None, typed: tuple[float, ...] = ()) -> None:
        """Ask for ``row_id``'s goal values next, ``typed`` already given."""
        self._row, self._typed, self._draft = row_id, list(typed), ""

    def typed(self) -> tuple[float, ...]:
        """The values typed for the row so far."""
        return tuple(self._typed)

    def unattended(self, session: MeasureSession) -> bool:
        """With ``--evaluate`` a command measures the rows."""
        return session.evaluates

    def run_unattended(self, session: MeasureSession) -> None:
        """Measure rows with the ``--evaluate`` command, each shown as it runs."""
        out = render.out

        def before(view: MeasureView) -> None:
            p = view.progress
            budget = f"/{p.budget}" if p.budget is not None else ""
            out.print(Text(f"[{p.measured + 1}{budget}] row {view.row_id}: evaluating…",
                           style="dim"))

        def after(step: MeasureStep) -> None:
            for line in step_lines(step, session.n_measured):
                out.print(line)
            if step.new_best:
                out.print(best_line(session.best()))

        slots = session.settings.parallel

        def started(row_id: str) -> None:
            p = session.progress()
            budget = f"/{p.budget}" if p.budget is not None else ""
            under_way = len(session.under_way)
            out.print(Text(f"[{p.measured}{budget} measured, {under_way} under way] row "
                           f"{row_id}: evaluating…", style="dim"))

        try:
            reason = run_parallel_evaluations(session, started, after) if slots > 1 else \
                run_evaluations(session, before, after)
            out.print(Text(f"done: {reason}", style="bold"))
        except KeyboardInterrupt:
            what = "the rows under way were" if slots > 1 else "the row being evaluated was"
            out.print(Text(f"interrupted; {what} not recorded", style="yellow"))
        except EvaluateError:
            out.print(summary(session))  # what was measured, then the error line
            raise
        out.print(summary(session))

    def resumed(self, session: MeasureSession) -> str:
        """``resumed <store>: N measured rows, M skipped, K failed``."""
        p = session.progress()
        under_way = f", {p.under_way} under way" if p.under_way else ""
        return (f"resumed {session.store.path}: {counted(p.measured, 'measured row')}, "
                f"{p.skipped} skipped, {p.failed} failed{under_way}")

    def screen(self, view: MeasureView, step: MeasureStep | None, note: RenderableType | None,
               unknown: str | None, width: int, layout: Layout | None = None) -> Group:
        """Everything shown for one row (:func:`screen`), with the values typed so far."""
        typed = tuple(self._typed) if view.row_id == self._row else ()
        # A terminal (a height to fit) has the line editor, whose keys are listed.
        keys = layout is not None and layout.height is not None
        if view.batch:
            lines = [*([best_line(view.best)] if view.best else []),
                     *step_lines(step, view.progress.measured),
                     *([note] if note is not None else [])]
            return goal_batch.screen(view, lines, self._batch.picked, self._batch.typed(),
                                     width, layout or Layout(), keys)
        return screen(view, step, note, width, layout, typed, keys=keys)

    def ask(self, view: MeasureView, source: Source) -> Command:
        """The next goal's value, or a command. On a terminal one prompt per call
        (``"again"`` redraws the screen for the next goal); piped, one line per goal
        until the row has every value. Values typed so far are kept across help,
        ``e``, ``f`` and paging. Rows under way (``view.batch``) are picked first."""
        if view.batch:
            return self._batch.ask(view, source)
        if view.row_id != self._row:
            self._row, self._typed, self._draft = view.row_id, [], ""
        while True:
            command = self._ask_goal(view, source)
            if command.action in ("skip", "undo", "quit"):
                self._typed, self._draft = [], ""
            if command.action != "again" or source.interactive:
                return command

    def _ask_goal(self, view: MeasureView, source: Source) -> Command:
        """One prompt: the value of the row's next goal (see :meth:`ask`)."""
        out = render.out
        goals = list(view.goals.items())
        remaining = len(goals) - len(self._typed)
        if view.done:
            prompt = "nothing to measure (u undo, q quit): "
        else:
            goal, direction = goals[len(self._typed)]
            prompt = f"{goal} ({DIRECTIONS[direction]}): "

        def problem(text: str) -> str | None:
            answer = parse_answer(text, remaining)
            if view.done and answer.action not in ("undo", "quit", "help"):
                return "type u or q"
            return answer.message if answer.action == "invalid" else None

        line = source.edit(prompt, problem, self._draft, GOAL_KEYS)
        self._draft = ""
        if isinstance(line, Pressed):
            if line.name in ("next", "previous"):
                return Command("page", line.name)
            if line.name == "back":
                return self._back(source)
            if line.name == "clear":
                self._typed = []
                return Command("again", "clear")
            return Command("quit")
        if line is None or {"\x03", "\x04"} & set(line):  # Ctrl-C/D typed in raw mode
            return Command("quit")
        answer = parse_answer(line, remaining)
        message = problem(line)
        if message is not None:  # piped: a terminal's editor refused it already
            out.print(Text(message, style="yellow"))
            return Command("again")
        if answer.action == "undo" and self._typed:
            return self._back(source)
        if answer.action != "values":
            return Command(answer.action)
        self._typed.extend(answer.values)
        if len(self._typed) < len(goals):
            return Command("again")
        values, self._typed = tuple(self._typed), []
        return Command("values", values=values)

    def _back(self, source: Source) -> Command:
        """Back to the row's previous goal, its value ready to edit (nothing at the first)."""
        if self._typed:
            value = self._typed.pop()
            self._draft = f"{value:.15g}"
            if not source.interactive:
                render.out.print(Text(f"back to the previous goal (it was {self._draft})",
                                      style="yellow"))
        return Command("again")

    def act(self, session: MeasureSession, view: MeasureView, command: Command,
            source: Source) -> Outcome[MeasureStep]:
        """Record the goal values typed for the row (a row under way: or skip it)."""
        if view.batch:
            return self._batch.act(session, command)
        return Outcome(step=session.measure(command.values))

    def help(self, view: MeasureView) -> Text:
        """The help shown for ``?`` (:func:`help_text`; rows under way: the table's)."""
        return goal_batch.help_text(view) if view.batch else help_text(view)

    def summary(self, session: MeasureSession) -> Group:
        """What is shown when the session ends (:func:`summary`)."""
        return summary(session)
