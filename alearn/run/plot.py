"""PNG plots of a run (matplotlib, headless): each kind's panels, drawn the same way."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from alearn.files import write_atomic
from alearn.kinds import KINDS
from alearn.kinds.base import Panel

MAX_PANELS = 12


def run_panels(results: pd.DataFrame, metric: str = "accuracy") -> list[Panel]:
    """Every kind's panels in registry order, at most :data:`MAX_PANELS`."""
    panels: list[Panel] = []
    for kind in KINDS.values():
        panels.extend(kind.panels(results, metric, MAX_PANELS - len(panels)))
    return panels[:MAX_PANELS]


def plot_curves(results: pd.DataFrame, path: Path, metric: str = "accuracy") -> Path:
    """Plot every kind's curves: for classify tasks % of ceiling against labels
    (the mean over tasks, then one panel per task), for screen tasks recall.

    Parameters
    ----------
    results : DataFrame
        Tidy results.
    path : Path
        PNG file to write (atomically).
    metric : str

    Returns
    -------
    Path
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = run_panels(results, metric)
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for ax, panel in zip(axes.flat, panels, strict=False):
        for line in panel.lines:
            ax.plot(line.x, line.y, label=line.label, linestyle="--" if line.dashed else "-")
        if panel.hline is not None:
            ax.axhline(panel.hline, color="grey", linewidth=0.8)
        ax.set_title(panel.title)
        ax.set_xlabel(panel.xlabel)
        ax.set_ylabel(panel.ylabel)
        if panel.legend:
            ax.legend(fontsize="small")
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)
    return path
