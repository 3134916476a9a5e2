"""PNG learning-curve plots (matplotlib, headless)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from alearn.files import write_atomic
from alearn.kinds.classify.simulate import BASELINE, CEILING

MAX_PANELS = 12


def _curves(results: pd.DataFrame, metric: str) -> pd.DataFrame:
    data = results[(results["metric"] == metric)]
    ceiling = data[data["strategy"] == CEILING].set_index(["task", "seed"])["value"]
    curves = data[data["strategy"] != CEILING].copy()
    base = ceiling.reindex(pd.MultiIndex.from_frame(curves[["task", "seed"]])).to_numpy()
    curves["pct"] = 100.0 * curves["value"].to_numpy() / base
    return curves


def _plot_recall(ax: object, results: pd.DataFrame, task: str) -> None:
    """Screen tasks: mean recall against labels (a step after each relevant row found)."""
    found = results[(results["metric"] == "found") & (results["task"] == task)]
    size = int(results[(results["metric"] == "n100") & (results["task"] == task)]["budget"].max())
    grid = pd.RangeIndex(1, size + 1)
    for strategy, block in sorted(found.groupby("strategy"), key=lambda kv: kv[0] == BASELINE):
        curves = [seed.set_index("budget")["value"].reindex(grid).ffill().fillna(0.0)
                  for _, seed in block.groupby("seed")]
        mean = pd.concat(curves, axis=1).mean(axis=1)
        ax.plot(grid, mean.to_numpy(), label=strategy,  # type: ignore[attr-defined]
                linestyle="--" if strategy == BASELINE else "-")
    ax.axhline(0.95, color="grey", linewidth=0.8)  # type: ignore[attr-defined]
    ax.set_title(f"{task} (screen)")  # type: ignore[attr-defined]
    ax.set_xlabel("labels")  # type: ignore[attr-defined]
    ax.set_ylabel("recall")  # type: ignore[attr-defined]
    ax.legend(fontsize="small")  # type: ignore[attr-defined]


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
    screens = sorted(results.loc[results["metric"] == "found", "task"].unique())
    panels = [*panels, *(("screen", t) for t in screens)][:MAX_PANELS]
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    strategies = [*sorted(s for s in curves["strategy"].unique() if s != BASELINE), BASELINE]
    for ax, panel in zip(axes.flat, panels, strict=False):
        if isinstance(panel, tuple):
            _plot_recall(ax, results, panel[1])
            continue
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
    if panels and not isinstance(panels[0], tuple):
        axes.flat[0].legend(fontsize="small")
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)
    return path
