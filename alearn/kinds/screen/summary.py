"""Screening metrics per task and strategy, paired with random order on the same seeds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alearn.jsondata import json_records
from alearn.kinds.base import BASELINE
from alearn.kinds.screen.simulate import PER_RUN


@dataclass
class ScreenSummary:
    """Screening metrics per task and strategy (mean over seeds, paired with random).

    Attributes
    ----------
    budgets : list of int
    per_task : DataFrame
        One row per task and strategy: ``seeds, rows, n95, n95_sd, n100, wss95,
        recall@<b>`` per budget, ``stop_at, stop_recall, stop_early`` (share of
        seeds where the advice said stop before the task's recall target),
        ``stop_ratio, stop_ratio_max`` (labels at the advice over the labels
        truly needed for the target) and ``wins, ties,
        losses`` (fewer labels to 95 % than random on the same seed).
    """

    budgets: list[int]
    per_task: pd.DataFrame

    def to_dict(self) -> dict:
        """Plain nested data for the JSON summary."""
        return {"budgets": self.budgets, "per_task": json_records(self.per_task)}


def summarize_screen(results: pd.DataFrame) -> ScreenSummary | None:
    """Summarise the screen tasks in tidy results (``None`` when there are none)."""
    runs = results[results["metric"].isin(PER_RUN)]
    if runs.empty:
        return None
    wide = runs.pivot_table(index=["task", "strategy", "seed"], columns="metric",
                            values="value", aggfunc="first")
    recall = results[results["metric"] == "recall"].pivot_table(
        index=["task", "strategy", "seed"], columns="budget", values="value", aggfunc="first")
    budgets = [int(b) for b in recall.columns]
    size = runs.groupby("task")["budget"].first()
    out = []
    for (task, strategy), block in wide.groupby(level=["task", "strategy"]):
        base = wide.loc[(task, BASELINE)]["n95"] if (task, BASELINE) in wide.index.droplevel(
            "seed") else None
        d = (base.to_numpy() - block["n95"].to_numpy()) if base is not None else np.zeros(0)
        row = {"task": task, "strategy": strategy, "seeds": len(block),
               "rows": int(size[task]), "n95": block["n95"].mean(),
               "n95_sd": block["n95"].std(ddof=1) if len(block) > 1 else 0.0,
               "n100": block["n100"].mean(), "wss95": block["wss95"].mean()}
        rec = recall.loc[(task, strategy)]
        row.update({f"recall@{b}": rec[b].mean() for b in budgets if b in rec.columns})
        row.update({"stop_at": block["stop_at"].mean(),
                    "stop_recall": block["stop_recall"].mean(),
                    # NaN where the strategy gives no advice.
                    "stop_early": float((block["stop_at"] < block["n_target"]).mean())
                    if block["stop_at"].notna().all() else np.nan,
                    "stop_ratio": block["stop_ratio"].mean(),
                    "stop_ratio_max": block["stop_ratio"].max(),
                    "wins": int((d > 0).sum()), "ties": int((d == 0).sum()),
                    "losses": int((d < 0).sum())})
        out.append(row)
    frame = pd.DataFrame(out)
    frame["_base"] = frame["strategy"] == BASELINE
    frame = frame.sort_values(["task", "_base", "strategy"], kind="stable").drop(columns="_base")
    return ScreenSummary(budgets=budgets, per_task=frame.reset_index(drop=True))
