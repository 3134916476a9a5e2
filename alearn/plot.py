"""PNG learning-curve plots (matplotlib, headless)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from alearn.outputs import write_atomic
from alearn.simulate import BASELINE, CEILING

MAX_PANELS = 12


def _curves(results: pd.DataFrame, metric: str) -> pd.DataFrame:
    data = results[(results["metric"] == metric)]
    ceiling = data[data["strategy"] == CEILING].set_index(["task", "seed"])["value"]
    curves = data[data["strategy"] != CEILING].copy()
    base = ceiling.reindex(pd.MultiIndex.from_frame(curves[["task", "seed"]])).to_numpy()
    curves["pct"] = 100.0 * curves["value"].to_numpy() / base
    return curves


def plot_curves(results: pd.DataFrame, path: Path, metric: str = "accuracy") -> Path:
    """Plot % of ceiling against labels: the mean over tasks, then one panel per task.

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

    curves = _curves(results, metric)
    tasks = sorted(curves["task"].unique())[:MAX_PANELS]
    panels = ["all tasks", *tasks] if len(tasks) > 1 else tasks
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    strategies = [*sorted(s for s in curves["strategy"].unique() if s != BASELINE), BASELINE]
    for ax, panel in zip(axes.flat, panels, strict=False):
        block = curves if panel == "all tasks" else curves[curves["task"] == panel]
        per_task = block.groupby(["strategy", "task", "budget"])["pct"].mean()
        mean = per_task.groupby(level=["strategy", "budget"]).mean()
        for strategy in strategies:
            if strategy in mean.index.get_level_values(0):
                line = mean.loc[strategy]
                ax.plot(line.index, line.to_numpy(), label=strategy,
                        linestyle="--" if strategy == BASELINE else "-")
        ax.axhline(100, color="grey", linewidth=0.8)
        ax.set_title(panel)
        ax.set_xlabel("labels")
        ax.set_ylabel(f"% of all-labels {metric}")
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize="small")
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)
    return path
