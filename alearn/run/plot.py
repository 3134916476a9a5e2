"""PNG plots of a run (matplotlib, headless): every kind's panels, drawn the same way.

Each kind builds its panels as plain data (:meth:`alearn.kinds.base.Kind.panels`):
one per task, each task of each kind. Here they are laid out in rows (a kind's
panels kept together), with one colour per strategy across the figure, a shared y-axis among
the panels of one measure, the seeds' spread as a band and the budgets marked.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from alearn.files import write_atomic
from alearn.kinds import KINDS
from alearn.kinds.base import BASELINE, Panel, TaskBudgets

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Panels a row holds: three up to nine panels, four beyond (a taller figure, not smaller panels).
COLUMNS = (3, 4)
PANEL_SIZE = (4.0, 3.0)  # inches
BASELINE_COLOUR = "0.35"
# Budgets become the x ticks only when no two are closer than this share of the axis.
TICK_GAP = 0.06


def run_panels(results: pd.DataFrame, budgets: TaskBudgets | None = None,
               metric: str = "accuracy") -> list[Panel]:
    """Every kind's panels in registry order: one per task, and a kind's mean over
    its tasks where it draws one.

    Parameters
    ----------
    results : DataFrame
        Tidy results.
    budgets : mapping, optional
        Each task's budgets by name (marked on its panel); default: each kind's defaults.
    metric : str
        The classify metric plotted.
    """
    return [panel for kind in KINDS.values() for panel in kind.panels(results, budgets, metric)]


def _grid(panels: list[Panel]) -> tuple[int, list[tuple[int, int]]]:
    """Columns, and each panel's (row, column): a kind's panels follow the previous
    kind's on their row when they all fit there, else they start a row."""
    cols = min(COLUMNS[0] if len(panels) <= 9 else COLUMNS[1], max(len(panels), 1))
    sizes = Counter(panel.kind for panel in panels)
    places: list[tuple[int, int]] = []
    row, col, kind = 0, 0, None
    for panel in panels:
        if col == cols or (panel.kind != kind and col and sizes[panel.kind] > cols - col):
            row, col = row + 1, 0
        places.append((row, col))
        col, kind = col + 1, panel.kind
    return cols, places


def _colours(panels: list[Panel]) -> dict[str, str]:
    """One colour per strategy across the figure (the baseline grey)."""
    names = dict.fromkeys(line.label for panel in panels for line in panel.lines
                          if line.label != BASELINE)
    cycle = [f"C{i}" for i in range(10)]
    colours = {name: cycle[i % len(cycle)] for i, name in enumerate(names)}
    colours[BASELINE] = BASELINE_COLOUR
    return colours


# How each kind of scatter points is drawn (Points.style): the whole file's front as
# hollow grey rings joined by a dotted line, the measured rows as dots, their front joined.
POINT_STYLES: dict[str, dict[str, object]] = {
    "reference": {"color": "0.45", "marker": "o", "markerfacecolor": "none", "markersize": 5,
                  "linestyle": ":", "linewidth": 1.0, "zorder": 3},
    "measured": {"color": "C0", "marker": ".", "markersize": 6, "linestyle": "none",
                 "alpha": 0.6},
    "front": {"color": "C1", "marker": "o", "markersize": 5, "linestyle": "-",
              "linewidth": 1.2, "zorder": 4},
    "choice": {"color": "C3", "marker": "*", "markersize": 14, "linestyle": "none",
               "markeredgecolor": "black", "markeredgewidth": 0.6, "zorder": 5},
}


# A goal whose values span this many times over (all above 0) is drawn on a log
# scale: a few far-off rows would otherwise squash the front against the axis.
LOG_SPAN = 20.0


def _log_scale(values: list[float]) -> bool:
    low, high = min(values, default=0.0), max(values, default=0.0)
    return low > 0 and high / low >= LOG_SPAN


def _scatter(ax: Axes, panel: Panel) -> None:
    """A trade-off panel: its points, the axes' own scales (log for a goal spanning
    :data:`LOG_SPAN` times over), the legend."""
    for points in panel.points:
        ax.plot(points.x, points.y, label=points.label, **POINT_STYLES[points.style])
    ax.set_title(panel.title, fontsize="medium")
    xlog = _log_scale([x for points in panel.points for x in points.x])
    ylog = _log_scale([y for points in panel.points for y in points.y])
    if xlog:
        ax.set_xscale("log")
    if ylog:
        ax.set_yscale("log")
    ax.set_xlabel(panel.xlabel + (", log scale" if xlog else ""))
    ax.set_ylabel(panel.ylabel + (", log scale" if ylog else ""))
    ax.legend(fontsize="x-small", loc="best")


def _draw(ax: Axes, panel: Panel, colours: dict[str, str]) -> None:
    if panel.points:
        _scatter(ax, panel)
        return
    for line in panel.lines:
        colour = colours[line.label]
        ax.plot(line.x, line.y, label=line.label, color=colour,
                linestyle="--" if line.dashed else "-", linewidth=1.4)
        if line.low:
            ax.fill_between(line.x, line.low, line.high, color=colour, alpha=0.15, linewidth=0)
    if panel.hline is not None:
        ax.axhline(panel.hline, color="grey", linewidth=0.8)
    if panel.floor is not None:  # named in the legend, drawn alike in every panel
        ax.axhline(panel.floor, color="0.35", linestyle=(0, (1, 3)), linewidth=1.0,
                   label="majority class")
    if panel.stop is not None:
        ax.axvline(panel.stop, color="C3", linestyle="-.", linewidth=1.1,
                   label="stopping advice: stop")
    right = max((max(line.x) for line in panel.lines if line.x), default=0.0)
    marks = [m for m in panel.marks if m <= right]
    for mark in marks:
        ax.axvline(mark, color="0.55", linestyle=":", linewidth=0.9, zorder=0)
    gaps = [b - a for a, b in pairwise([0.0, *marks])]
    if marks and right > 0 and min(gaps) >= TICK_GAP * right:
        ax.set_xticks(marks)
    ax.set_title(panel.title, fontsize="medium")
    ax.set_xlabel(panel.xlabel)
    if panel.legend:
        ax.legend(fontsize="small", loc="best" if panel.floor is not None else "lower right")


def plot_curves(results: pd.DataFrame, path: Path, budgets: TaskBudgets | None = None,
                metric: str = "accuracy") -> Path:
    """Plot every task of every kind (:func:`draw`) into a PNG file.

    Parameters
    ----------
    results : DataFrame
        Tidy results.
    path : Path
        PNG file to write (atomically).
    budgets : mapping, optional
        Each task's budgets by name.
    metric : str

    Returns
    -------
    Path
    """
    fig, _ = draw(run_panels(results, budgets, metric))
    import matplotlib.pyplot as plt

    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)
    return path


def draw(panels: list[Panel]) -> tuple[Figure, list[Axes]]:
    """Draw panels into one figure: classify tasks as % of the all-labels ceiling,
    optimize tasks as % optimal, screen tasks as recall, each against labels.

    Lines are the mean over seeds, bands ± 1 sd over seeds, dotted verticals the
    task's budgets; panels of one measure share their y-axis.

    Returns
    -------
    Figure, list of Axes
        The figure and each panel's axes, in the order of ``panels``.
    """
    import matplotlib

    matplotlib.use("Agg")  # headless: a run on a server draws without a display
    import matplotlib.pyplot as plt

    cols, places = _grid(panels)
    rows = places[-1][0] + 1 if places else 1
    # Constrained layout leaves room for the figure's title above the panels' titles.
    fig, axes = plt.subplots(rows, cols, squeeze=False, layout="constrained",
                             figsize=(PANEL_SIZE[0] * cols, PANEL_SIZE[1] * rows + 0.4))
    colours = _colours(panels)
    first: dict[str, Axes] = {}  # the first axes of each measure: the others share its y
    drawn = []
    for panel, (row, col) in zip(panels, places, strict=True):
        ax = axes[row, col]
        if panel.points:  # a scatter keeps its own scales
            _draw(ax, panel, colours)
            drawn.append(ax)
            continue
        if panel.ylabel in first:
            ax.sharey(first[panel.ylabel])
        else:
            first[panel.ylabel] = ax
        _draw(ax, panel, colours)
        left = places.index((row, col - 1)) if col else None
        if left is not None and panels[left].ylabel == panel.ylabel \
                and not panels[left].points:
            ax.tick_params(labelleft=False)  # the panel to its left shows the same scale
        else:
            ax.set_ylabel(panel.ylabel)
        drawn.append(ax)
    used = set(places)
    for row in range(rows):
        for col in range(cols):
            if (row, col) not in used:
                axes[row, col].axis("off")
    fig.suptitle(textwrap.fill(_caption(panels), 40 * cols), fontsize="medium")
    return fig, drawn


def _caption(panels: list[Panel]) -> str:
    """What the figure shows: its tasks by kind, and how lines, bands and marks read."""
    tasks = Counter(panel.kind for panel in panels if panel.task is not None and not panel.points)
    if not tasks:
        return "no results to plot"
    total = sum(tasks.values())
    plural = "" if total == 1 else "s"
    shown = (f"{total} {next(iter(tasks))} task{plural}" if len(tasks) == 1 else
             f"{total} tasks ({', '.join(f'{n} {kind}' for kind, n in tasks.items())})")
    text = f"{shown}: mean over seeds, band ± 1 sd, dotted lines at the budgets"
    if any(panel.points for panel in panels):
        text += ("; trade-off panels: the rows one run measured (seed 0, the first strategy, "
                 "the largest budget), their Pareto front and d2h choice, and the whole "
                 "file's front")
    return text
