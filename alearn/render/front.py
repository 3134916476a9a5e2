"""The trade-offs between goals: the Pareto front table, and a text scatter for two goals.

Drawn from :class:`alearn.session.measure_front.FrontView` (plain data); the d2h
choice is marked ``*`` in the table and the scatter, other rows of the front ``o``,
the other measured rows ``.``.
"""

from __future__ import annotations

import itertools

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from alearn.counting import counted
from alearn.kinds.optimize.pareto import nondominated
from alearn.session.measure import format_goal
from alearn.session.measure_front import FrontView

DIRECTION = {"max": "higher is better", "min": "lower is better"}
MARKS = {"chosen": ("*", "bold green"), "front": ("o", "cyan"), "other": (".", "dim")}


def front_table(view: FrontView) -> Table:
    """The rows on the front with their goal values, the d2h choice first and marked."""
    goals = list(view.goals)
    table = Table(box=None, padding=(0, 1))
    table.add_column("")
    table.add_column("row", justify="left")
    for goal in goals:
        table.add_column(f"{goal}", justify="right")
    for row in view.front:
        mark, style = MARKS["chosen" if row.chosen else "front"]
        table.add_row(Text(mark, style=style), row.row_id,
                      *(format_goal(v) for v in row.values), style="bold" if row.chosen else "")
    return table


def hypervolume_line(view: FrontView) -> Text:
    """The hypervolume, what it is a share of, and the reference point."""
    text = Text("hypervolume ", style="bold")
    text.append(f"{view.hypervolume:.3f}")
    ref = ", ".join(f"{g} {format_goal(v)}" for g, v in view.reference.items())
    text.append(f": the share of the box from the reference point ({ref}: 10% of each goal's "
                "range beyond its worst measured value) to the best measured value of every "
                "goal that the front dominates (1: one row best on every goal)", style="dim")
    return text


def scatter(view: FrontView, width: int = 48, height: int = 12) -> Text:
    """Every measured row on the first two goals as text: ``*`` the d2h choice, ``o`` the
    front, ``.`` the others; each axis says which way is better."""
    (gx, dx), (gy, dy) = list(view.goals.items())[:2]
    points = np.array([r.values[:2] for r in view.measured])
    lo, hi = points.min(axis=0), points.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    grid = [[" "] * width for _ in range(height)]
    styles: dict[tuple[int, int], str] = {}
    # Draw the others first so a front row or the choice is never hidden under a dot.
    order = sorted(view.measured, key=lambda r: (r.chosen, r.on_front))
    for row in order:
        x = round((row.values[0] - lo[0]) / span[0] * (width - 1))
        y = height - 1 - round((row.values[1] - lo[1]) / span[1] * (height - 1))
        mark, style = MARKS["chosen" if row.chosen else "front" if row.on_front else "other"]
        grid[y][x] = mark
        styles[(y, x)] = style
    label_y = f"{gy} ({DIRECTION[dy]})"
    text = Text(f"{label_y}\n", style="bold")
    left = max(len(format_goal(hi[1])), len(format_goal(lo[1])))
    for y in range(height):
        tick = format_goal(hi[1]) if y == 0 else format_goal(lo[1]) if y == height - 1 else ""
        text.append(f"{tick:>{left}} |")
        for x in range(width):
            text.append(grid[y][x], style=styles.get((y, x), ""))
        text.append("\n")
    text.append(" " * left + " +" + "-" * width + "\n")
    low, high = format_goal(lo[0]), format_goal(hi[0])
    text.append(" " * (left + 2) + low + " " * max(1, width - len(low) - len(high)) + high + "\n")
    text.append(" " * (left + 2) + f"{gx} ({DIRECTION[dx]})\n", style="bold")
    text.append("* the d2h choice  o the front  . other measured rows", style="dim")
    return text


def pairs_table(view: FrontView) -> Table:
    """With three or more goals: for each pair of goals, the rows on that pair's front."""
    goals = list(view.goals)
    weights = np.array([1.0 if view.goals[g] == "max" else 0.0 for g in goals])
    values = np.array([r.values for r in view.measured])
    table = Table(title="Each pair of goals: the rows on its front (* the d2h choice)",
                  title_justify="left", box=None, padding=(0, 1))
    table.add_column("goals", justify="left")
    table.add_column("rows on the pair's front", justify="left")
    for i, j in itertools.combinations(range(len(goals)), 2):
        on = nondominated(values[:, [i, j]], weights[[i, j]])
        rows = [r for r, keep in zip(view.measured, on, strict=True) if keep]
        table.add_row(f"{goals[i]} vs {goals[j]}",
                      ", ".join(f"{r.row_id}{'*' if r.chosen else ''}" for r in rows))
    return table


def front_block(view: FrontView) -> Group:
    """The front table, the hypervolume, any notes, and the scatter (two goals) or the
    table of pairs (three or more)."""
    title = Text(f"trade-offs: {counted(len(view.front), 'row')} on the Pareto front of "
                 f"{counted(len(view.measured), 'measured row')} (none better on every goal)",
                 style="bold")
    parts: list[RenderableType] = [title, front_table(view), hypervolume_line(view)]
    parts += [Text(f"note: {note}", style="yellow") for note in view.notes]
    parts.append(scatter(view) if len(view.goals) == 2 else pairs_table(view))
    return Group(*parts)
