"""Retraining a class session's model and measuring it, as labels come in.

Mixed into :class:`~alearn.session.classes.ClassSession`. A label makes a
retrain due every ``batch`` labels; the fit, the rescoring of the pool and the
policy's estimate run in a worker thread (:class:`~alearn.session.retrain.Retrainer`)
on a copy of the labels, and the next row comes from the newest fit the session
chooses to wait for (:meth:`Retraining._choose`). Which fit a suggestion came
from is journaled with each event, so a resumed session chooses the same rows.
The estimates and the learning-curve points are the policy's
(:class:`~alearn.session.class_policy.ClassPolicy`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from alearn.engine.learner import Learner
from alearn.estimates.accuracy import Estimate, with_change
from alearn.estimates.forecast import forecast_gain

if TYPE_CHECKING:
    from alearn.data.dataset import Dataset
    from alearn.journal.events import Event
    from alearn.session.class_policy import ClassPolicy
    from alearn.session.retrain import Fitted, Retrainer
    from alearn.session.settings import Settings

# When a person is waiting (see :meth:`Retraining.answer_promptly`): how long
# an answer may wait for its retrain before the next row comes from the model
# in force (only when the last retrain was that quick: a slow one is not waited for).
PROMPT_WAIT = 0.01
# Smaller pools retrain, rescore and estimate in well under 50 ms: a person's
# answer waits for the retrain, as in a script. (bench/session_latency.py at
# 45,000 rows, waiting: 37 ms median, 53 ms max, idle; so 20,000, where it was
# 31 / 47 ms.)
BACKGROUND_ROWS = 20_000


class Retraining:
    """The retraining half of a class session (see the module docstring).

    The attributes are the session's: its learner, features, policy and journal,
    the retrain worker, and the versions (labels fitted on) of the model in force
    (``_in_force``), of the newest retrain due (``_due``) and of the model on the
    data's own labels (``_seed_version``).
    """

    learner: Learner
    X: object
    data: Dataset
    settings: Settings
    policy: ClassPolicy
    ids: np.ndarray
    wait: float | None
    estimate: Estimate | None
    curve: dict[int, Estimate]
    _retrainer: Retrainer
    _in_force: int
    _due: int
    _seed_version: int
    _switch_to: Fitted | None
    _audit_flags: list[bool]
    _active: list[Event]
    _events: list[Event]

    @staticmethod
    def _labels_of(learner: Learner) -> tuple[list[int], list[str]]:
        order = list(learner.order)
        return order, [str(v) for v in learner.labels[order]]

    def _fit_job(self, rows: np.ndarray, labels: np.ndarray, estimate: bool
                 ) -> tuple[object | None, np.ndarray | None, Estimate | None]:
        """Fit, rescore and estimate on a copy of the labels (in the worker thread);
        the estimate is the policy's (none for a screen: it shows recall)."""
        learner = self.learner
        model = learner.fit_labels(rows, labels) if rows.size else None
        found = self._estimate_on(rows, labels, lambda: model) if estimate else None
        if found is not None:
            # What more labels would buy, from the same labels (display only).
            s = self.settings
            ahead = forecast_gain(self.X, rows, labels, s.model, s.seed,
                                  text=bool(self.data.text))
            if ahead is not None:
                found = dataclasses.replace(found, forecast=ahead.words())
        return model, learner.score(model), found

    def _use(self, fitted: Fitted | None, version: int = 0, report: bool = True
             ) -> tuple[bool, Estimate | None]:
        """Suggest from ``fitted`` (``None``: no model) from now on; whether the model
        changed, and its estimate (with the change since the last one reported;
        ``report=False`` when rebuilding: a session reports only its own retrains)."""
        if fitted is None and version == 0 and self._in_force >= 0:
            return False, None  # keep the model in force
        version = fitted.version if fitted is not None else version
        if version == self._in_force:
            return False, None
        self._in_force = version
        self.learner.use(fitted.model if fitted else None, fitted.utility if fitted else None)
        # Older fits are not needed again (an undo refits what it needs): a
        # million rows' scores are 8 MB a version.
        self._retrainer.forget(lambda kept: kept >= version)
        if fitted is None or fitted.estimate is None or not report:
            return True, None
        self.estimate = with_change(fitted.estimate, self.estimate)
        return True, self.estimate

    def _choose(self, rows: list[int], labels: list[str], due: int | None) -> Fitted | None:
        """The fit the next suggestion comes from, given these labels (the last one
        maybe not journaled yet): the retrain due, waited for as :attr:`wait`
        allows, else the newest one finished; ``None`` keeps the model in force."""
        target = due if due is not None else self._due
        if target == self._in_force or target == 0:
            return None
        if self.wait is None:
            return self._retrainer.wait(rows, labels, target)
        quick = self._retrainer.last_seconds is not None and \
            self._retrainer.last_seconds < self.wait
        fitted = self._retrainer.wait(rows, labels, target, self.wait if quick else 0)
        return fitted or self._retrainer.newest(rows, labels, self._in_force + 1)

    def answer_promptly(self) -> None:
        """A person is waiting for each row: on a pool of :data:`BACKGROUND_ROWS` rows
        or more, do not wait long for a retrain (:attr:`wait`)."""
        if len(self.ids) >= BACKGROUND_ROWS:
            self.wait = PROMPT_WAIT

    def _next_model(self, action: str) -> int | None:
        """The version recorded with a skip (chosen now) or an undo (the one that
        suggested the row it brings back)."""
        if action == "undo":
            target = self._active[-1]
            before = [e for e in self._events if e.seq < target.seq]
            return before[-1].model if before else self._seed_version
        rows, labels = self._labels_of(self.learner)
        self._switch_to = self._choose(rows, labels, None)
        return self._switch_to.version if self._switch_to is not None else self._in_force

    # -- estimating ---------------------------------------------------------
    def _estimate(self, n: int | None = None) -> Estimate | None:
        """The policy's accuracy estimate of a model fitted on the first ``n`` labels
        (default: all), in the retrain worker; the model is fitted only if it is read."""
        learner = self.learner
        rows = np.asarray(learner.order if n is None else learner.order[:n], dtype=int)
        labels = learner.labels[rows].astype(str) if rows.size else np.empty(0, dtype=str)

        def estimate() -> Estimate | None:
            return self._estimate_on(
                rows, labels, lambda: learner.fit_labels(rows, labels) if rows.size else None)
        return self._retrainer.run(estimate)  # type: ignore[return-value]

    def _estimate_on(self, rows: np.ndarray, labels: np.ndarray,
                     model: Callable[[], object | None]) -> Estimate | None:
        """The policy's estimate after labels ``labels`` on ``rows`` (a prefix of the
        learner's order); ``model`` returns the model fitted on them. Runs in the
        retrain worker: it reads the audit flags the main thread set before the
        retrain was due."""
        audit = np.asarray(self._audit_flags[:rows.size], dtype=bool)
        return self.policy.estimate(self.learner, self.X, rows, labels, audit, model)

    def _curve_point(self, retrained: bool, estimate: Estimate | None, due: int | None
                     ) -> Estimate | None:
        """A new learning-curve row, at one of the task's budgets: the estimate of a
        retrain on that many labels when it comes into force, or, when the labels
        reach a budget with no retrain due there, a fresh estimate (none without
        the policy's ``curve_budgets``: a screen shows recall, not an accuracy curve)."""
        budgets, n = self.policy.curve_budgets, self.learner.n_labeled
        point: Estimate | None
        if retrained and estimate is not None and self._in_force in budgets \
                and self._in_force not in self.curve:
            point = estimate
        elif n in budgets and n not in self.curve and due != n:
            point = self._estimate()
        else:
            return None  # (a retrain due at a budget brings its row when it finishes)
        if point is None:
            return None
        self.curve[point.n_labels] = with_change(point, None)
        return self.curve[point.n_labels]
