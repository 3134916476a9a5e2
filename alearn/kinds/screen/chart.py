"""The recall chart of a screen: relevant found against records screened, with the
stopping advice's estimate of all relevant records, its 95 % bound and the stop.

:func:`recall_chart` computes it as plain data from one screening order (the
advice of :mod:`alearn.kinds.screen.stopping` after each point of a grid);
:func:`chart_table` draws it as a small text chart for the terminal (a
:class:`~alearn.kinds.base.TableData` of bars) and :func:`chart_panel` as a
plot panel for the PNG of ``alearn run --plot`` / ``alearn report --plot``.
A run keeps where each relevant record was found, so both are drawn for its
first seed from ``results.csv``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alearn.kinds.base import BASELINE, Column, Line, Panel, TableData
from alearn.kinds.screen.stopping import advise

# Points of the grid the advice is computed at (each is one fit).
POINTS = 60
# Lines of the text chart, and its bars' width in characters.
TEXT_LINES = 12
BAR = 36


@dataclass(frozen=True)
class RecallChart:
    """Relevant found and the advice's estimate along one screening order.

    Attributes
    ----------
    screened : ndarray of int
        Records screened at each point.
    found : ndarray of int
        Relevant found by then.
    estimate, bound : ndarray of float
        The estimated number of relevant records in all (found + expected left)
        and its 95 % upper bound; NaN where the advice shows no estimate yet.
    stop : int or None
        Records screened when the advice first said stop (``None``: it did not).
    relevant : int or None
        The true number of relevant records, when known (a simulation).
    rows : int
        Records in the pile.
    """

    screened: np.ndarray
    found: np.ndarray
    estimate: np.ndarray
    bound: np.ndarray
    stop: int | None
    relevant: int | None
    rows: int


def recall_chart(hits: np.ndarray, rows: int, stop: int | None = None,
                 relevant: int | None = None, upto: int | None = None,
                 points: int = POINTS) -> RecallChart:
    """The chart of one order: ``hits`` (1 for each relevant record, in screening
    order; records past its end count as not relevant) out of ``rows`` records,
    on a grid of ``points`` up to ``upto`` (default: past the stop and the last
    relevant record by a tenth)."""
    hits = np.asarray(hits, dtype=bool)
    last = max(int(hits.size), int(stop or 0))
    end = min(rows, upto if upto is not None else math.ceil(1.1 * last) or rows)
    full = np.zeros(end, dtype=bool)
    full[:min(hits.size, end)] = hits[:end]
    grid = np.unique(np.linspace(1, end, min(points, end)).round().astype(int))
    if stop is not None and stop <= end:
        grid = np.union1d(grid, [stop])
    cum = np.cumsum(full)
    estimate = np.full(grid.size, np.nan)
    bound = np.full(grid.size, np.nan)
    for i, s in enumerate(grid):
        advice = advise(full[:s], rows)
        if advice.shown and advice.unseen_estimate is not None:
            estimate[i] = advice.found + advice.unseen_estimate
            bound[i] = advice.found + float(advice.unseen_upper or 0.0)
    return RecallChart(screened=grid, found=cum[grid - 1], estimate=estimate, bound=bound,
                       stop=stop, relevant=relevant, rows=rows)


def run_order(results: pd.DataFrame, task: str) -> tuple[str, int, RecallChart] | None:
    """The chart of a run's screen task: its first strategy other than random, first
    seed (``None`` when the results hold no such order)."""
    block = results[(results["task"] == task) & (results["strategy"] != BASELINE)]
    found = block[block["metric"] == "found"]
    if found.empty:
        return None
    strategy = str(found["strategy"].iloc[0])
    seed = int(found[found["strategy"] == strategy]["seed"].min())
    mine = block[(block["strategy"] == strategy) & (block["seed"] == seed)]
    at = mine[mine["metric"] == "found"]["budget"].astype(int).to_numpy()
    rows = int(mine[mine["metric"] == "n100"]["budget"].iloc[0])
    stops = mine[mine["metric"] == "stop_at"]["value"]
    stop = int(stops.iloc[0]) if len(stops) and int(stops.iloc[0]) < rows else None
    hits = np.zeros(int(at.max()), dtype=bool)
    hits[at - 1] = True
    return strategy, seed, recall_chart(hits, rows, stop, relevant=int(at.size))


def _bar(found: int, estimate: float, bound: float, scale: float) -> str:
    """``█`` per relevant found, ``▒`` up to the estimate, ``░`` up to its bound."""
    def width(v: float) -> int:
        return round(v * scale)
    solid = width(found)
    if math.isnan(estimate):
        return "█" * solid
    mid = max(width(estimate), solid)
    return "█" * solid + "▒" * (mid - solid) + "░" * max(width(bound) - mid, 0)


def chart_table(chart: RecallChart, title: str, lines: int = TEXT_LINES) -> TableData:
    """The chart as text: a line per point (records screened, relevant found, the
    estimate of all relevant with its bound) and a bar, on about ``lines`` lines."""
    top = np.nanmax([chart.found.max(), np.nanmax(np.r_[chart.bound, 0.0]),
                     chart.relevant or 0])
    scale = BAR / max(float(top), 1.0)
    picks = np.unique(np.linspace(0, chart.screened.size - 1,
                                  min(lines, chart.screened.size)).round().astype(int))
    if chart.stop is not None:
        picks = np.union1d(picks, np.flatnonzero(chart.screened == chart.stop))
    rows = []
    for i in picks:
        s, found = int(chart.screened[i]), int(chart.found[i])
        est, bound = float(chart.estimate[i]), float(chart.bound[i])
        guess = "" if math.isnan(est) else f"{est:.1f} (≤ {bound:.0f})"
        mark = " ← stop" if chart.stop is not None and s == chart.stop else ""
        rows.append([str(s), str(found), guess, _bar(found, est, bound, scale) + mark])
    known = "" if chart.relevant is None else f"; {chart.relevant} relevant in all"
    return TableData(
        title=title, columns=[Column("screened"), Column("found"),
                              Column("estimated in all"), Column("", justify="left")],
        rows=rows,
        caption=f"█ relevant found, ▒ up to the estimate of all relevant, ░ up to its 95 % "
                f"bound{known}; the stopping advice's estimate, shown once it holds")


def chart_panel(chart: RecallChart, title: str, task: str) -> Panel:
    """The chart as a plot panel: relevant found (a step), the estimate of all
    relevant with a band up to its bound, the true number when known, the stop."""
    x = [float(v) for v in chart.screened]
    shown = ~np.isnan(chart.estimate)
    lines = [Line(label="relevant found", x=x, y=[float(v) for v in chart.found])]
    if shown.any():
        xs = [float(v) for v in chart.screened[shown]]
        lines.append(Line(label="estimated relevant in all (band: 95 % bound)", x=xs,
                          y=[float(v) for v in chart.estimate[shown]], dashed=True,
                          low=[float(v) for v in chart.estimate[shown]],
                          high=[float(v) for v in chart.bound[shown]]))
    known = "" if chart.relevant is None else f" (grey: {chart.relevant} relevant)"
    # task=None: a view of one seed, not one more task in the figure's caption.
    return Panel(title=title + known, xlabel="records screened", ylabel="relevant records",
                 lines=lines, task=None, kind="screen",
                 hline=float(chart.relevant) if chart.relevant is not None else None,
                 stop=float(chart.stop) if chart.stop is not None else None, legend=True)
