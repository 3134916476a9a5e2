"""The settings of labeling sessions, as plain data: what every session's hold
(:class:`SessionSettings`), a class session's (:class:`Settings`) and a measure
session's (:class:`MeasureSettings`). How they are settled from the options,
the store and the task is :mod:`alearn.session.opening`.
"""

from __future__ import annotations

from dataclasses import dataclass

from alearn.journal.store import MEASURED
from alearn.kinds.optimize.evaluate import DEFAULT_TIMEOUT
from alearn.spec import DEFAULT_BUDGETS


@dataclass(frozen=True, kw_only=True)
class SessionSettings:
    """What every session's settings hold; a session type's settings extend them.

    Parameters
    ----------
    strategy : str
        How rows are chosen (a strategy or acquirer of the task's kind).
    seed : int
    budget : int or None
        Answers to give in this store before the session ends (not kept: it
        can be raised on resume).
    annotator : str
        Name recorded with each event.
    budgets : tuple of int
        Answer counts at which the session reports how far it got (a
        learning-curve row, the rules of the measured rows).
    """

    strategy: str
    seed: int = 0
    budget: int | None = None
    annotator: str = "unknown"
    budgets: tuple[int, ...] = DEFAULT_BUDGETS

    def fixed(self) -> dict[str, object]:
        """The settings a store keeps (JSON-ready): those deciding which rows come."""
        raise NotImplementedError


# Settings that decide which rows are suggested: a store keeps them fixed.
CLASS_FIXED = ("target", "classes", "strategy", "model", "batch", "start", "start_size", "seed",
               "gold", "audit")


@dataclass(frozen=True, kw_only=True)
class Settings(SessionSettings):
    """How a class session chooses rows; stored with the labels (beyond
    :class:`~alearn.session.core.SessionSettings`).

    Parameters
    ----------
    target : str or None
        Column being labeled (may be absent from the data).
    classes : tuple of str
        Classes given up front (``--classes``); when empty, new class names
        may be typed during the session.
    strategy, model, start : str
        Query strategy, model and cold-start method.
    batch : int
        Labels per retrain.
    start_size : int
        Labels chosen by the start method.
    gold : str or None
        A file or column of true labels to measure accuracy on.
    batch_growth : float
        Screen tasks: labels per retrain grow to this share of the labels the
        model was last fitted on (kept in the store with the task settings; 0
        for stores made before it was recorded, as those sessions ran).
    audit : int
        Every ``audit``-th label is an audit row drawn at random
        (:mod:`alearn.estimates.audit`); 0: none (stores made before audit rows,
        ``--gold`` and screen sessions).
    recheck : str
        ``"auto"``: now and then show a labeled row whose label a model fitted
        without it finds unlikely (:mod:`alearn.session.rechecks`); ``"off"``.
        Not kept: it may change on resume.
    """

    target: str | None = None
    classes: tuple[str, ...] = ()
    strategy: str = "margin"
    model: str = "logreg"
    batch: int = 1
    start: str = "kmeans"
    start_size: int = 8
    gold: str | None = None
    batch_growth: float = 0.0
    audit: int = 0
    recheck: str = "off"

    def fixed(self) -> dict[str, object]:
        """The settings a store keeps, as JSON-ready values."""
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in ((k, getattr(self, k)) for k in CLASS_FIXED)}


# What a measure session's store keeps fixed.
MEASURE_FIXED = ("kind", "strategy", "seed", "goals")


@dataclass(frozen=True, kw_only=True)
class MeasureSettings(SessionSettings):
    """How an optimize session chooses rows (``strategy``, ``seed`` and ``goals``
    are kept in the store) and how it measures them (beyond
    :class:`~alearn.session.core.SessionSettings`; ``strategy`` is a key of
    :data:`alearn.kinds.optimize.acquirers.ACQUIRERS`, ``budgets`` the
    measured-row counts at which the rules are shown).

    Parameters
    ----------
    goals : dict
        Goal column -> ``"max"`` or ``"min"``.
    evaluate : str or None
        Shell command measuring a row (``--evaluate``).
    timeout : float
        Seconds per evaluation.
    parallel : int
        Evaluations run at once (``--parallel``).
    """

    goals: dict[str, str]
    evaluate: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    parallel: int = 1

    def fixed(self) -> dict[str, object]:
        """The settings a store keeps."""
        return {"kind": MEASURED, "strategy": self.strategy, "seed": self.seed,
                "goals": [[g, d] for g, d in self.goals.items()]}
