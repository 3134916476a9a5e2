"""The classify kind: learn a class label from a few well-chosen labels.

Simulation: :mod:`.simulate` (a stratified split per seed, one shared start,
the all-labels ceiling); summary: :mod:`.summary`; tables and plot panels:
:mod:`.report`. Heavy modules are imported when first used, so reading the
registry (task validation, ``--help``) stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from alearn.engine.start import starts_for
from alearn.engine.strategies import for_kind
from alearn.errors import ConfigError
from alearn.kinds.base import CLASSES, TEXT_KEYS, Panel, TableData, TaskBudgets, own_budgets
from alearn.kinds.classify.describe_keys import check_describe
from alearn.models import MODELS

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from alearn.spec import TaskSpec

# Every metric a classify simulation records (and --metric accepts).
METRICS = ("accuracy", "macro_f1")
BUDGETS = (8, 16, 32)
# recheck = "auto" | "off" (alearn/engine/recheck.py); the default is measured in
# docs/benchmarks.md ("Rechecking likely mistakes").
RECHECKS = ("auto", "off")
RECHECK_DEFAULT = "off"


def has_metric(results: pd.DataFrame, metric: str) -> bool:
    """Whether any task in the results reports this metric."""
    return bool((results["metric"] == metric).any())


def metric_budgets(results: pd.DataFrame, budgets: TaskBudgets | None,
                   metric: str) -> list[int] | None:
    """The budgets of the classify tasks reporting ``metric`` (not the other kinds')."""
    return own_budgets(budgets, results.loc[results["metric"] == metric, "task"].unique())


class ClassifyKind:
    """Learn a label (see :class:`alearn.kinds.base.Kind` for the members)."""

    name = "classify"
    help = "learn a class label from a few labeled rows"
    answer = CLASSES
    exportable = True
    task_keys: Mapping[str, Any] = MappingProxyType({
        "target": None, "model": "logreg", "budgets": BUDGETS,
        "test_size": 0.3, "batch": 1, "start": "kmeans", "start_size": 8,
        **TEXT_KEYS, "label_noise": 0.0, "recheck": RECHECK_DEFAULT, "describe": ()})
    strategies = for_kind("classify")
    default_strategies = ("margin", "entropy", "least-confident", "random")
    models = MODELS
    starts = starts_for("classify")
    summary_key = "summaries"

    def check(self, spec: TaskSpec, where: str) -> None:
        """Refuse a ``label_noise`` outside [0, 1) and a ``recheck`` not in :data:`RECHECKS`."""
        if not 0.0 <= spec.label_noise < 1.0:
            raise ConfigError(f"{where}: label_noise must be a share in [0, 1), such as 0.1, "
                              f"got {spec.label_noise}")
        if spec.recheck not in RECHECKS:
            raise ConfigError(f"{where}: recheck = {spec.recheck!r} is not known; expected "
                              f"one of {', '.join(RECHECKS)}")
        check_describe(spec.describe, where)

    def prepare(self, spec: TaskSpec, cache: Path | None = None) -> Any:
        from alearn.kinds.classify.simulate import prepare

        return prepare(spec, cache=cache)

    def simulate_seed(self, prepared: Any, seed: int) -> list[tuple]:
        from alearn.kinds.classify.simulate import simulate_seed

        return simulate_seed(prepared, seed)

    def summary_document(self, results: pd.DataFrame, budgets: TaskBudgets) -> Any:
        from alearn.kinds.classify.summary import summarize

        return {m: summarize(results, metric_budgets(results, budgets, m), metric=m).to_dict()
                for m in METRICS if has_metric(results, m)}

    def tables(self, results: pd.DataFrame, budgets: TaskBudgets | None, metric: str,
               per_task: bool) -> list[TableData]:
        from alearn.kinds.classify.report import summary_tables
        from alearn.kinds.classify.summary import summarize

        if not has_metric(results, metric):
            return []
        summary = summarize(results, metric_budgets(results, budgets, metric), metric=metric)
        return summary_tables(summary, per_task=per_task)

    def panels(self, results: pd.DataFrame, budgets: TaskBudgets | None,
               metric: str) -> list[Panel]:
        from alearn.kinds.classify.report import curve_panels

        if not has_metric(results, metric):
            return []
        return curve_panels(results, budgets, metric, self.task_keys["budgets"])


KIND = ClassifyKind()
