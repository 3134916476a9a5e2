"""Plain classes: the :class:`~alearn.session.class_policy.ClassPolicy` of a classify session.

Every class counts alike, so the first model waits for 2 classes, and the
session measures the model's accuracy: on the gold rows (``--gold``), else on
the audit rows drawn at random (:mod:`alearn.estimates.audit`), else (stores
made before audit rows) by cross-validation, with a learning-curve point at
each of the task's budgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from alearn.data.dataset import Dataset
from alearn.engine.learner import Learner
from alearn.errors import ConfigError
from alearn.estimates.accuracy import (
    Estimate,
    cv_estimate,
    gold_estimate,
    session_audit_estimate,
)
from alearn.estimates.gold import GOLD_MAX_ROWS, gold_sample
from alearn.kinds.classify.describe_keys import parse_describe
from alearn.session.options import LabelOptions
from alearn.session.settings import Settings
from alearn.spec import TaskSpec
from alearn.tasks import revise


class PlainClasses:
    """Plain classes, with accuracy estimates and a learning curve.

    Parameters
    ----------
    settings : Settings
        The session's (``audit``, ``model``, ``seed`` and ``budgets`` are read).
    gold : ndarray of object, optional
        True labels per row (NaN where unknown), to measure accuracy on.

    Attributes
    ----------
    positive, recall_target : None
        No class to find, no stopping advice.
    curve_budgets : tuple of int
        The task's budgets.
    model_waits : str
        ``"2 classes"``.
    gold : ndarray of object or None
    gold_rows : ndarray of int
        The gold rows accuracy is measured on (a sample drawn from the seed).
    """

    positive: str | None = None
    recall_target: float | None = None
    model_waits = "2 classes"

    def __init__(self, settings: Settings, gold: np.ndarray | None = None) -> None:
        self.settings = settings
        self.curve_budgets: tuple[int, ...] = settings.budgets
        self.gold = gold
        self.gold_rows = gold_sample(gold, settings.seed, GOLD_MAX_ROWS)

    @staticmethod
    def take_options(task: TaskSpec, options: LabelOptions) -> TaskSpec:
        """``task`` with the options of this policy applied: ``--recall-target`` is refused,
        ``--recheck`` replaces the task's ``recheck``.

        Raises
        ------
        ConfigError
        """
        if options.recall_target is not None:
            raise ConfigError(f"--recall-target {options.recall_target:g}: only a screen "
                              "session gives stopping advice; leave --recall-target out")
        if options.query is not None:
            raise ConfigError("--query: only a screen session ranks rows by a research "
                              "question (kind = \"screen\"); leave --query out")
        if options.prior_ids is not None:
            raise ConfigError("--prior-ids: only a screen session starts from records known "
                              "to be relevant (kind = \"screen\"); leave --prior-ids out")
        if options.recheck is not None:
            task = revise(task, recheck=options.recheck)
        if options.describe is not None:
            # It decides which rows come: kept in the store with the task's settings.
            task = revise(task, describe=parse_describe(options.describe, task))
        return task

    @staticmethod
    def with_priors(task: TaskSpec, data: Dataset) -> Dataset:
        """``data`` as it is: known relevant records (priors) are a screen's."""
        return data

    @classmethod
    def for_task(cls, task: TaskSpec, settings: Settings, gold: np.ndarray | None
                 ) -> PlainClasses:
        """The policy of a session on ``task`` (see :class:`PlainClasses`)."""
        return cls(settings, gold)

    @property
    def groups_duplicates(self) -> bool:
        """No: rows of a table are not records of papers."""
        return False

    @property
    def counts_as_words(self) -> bool:
        """No: numbers are scaled like measurements."""
        return False

    def estimate(self, learner: Learner, X: object, rows: np.ndarray, labels: np.ndarray,
                 audit: np.ndarray, model: Callable[[], object | None]) -> Estimate:
        """Accuracy after the labels ``labels`` on ``rows``: on the gold rows, else on
        the audit rows, else (stores without audit rows) by CV
        (:meth:`ClassPolicy.estimate <alearn.session.class_policy.ClassPolicy.estimate>`)."""
        if self.gold is not None:
            return gold_estimate(model(), X, rows, labels, self.gold_rows, self.gold)
        s = self.settings
        if s.audit:
            return session_audit_estimate(X, rows, labels, audit, model(), learner.excluded,
                                          s.model, s.seed, text=learner.text)
        return cv_estimate(X, rows, labels, s.model, s.seed, text=learner.text)

    def advice(self, learner: Learner, total: int) -> str | None:
        """None: plain classes have no stopping advice."""
        return None

    def class_name(self, value: object) -> str:
        """The class as the model names it."""
        return str(value)

    def up_front(self, given: Sequence[str]) -> list[str]:
        """None beyond those given: a class is named when a row is labeled with it."""
        return []

    def roles(self, up_front: Sequence[str]) -> dict[str, str]:
        """Nothing: every class counts alike."""
        return {}
