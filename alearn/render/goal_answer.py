"""Asking for goal values: what the labeling screen shows and reads for measure
(optimize) sessions (a session whose ``answer`` is ``"goals"``).

Each suggested row is shown and its goal values are asked for, one prompt per
goal (typed lines, on a terminal or piped; several numbers on one line fill
the next goals); with ``--evaluate`` each evaluation is shown as it runs
instead. Both end with the best row and the rules.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from alearn import render
from alearn.counting import counted
from alearn.errors import EvaluateError
from alearn.kinds.optimize.headroom import Headroom
from alearn.kinds.optimize.rules import D2hRule
from alearn.render.session_parts import (
    Layout,
    Outcome,
    Source,
    fields_text,
    fit_fields,
    screen_room,
)
from alearn.session.keystrokes import Command
from alearn.session.measure import MeasureSession, format_goal, run_evaluations
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


def progress_line(view: MeasureView) -> Text:
    """Rows measured / budget, skipped, failed, left."""
    p = view.progress
    parts = [f"measured {p.measured}" + (f"/{p.budget}" if p.budget is not None else "")]
    if p.skipped:
        parts.append(f"skipped {p.skipped}")
    if p.failed:
        parts.append(f"failed {p.failed}")
    parts.append(f"rows left {p.remaining}/{p.total}")
    return Text(" · ".join(parts), style="dim")


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


def headroom_line(room: Headroom) -> Text:
    """How much better an unmeasured row could be, by the GP's 95 % bound."""
    gain = room.best - room.floor
    text = Text(f"room left: over the {room.rows:,} unmeasured rows the GP's best guess is "
                f"d2h {room.expected:.3f} and its 95 % floor {room.floor:.3f}, against "
                f"{room.best:.3f} measured; ")
    if gain <= 0.01:
        text.append("more measurements are unlikely to find a better row", style="green")
    else:
        text.append(f"an unmeasured row could still be up to {gain:.3f} closer to heaven",
                    style="yellow")
    return text


def rules_block(rules: list[D2hRule], n: int) -> Group:
    """The regression tree over measured rows as numbered rules, best first."""
    lines: list[RenderableType] = [Text(
        f"what leads to good goals ({counted(n, 'measured row')}; d2h = distance to heaven, "
        "0 is best):", style="bold cyan")]
    lines.extend(Text(f"  {i}. {rule.text()}") for i, rule in enumerate(rules, 1))
    return Group(*lines)


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


def screen(view: MeasureView, step: MeasureStep | None = None, note: RenderableType | None = None,
           width: int = 100, layout: Layout | None = None) -> Group:
    """Everything shown for one row; the fields take the lines the rest leaves (one
    kept for the goal prompt), so the row's header stays on the screen."""
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
    body: list[RenderableType] = []
    if not view.done:
        room = screen_room([*head, *tail, Text("prompt")], width, layout.height)
        fitted = fit_fields(view.fields, width, room=room, layout=layout)
        body.append(fitted.text)
        if fitted.cut or fitted.left_out or layout.expand or layout.every:
            tail.append(Text("e expand/shorten text · f all/fewer fields (typed at the prompt)",
                             style="dim"))
    return Group(*head, *body, *tail)


def help_text(view: MeasureView) -> Text:
    """The help shown for ``?``."""
    goals = ", ".join(f"{g} ({DIRECTIONS[d]})" for g, d in view.goals.items())
    return Text("\n".join([
        f"type the measured value of each goal: {goals}",
        "several numbers separated by spaces fill the next goals at once",
        "s  skip this row (not suggested again; u brings it back)",
        "u  undo the last measurement or skip (repeat to go further back)",
        "e  show long text in full (again: its first lines only)",
        "f  show every field of a wide row (again: those that fit)",
        "q  quit; everything is already saved, run the same command to resume",
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
    return Group(*lines)


class GoalAsking:
    """Ask for the goal values of each row (see :class:`alearn.render.session_parts.Asking`)."""

    verb = "measure"

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

        try:
            reason = run_evaluations(session, before, after)
            out.print(Text(f"done: {reason}", style="bold"))
        except KeyboardInterrupt:
            out.print(Text("interrupted; the row being evaluated was not recorded",
                           style="yellow"))
        except EvaluateError:
            out.print(summary(session))  # what was measured, then the error line
            raise
        out.print(summary(session))

    def resumed(self, session: MeasureSession) -> str:
        """``resumed <store>: N measured rows, M skipped, K failed``."""
        p = session.progress()
        return (f"resumed {session.store.path}: {counted(p.measured, 'measured row')}, "
                f"{p.skipped} skipped, {p.failed} failed")

    def screen(self, view: MeasureView, step: MeasureStep | None, note: RenderableType | None,
               unknown: str | None, width: int, layout: Layout | None = None) -> Group:
        """Everything shown for one row (:func:`screen`)."""
        return screen(view, step, note, width, layout)

    def ask(self, view: MeasureView, source: Source) -> Command:
        """One prompt per goal until every goal has a value; garbage and ``?`` are
        answered at once (values typed so far are kept)."""
        out = render.out
        goals = list(view.goals.items())
        values: list[float] = []
        while len(values) < len(goals):
            goal, direction = goals[len(values)]
            prompt = f"{goal} ({DIRECTIONS[direction]}): " if not view.done \
                else "nothing to measure (u undo, q quit): "
            line = source.line(prompt)
            if line is None or {"\x03", "\x04"} & set(line):  # Ctrl-C/D typed in raw mode
                return Command("quit")
            answer = parse_answer(line, len(goals) - len(values))
            if answer.action in ("skip", "undo", "quit", "expand", "fields"):
                return Command(answer.action)
            if answer.action == "help":
                out.print(help_text(view))
            elif answer.action == "invalid" or view.done:
                message = answer.message if answer.action == "invalid" else "type u or q"
                out.print(Text(message, style="yellow"))
            else:
                values.extend(answer.values)
        return Command("values", values=tuple(values))

    def act(self, session: MeasureSession, view: MeasureView, command: Command,
            source: Source) -> Outcome[MeasureStep]:
        """Record the goal values typed for the row."""
        return Outcome(step=session.measure(command.values))

    def help(self, view: MeasureView) -> Text:
        """The help shown for ``?`` (:func:`help_text`)."""
        return help_text(view)

    def summary(self, session: MeasureSession) -> Group:
        """What is shown when the session ends (:func:`summary`)."""
        return summary(session)
