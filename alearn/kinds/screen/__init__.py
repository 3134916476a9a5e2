"""The screen kind: find the few members of a rare class (systematic reviews).

Simulation: :mod:`.simulate` (screen until every relevant row is found);
summary: :mod:`.summary`; stopping advice: :mod:`.stopping`; tables and
recall curves: :mod:`.report`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from alearn.engine.start import starts_for
from alearn.engine.strategies import for_kind
from alearn.errors import ConfigError
from alearn.kinds.base import RARE_CLASS, TEXT_KEYS, Panel, TableData, TaskBudgets
from alearn.models import MODELS

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from alearn.spec import TaskSpec


class ScreenKind:
    """Find the rare relevant rows (see :class:`alearn.kinds.base.Kind` for the members)."""

    name = "screen"
    help = "find the few rows of a rare class, reading as few as possible"
    answer = RARE_CLASS
    exportable = False
    # The recipe measured in docs/screening.md: words as they are, 100 LSA
    # components, retrains that grow with the labels.
    task_keys: Mapping[str, Any] = MappingProxyType({
        "target": None, "positive": None, "model": "logreg",
        "budgets": (8, 16, 32, 100, 200), "batch": 1,
        "batch_growth": 0.05, "start": "priors", "start_size": 8,
        **TEXT_KEYS, "stop_words": "none", "lsa": 100,
        "recall_target": 0.95, "priors": (), "query": None})
    strategies = for_kind("screen")
    default_strategies = ("certainty", "random")
    models = MODELS.subset([m.name for m in MODELS.values() if m.screens])
    starts = starts_for("screen")
    summary_key = "screen"

    def check(self, spec: TaskSpec, where: str) -> None:
        """A screen needs the value of the class to find, a recall target in (0, 1] and,
        when given, a query with a word in it."""
        if not spec.positive:
            raise ConfigError(f"{where}: a screen task needs positive = \"...\", the target "
                              "value of the rare class to find")
        if not 0.0 < spec.recall_target <= 1.0:
            raise ConfigError(f"{where}: recall_target must be a recall in (0, 1], such as "
                              f"0.95, got {spec.recall_target}")
        if spec.query is not None and not any(c.isalpha() for c in spec.query):
            raise ConfigError(f"{where}: the query is empty; write the research question or "
                              "the inclusion criteria, e.g. query = \"defect prediction "
                              "metrics\"")

    def prepare(self, spec: TaskSpec, cache: Path | None = None) -> Any:
        from alearn.kinds.screen.simulate import prepare

        return prepare(spec, cache=cache)

    def simulate_seed(self, prepared: Any, seed: int) -> list[tuple]:
        from alearn.kinds.screen.simulate import simulate_seed

        return simulate_seed(prepared, seed)

    def summary_document(self, results: pd.DataFrame, budgets: TaskBudgets) -> Any:
        """Recall at each screen task's own budgets (its only results at budgets)."""
        from alearn.kinds.screen.summary import summarize_screen

        summary = summarize_screen(results)
        return summary.to_dict() if summary is not None else None

    def tables(self, results: pd.DataFrame, budgets: TaskBudgets | None, metric: str,
               per_task: bool) -> list[TableData]:
        from alearn.kinds.screen.report import chart_tables, screen_tables
        from alearn.kinds.screen.summary import summarize_screen

        summary = summarize_screen(results)
        if summary is None:
            return []
        return screen_tables(summary) + (chart_tables(results) if per_task else [])

    def panels(self, results: pd.DataFrame, budgets: TaskBudgets | None,
               metric: str) -> list[Panel]:
        from alearn.kinds.screen.report import recall_panels

        return recall_panels(results, budgets, self.task_keys["budgets"])


KIND = ScreenKind()
