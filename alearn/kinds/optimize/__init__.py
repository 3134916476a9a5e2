"""The optimize kind: choose which rows to measure to find the best goal values.

Simulation: :mod:`.simulate` (the "Case for Compact AI" protocol: % optimal of
the best measured row); acquirers: :mod:`.acquirers`; summary:
:mod:`.summary`; tables: :mod:`.report`; rules of a session's measured rows:
:mod:`.rules`; ``--evaluate`` commands: :mod:`.evaluate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from alearn.kinds.base import GOALS, Panel, TableData, TaskBudgets
from alearn.kinds.optimize.acquirers import ACQUIRERS

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from alearn.spec import TaskSpec


class OptimizeKind:
    """Find near-best rows by measuring few (see :class:`alearn.kinds.base.Kind`)."""

    name = "optimize"
    help = "find the rows with the best goal values by measuring as few as possible"
    answer = GOALS
    exportable = False
    task_keys: Mapping[str, Any] = MappingProxyType({
        "budgets": (8, 16, 32), "maximize": (), "minimize": (), "parallel": 1})
    strategies = ACQUIRERS
    default_strategies = ("gpei", "random")
    models = None
    starts = None
    summary_key = "optimize"

    def check(self, spec: TaskSpec, where: str) -> None:
        """Nothing beyond the common checks."""

    def prepare(self, spec: TaskSpec, cache: Path | None = None) -> Any:
        from alearn.kinds.optimize.simulate import prepare

        return prepare(spec, cache=cache)

    def simulate_seed(self, prepared: Any, seed: int) -> list[tuple]:
        from alearn.kinds.optimize.simulate import simulate_seed

        return simulate_seed(prepared, seed)

    def summary_document(self, results: pd.DataFrame, budgets: TaskBudgets) -> Any:
        from alearn.kinds.optimize.summary import optimize_budgets, summarize_optimize

        summary = summarize_optimize(results, optimize_budgets(results, budgets))
        return summary.to_dict() if summary is not None else None

    def tables(self, results: pd.DataFrame, budgets: TaskBudgets | None, metric: str,
               per_task: bool) -> list[TableData]:
        from alearn.kinds.optimize.report import optimize_tables
        from alearn.kinds.optimize.summary import optimize_budgets, summarize_optimize

        summary = summarize_optimize(results, optimize_budgets(results, budgets))
        return optimize_tables(summary, per_task=per_task) if summary is not None else []

    def panels(self, results: pd.DataFrame, budgets: TaskBudgets | None,
               metric: str) -> list[Panel]:
        from alearn.kinds.optimize.report import optimal_panels

        return optimal_panels(results, budgets)


KIND = OptimizeKind()
