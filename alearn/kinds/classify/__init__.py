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
from alearn.kinds.base import TEXT_KEYS, Panel, SimulatedKind, TableData
from alearn.models import MODELS

if TYPE_CHECKING:
    import pandas as pd

    from alearn.session.options import LabelOptions
    from alearn.tasks import TaskSpec

# Every metric a classify simulation records (and --metric accepts).
METRICS = ("accuracy", "macro_f1")
BUDGETS = (8, 16, 32)


def has_metric(results: pd.DataFrame, metric: str) -> bool:
    """Whether any task in the results reports this metric."""
    return bool((results["metric"] == metric).any())


class ClassifyKind(SimulatedKind):
    """Learn a label (see :class:`alearn.kinds.base.Kind` for the members)."""

    name = "classify"
    help = "learn a class label from a few labeled rows"
    measures_goals = False
    exportable = True
    keys: Mapping[str, Any] = MappingProxyType({
        "target": None, "model": "logreg", "budgets": BUDGETS,
        "test_size": 0.3, "batch": 1, "start": "kmeans", "start_size": 8,
        **TEXT_KEYS})
    strategies = for_kind("classify")
    default_strategies = ("margin", "entropy", "least-confident", "random")
    models = MODELS
    starts = starts_for("classify")
    simulation = "alearn.kinds.classify.simulate"
    summary_key = "summaries"

    def check(self, spec: TaskSpec, where: str) -> None:
        """Nothing beyond the common checks."""

    def summary_document(self, results: pd.DataFrame, budgets: list[int]) -> Any:
        from alearn.kinds.classify.summary import summarize

        return {m: summarize(results, budgets, metric=m).to_dict()
                for m in METRICS if has_metric(results, m)}

    def tables(self, results: pd.DataFrame, budgets: list[int] | None, metric: str,
               per_task: bool) -> list[TableData]:
        from alearn.kinds.classify.report import summary_tables
        from alearn.kinds.classify.summary import summarize

        if not has_metric(results, metric):
            return []
        return summary_tables(summarize(results, budgets, metric=metric), per_task=per_task)

    def panels(self, results: pd.DataFrame, metric: str, limit: int) -> list[Panel]:
        from alearn.kinds.classify.report import curve_panels

        return curve_panels(results, metric, limit) if has_metric(results, metric) else []

    def open_session(self, task: TaskSpec, options: LabelOptions) -> Any:
        from alearn.session.class_opening import open_class_session

        return open_class_session(task, options)


KIND = ClassifyKind()
