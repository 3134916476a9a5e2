"""Asking for a class: what the labeling screen shows and reads for classify and
screen sessions (a session whose ``answer`` is ``"class"``).

On a terminal each key is one command (``1``–``9`` pick the class on that key,
``n`` types a class name); piped input is one answer per line: a key, or a
class name (:mod:`alearn.session.keystrokes`).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from alearn.counting import counted, signed
from alearn.estimates.accuracy import LEVEL, Estimate
from alearn.render.keyboard import Source
from alearn.render.revise_answer import revise
from alearn.render.session_parts import (
    WIDEST_LAYOUT_KEYS,
    Layout,
    Outcome,
    fit_fields,
    layout_keys,
    screen_room,
)
from alearn.session.classes import ClassSession
from alearn.session.keystrokes import (
    KEYSTROKES,
    MAX_KEYS,
    REVISIONS,
    SCREEN_COMMANDS,
    Command,
    class_like,
    name_problem,
    parse_key,
    parse_line,
)
from alearn.session.views import ClassStep, ClassView

SCORE_NAMES = {"margin": "margin", "entropy": "entropy", "least-confident": "1 − top probability"}


def _score(strategy: str, score: float | None) -> str:
    if score is None or strategy not in SCORE_NAMES:
        return ""
    # Margin utility is the negative gap; show the gap itself.
    value = -score if strategy == "margin" else score
    return f"{SCORE_NAMES[strategy]} {value:.3f}"


def why_line(view: ClassView) -> Text:
    """Why the row was chosen: the reason, the uncertainty score, the model's top classes."""
    why = view.why
    text = Text()
    text.append("why: ", style="bold")
    if why is None:
        return text
    if view.recheck is not None:
        shown = view.recheck
        text.append("recheck — ", style="bold yellow")
        text.append(f"you said {shown.given}; a model fitted without this row says ")
        text.append(f"{shown.predicted} ({shown.predicted_probability:.2f})", style="cyan")
        text.append(f", {shown.given} {shown.given_probability:.2f}. Keep or change: "
                    "press a class key (s keeps it)")
        return text
    reasons = {
        "start": "cold start (a representative row, chosen before any model)",
        "explore": "exploring (least like any labeled row; one class seen so far)",
        "query": "the most like the query (nothing labeled yet)",
        "described": "the most typical of a class's description (start)",
        "uncertain": "the model is least sure about it",
        "likely": "the model rates it the likeliest to be relevant",
        "audit": "audit row (drawn at random, to measure accuracy honestly)",
        "random": "random order (the baseline strategy)",
        "unsure": "you marked it unsure; every other row is answered",
        "check": "drawn at random for the recall check (:check leaves it)",
    }
    text.append(reasons[why.kind])
    score = _score(why.strategy, why.score)
    if score and why.kind == "uncertain":
        text.append(f" · {score}")
    if why.top:
        text.append(" · model: ")
        text.append(" · ".join(f"{c} {p:.2f}" for c, p in why.top), style="cyan")
    if why.alike:  # how alike the row is to each description (cosine), beside the model
        text.append(" · like the descriptions: ")
        text.append(" · ".join(f"{c} {s:.2f}" for c, s in why.alike), style="cyan")
    if view.retraining is not None:
        # Chosen before the retrain finished: say by which model.
        by = f"the model of {counted(view.model_labels, 'label')}" if view.model_labels \
            else "no model yet"
        text.append(f" (model retraining on {counted(view.retraining, 'label')}… chosen by {by})",
                    style="yellow")
    return text


def classes_line(view: ClassView) -> Text:
    """Each class with its key and how many labels it has."""
    text = Text()
    counts = view.progress.class_counts
    for i, name in enumerate(view.classes):
        key = f"[{i + 1}] " if i < MAX_KEYS else "[n] "
        text.append(key, style="bold magenta")
        role = view.roles.get(name)
        # A screen says which key is relevant, unless the name says it already.
        shown = f"{name} — {role}" if role and role.casefold() != name.casefold() else name
        text.append(f"{shown} ({counts.get(name, 0)})  ")
    if not view.classes:
        text.append("no classes yet: type the class name of this row", style="yellow")
    return text


def progress_line(view: ClassView) -> Text:
    """Labels so far / budget, skips, labels until the next retrain, rows left."""
    p = view.progress
    budget = f"/{p.budget}" if p.budget is not None else ""
    parts = [f"labels {p.labeled}{budget}"]
    if p.seeded:
        parts.append(f"+{p.seeded} from the data")
    if p.skipped:
        parts.append(f"skipped {p.skipped}")
    if p.unsure:
        parts.append(f"unsure {p.unsure}")
    if not view.done and p.model_waits:
        parts.append(f"first model after {p.model_waits}")
    elif not view.done:
        parts.append(f"retrain in {p.until_retrain}")
    parts.append(f"rows left {p.remaining}/{p.total}")
    return Text(" · ".join(parts), style="dim")


def keys_line(view: ClassView, unknown: str | None = None, extra: tuple[str, ...] = ()) -> Text:
    """The help line; names an unknown key when one was pressed. ``extra``: the
    layout keys that change something on this row (``e expand``, ``f all fields``)."""
    text = Text()
    if unknown is not None:
        shown = repr(unknown) if unknown.strip() else "that key"
        text.append(f"unknown key {shown} — ", style="yellow")
    keyed = view.classes[:MAX_KEYS]
    if view.done:
        text.append("keys: u undo · q quit")
        return text
    if keyed:
        text.append(" · ".join(f"{i + 1} {c}" for i, c in enumerate(keyed)) + " · ")
    typed = "n type a class name" if view.open_classes or len(view.classes) > MAX_KEYS \
        else None
    skip = "s keep" if view.recheck is not None else "s skip"
    text.append(" · ".join(p for p in (typed, skip, "u undo", *extra, "? help", "q quit")
                           if p))
    return text


def estimate_text(estimate: Estimate) -> str:
    """``accuracy 0.78 [0.62, 0.89] (8 audit labels drawn at random, ...)`` or why
    there is none yet."""
    if estimate.accuracy is None:
        return f"accuracy not estimated yet ({estimate.method})"
    shown = f"accuracy {estimate.accuracy:.2f}"
    if estimate.low is not None and estimate.high is not None:
        shown += f" [{estimate.low:.2f}, {estimate.high:.2f}]"
    return f"{shown}{majority_text(estimate)} ({estimate.method}; {100 * LEVEL:.0f} % interval)"


def majority_text(estimate: Estimate) -> str:
    """``, majority class 0.70`` beside an accuracy, and a flag when the model is not
    above it (``""`` when unknown)."""
    if estimate.majority is None:
        return ""
    text = f", majority class {estimate.majority:.2f}"
    if not estimate.above_majority:
        text += f" — no better than always answering {estimate.majority_class!r}"
    return text


def step_lines(step: ClassStep | None) -> list[Text]:
    """What the last action did, the retrain update, and a learning-curve row."""
    if step is None:
        return []
    lines = [Text(step.message, style="green" if step.action != "none" else "yellow")]
    if step.retrained and step.estimate is not None:
        change = ""
        if step.estimate.change is not None:
            change = f", {signed(step.estimate.change, 2)} since the last batch"
        lines.append(Text(f"retrained on {counted(step.estimate.n_labels, 'label')} — "
                          f"{estimate_text(step.estimate)}{change}", style="bold"))
        if step.estimate.forecast:
            lines.append(Text(step.estimate.forecast, style="cyan"))
    if step.curve is not None:
        lines.append(Text(f"learning curve: {counted(step.curve.n_labels, 'label')} → "
                          f"{estimate_text(step.curve)}", style="bold cyan"))
    return lines


def screen(view: ClassView, step: ClassStep | None = None, note: RenderableType | None = None,
           unknown: str | None = None, width: int = 100, layout: Layout | None = None) -> Group:
    """Everything shown for one row.

    Parameters
    ----------
    view : ClassView
    step : ClassStep, optional
        The previous action's outcome.
    note : renderable, optional
        Help text or notices.
    unknown : str, optional
        A key that means nothing here: named in the help line.
    width : int
        Terminal width, for wrapping long text.
    layout : Layout, optional
        The terminal's height and the ``e``/``f`` toggles: the fields take the lines
        the rest leaves, so the row's header stays on the screen.
    """
    layout = layout or Layout()
    head: list[RenderableType] = []
    tail: list[RenderableType] = []
    if view.done:
        head.append(Text(f"nothing more to label: {view.reason}", style="bold"))
    else:
        head.append(Text(f"row {view.row_id}", style="bold"))
        tail.append(why_line(view))
    if view.advice:
        tail.append(Text(f"stopping: {view.advice}", style="bold yellow"
                         if "may stop" in view.advice else "dim"))
    if view.leak:
        tail.append(Text(f"leak? {view.leak}", style="yellow"))
    tail.append(progress_line(view))
    tail.append(classes_line(view))
    tail.extend(step_lines(step))
    if note is not None:
        tail.append(note)
    fitted = None
    if not view.done:
        # The keys line is measured with every layout key, so it never needs more room.
        widest = keys_line(view, unknown, WIDEST_LAYOUT_KEYS)
        room = screen_room([*head, *tail, widest], width, layout.height)
        fitted = fit_fields(view.fields, width, view.words, room, layout, view.ranked)
    body = [fitted.text] if fitted is not None else []
    return Group(*head, *body, *tail, keys_line(view, unknown, layout_keys(fitted, layout)))


def help_text(view: ClassView) -> Text:
    """The full help shown for ``?``."""
    lines = [
        "1-9  label the row with the class on that key",
        "n    type a class name (a new name gets the next free key)" if view.open_classes
        else "n    type a class name (one of --classes)",
        "s    skip this row (it is not shown again; u brings it back)",
        "u    undo the last action (a label, relabel, note...; repeat: further back)",
        "e    show long text in full (again: its first lines only)",
        "f    show every field of a wide row, a page at a time (again: those that fit, the "
        "model's strongest first)",
        "PgDn, space or Down: the next page of fields · PgUp or Up: the previous one",
        "~ not sure (asked again at the end) · # a note on the row · < change an answer",
        ": " + " · ".join(f"{k} {v.split('  ')[0]}" for k, v in REVISIONS.items()),
        *((": " + " · ".join(f"{k}{v}" for k, v in SCREEN_COMMANDS.items()),)
          if view.advice else ()),
        "q    quit; every label is already saved, run the same command to resume",
        "Ctrl-C behaves like q.",
        *NUMBERS_EXPLAINED,
    ]
    return Text("\n".join(lines), style="dim")


# What the numbers on the screen mean, one sentence each (the ? screen).
NUMBERS_EXPLAINED = (
    "margin: gap between the two likeliest classes (small: unsure, worth labeling)",
    "accuracy [a, b]: right answers on random audit rows (or --gold); 90 % interval",
    "majority class: what always answering the commonest class scores; beat it",
)


def summary(session: ClassSession) -> Group:
    """Saved counts, the learning curve and the latest estimate."""
    p = session.progress()
    lines: list[RenderableType] = [
        Text(f"saved {counted(p.labeled, 'label')} ({p.skipped} skipped"
             + (f", {p.unsure} unsure" if p.unsure else "")
             + f") in {session.store.path}; run the same command to resume", style="bold")]
    if session.curve:
        table = Table(title="learning curve", title_justify="left")
        table.add_column("labels", justify="right")
        table.add_column("accuracy", justify="right")
        table.add_column(f"{100 * LEVEL:.0f} % interval", justify="right")
        table.add_column("majority class", justify="right")
        table.add_column("estimated by")
        for n, est in sorted(session.curve.items()):
            acc = "—" if est.accuracy is None else f"{est.accuracy:.2f}"
            if est.above_majority is False:
                acc += " (not above majority)"
            span = "—" if est.low is None or est.high is None else \
                f"{est.low:.2f}–{est.high:.2f}"
            majority = "—" if est.majority is None else f"{est.majority:.2f}"
            table.add_row(str(n), acc, span, majority, est.method)
        lines.append(table)
    if session.estimate is not None:
        lines.append(Text(f"latest: {estimate_text(session.estimate)}"))
    advice = session.advice()
    if advice is not None:  # a screen: recall, not accuracy
        lines.append(Text(f"screening: {advice}"))
    return Group(*lines)


class ClassAsking:
    """Ask for the class of each row (see :class:`alearn.render.session_parts.Asking`)."""

    verb = "label"

    def unattended(self, session: ClassSession) -> bool:
        """A person always gives the classes."""
        return False

    def run_unattended(self, session: ClassSession) -> None:  # pragma: no cover - never called
        """Not used: classes are always asked for."""
        raise NotImplementedError

    def resumed(self, session: ClassSession) -> str:
        """``resumed <store>: N labels, M skipped``."""
        p = session.progress()
        return f"resumed {session.store.path}: {counted(p.labeled, 'label')}, {p.skipped} skipped"

    def screen(self, view: ClassView, step: ClassStep | None, note: RenderableType | None,
               unknown: str | None, width: int, layout: Layout | None = None) -> Group:
        """Everything shown for one row (:func:`screen`)."""
        return screen(view, step, note, unknown, width, layout)

    def ask(self, view: ClassView, source: Source) -> Command:
        """One keystroke on a terminal (a typed name while no class is known), else a line."""
        if source.interactive and not view.classes:
            typed = source.edit("class of this row (or s, u, q): ", lambda text: None
                                if text.strip() in KEYSTROKES
                                else name_problem(text, view.classes, view.open_classes))
            return Command("quit") if typed is None else \
                parse_line(typed, view.classes, view.open_classes)
        key = source.key()
        if key is None:
            return Command("quit")
        if source.interactive:
            return parse_key(key, view.classes)
        return parse_line(key, view.classes, view.open_classes)

    def act(self, session: ClassSession, view: ClassView, command: Command,
            source: Source) -> Outcome[ClassStep]:
        """Label the row with the class on a key, or with a name typed after ``n``; the
        revisions (unsure, note, history, the ``:`` commands) are :func:`revise`'s."""
        revised = revise(session, view, command, source)
        if revised is not None:
            return revised
        if command.action == "label":
            return Outcome(step=session.label(str(command.value)))
        if command.action == "name" and not view.done:
            # The name is checked while it is typed, so the row on screen is the
            # one labelled (a refusal asks again; Esc cancels and nothing happens).
            prompt = "class name (Esc cancels): " if source.interactive else "class name: "
            name = source.edit(prompt,
                               lambda text: name_problem(text, view.classes, view.open_classes))
            if name is None:
                return Outcome(stop=True)
            if not name.strip():
                return Outcome(note=Text("no class typed", style="yellow"))
            return self._label_typed(session, view, name.strip(), source)
        return Outcome(unknown=command.value or command.action[:1])

    @staticmethod
    def _label_typed(session: ClassSession, view: ClassView, name: str,
                     source: Source) -> Outcome[ClassStep]:
        """Label with a typed name; a new name that differs from a known class only by
        case asks which is meant (Enter: the known one; piped input takes it)."""
        known = class_like(name, view.classes)
        if known is None or known == name or not view.open_classes \
                or not source.interactive:
            return Outcome(step=session.label(name))
        answer = source.confirm(f"{name!r} is like the existing class {known!r}: use "
                                f"{known!r}? [Y/n] (n: a new class {name!r}; Esc cancels) ")
        if answer is None:
            return Outcome(note=Text("cancelled: nothing recorded", style="yellow"))
        return Outcome(step=session.label(name, distinct=not answer))

    def help(self, view: ClassView) -> Text:
        """The full help shown for ``?`` (:func:`help_text`)."""
        return help_text(view)

    def summary(self, session: ClassSession) -> Group:
        """What is shown when the session ends (:func:`summary`)."""
        return summary(session)
