"""Learning-curve summaries from tidy simulation results.

Per task, strategy and budget: mean ± sd of the metric over seeds, the share of
the all-labels ceiling, the paired gain over random sampling, paired
win/tie/loss counts over seeds, and the normalised area under the learning
curve (mean score from the first label to the largest budget). Across tasks:
the mean of the per-task numbers and the summed win/tie/loss counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alearn.jsondata import json_records
from alearn.kinds.classify.simulate import BASELINE, CEILING, MAJORITY, REFERENCES

# Paired differences smaller than this are ties (scores are counts over a test set).
TIE = 1e-9


@dataclass
class Summary:
    """Aggregated learning curves for one metric.

    Attributes
    ----------
    metric : str
    budgets : list of int
        The budgets reported.
    per_task : DataFrame
        One row per task, strategy and budget with columns ``mean, sd, pct,
        pct_sd, gain, wins, ties, losses, aulc, aulc_pct``.
    ceiling : DataFrame
        One row per task: ``mean, sd, pool`` of the all-labels model, and
        ``majority``: the score of always answering the test rows' most frequent
        class (missing in results written before it was recorded).
    overall : DataFrame
        One row per strategy and budget: the mean over tasks of ``mean, pct,
        gain, aulc_pct`` and summed ``wins, ties, losses``.
    """

    metric: str
    budgets: list[int]
    per_task: pd.DataFrame
    ceiling: pd.DataFrame
    overall: pd.DataFrame

    def to_dict(self) -> dict:
        """Plain nested data for the JSON summary."""
        return {"metric": self.metric, "budgets": self.budgets,
                "ceiling": json_records(self.ceiling), "per_task": json_records(self.per_task),
                "overall": json_records(self.overall)}


def summarize(results: pd.DataFrame, budgets: list[int] | None = None,
              metric: str = "accuracy") -> Summary:
    """Summarise tidy results for one metric.

    Parameters
    ----------
    results : DataFrame
        Columns ``task, strategy, seed, budget, metric, value``.
    budgets : list of int, optional
        Budgets to report (default 8, 16 and 32 where present, else all).
    metric : str
        ``"accuracy"`` or ``"macro_f1"``.

    Returns
    -------
    Summary
    """
    data = results[results["metric"] == metric]
    ceil = data[data["strategy"] == CEILING]
    curves = data[~data["strategy"].isin(REFERENCES)]
    if budgets is None:
        present = set(curves["budget"].unique())
        budgets = [b for b in (8, 16, 32) if b in present] or sorted(present)
    ceiling_by = ceil.set_index(["task", "seed"])["value"]
    wide = curves.pivot_table(index=["task", "seed", "budget"], columns="strategy",
                              values="value", aggfunc="first")
    ceil_aligned = ceiling_by.reindex(wide.index.droplevel("budget")).to_numpy()
    pct = wide.mul(100.0 / np.where(ceil_aligned > 0, ceil_aligned, np.nan), axis=0)
    diff = wide.sub(wide[BASELINE], axis=0)

    rows = []
    for (task, budget), block in wide.groupby(level=["task", "budget"]):
        if budget not in budgets:
            continue
        pblock, dblock = pct.loc[block.index], diff.loc[block.index]
        for strategy in block.columns:
            d = dblock[strategy].to_numpy()
            rows.append({
                "task": task, "strategy": strategy, "budget": int(budget),
                "mean": block[strategy].mean(), "sd": block[strategy].std(ddof=1),
                "pct": pblock[strategy].mean(), "pct_sd": pblock[strategy].std(ddof=1),
                "gain": 100.0 * d.mean(),
                "wins": int((d > TIE).sum()), "ties": int((np.abs(d) <= TIE).sum()),
                "losses": int((d < -TIE).sum()),
            })
    per_task = pd.DataFrame(rows)
    # Area under the curve from the first label to the largest budget, per seed then averaged.
    area = wide.groupby(level=["task", "seed"]).mean().groupby(level="task").mean()
    area_pct = pct.groupby(level=["task", "seed"]).mean().groupby(level="task").mean()
    pairs = list(zip(per_task["task"], per_task["strategy"], strict=True))
    per_task["aulc"] = [area.loc[t, s] for t, s in pairs]
    per_task["aulc_pct"] = [area_pct.loc[t, s] for t, s in pairs]

    ceiling = ceil.groupby("task").agg(mean=("value", "mean"), sd=("value", "std"),
                                       pool=("budget", "first")).reset_index()
    majority = data[data["strategy"] == MAJORITY].groupby("task")["value"].mean()
    ceiling["majority"] = ceiling["task"].map(majority).astype(float)
    overall = per_task.groupby(["strategy", "budget"], sort=False).agg(
        tasks=("task", "nunique"), mean=("mean", "mean"), pct=("pct", "mean"),
        gain=("gain", "mean"), wins=("wins", "sum"), ties=("ties", "sum"),
        losses=("losses", "sum"), aulc_pct=("aulc_pct", "mean"),
    ).reset_index()
    order = _strategy_order(per_task["strategy"].unique())
    per_task = _sorted(per_task, order, ["task"])
    overall = _sorted(overall, order, [])
    return Summary(metric=metric, budgets=list(budgets), per_task=per_task, ceiling=ceiling,
                   overall=overall)


def _strategy_order(names: np.ndarray) -> list[str]:
    rest = sorted(n for n in names if n != BASELINE)
    return [*rest, BASELINE] if BASELINE in names else rest


def _sorted(frame: pd.DataFrame, order: list[str], keys: list[str]) -> pd.DataFrame:
    rank = {name: i for i, name in enumerate(order)}
    frame = frame.assign(_rank=frame["strategy"].map(rank))
    return (frame.sort_values([*keys, "_rank", "budget"], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))
