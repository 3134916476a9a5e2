"""Screening: the :class:`~alearn.session.class_policy.ClassPolicy` of a screen session.

A screen looks for the rows of one rare class, ``positive``. The learner ranks
rows by how likely they are to be of it (its model is fitted on 1 for
``positive`` and 0 for the rest, with unscreened rows sampled as presumed
negatives: :class:`~alearn.engine.learner.Learner`), so the first model waits
for a ``positive`` label. Term counts given as numbers are weighted like words
(:func:`~alearn.engine.features.term_counts`). The session shows recall
(found so far, estimated left) and stopping advice
(:mod:`alearn.kinds.screen.stopping`) instead of accuracy: no audit rows, no
accuracy estimates, no learning curve.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from alearn.counting import counted
from alearn.data.dataset import Dataset
from alearn.engine.learner import Learner
from alearn.errors import ConfigError, DataError, StoreError
from alearn.estimates.accuracy import Estimate
from alearn.journal.store import Store
from alearn.kinds.screen.statement import SETTINGS_KEY, unsupported
from alearn.kinds.screen.stopping import DEFAULT_TARGET, advise
from alearn.session.keystrokes import name_problem
from alearn.session.options import LabelOptions
from alearn.session.settings import Settings
from alearn.spec import TaskSpec
from alearn.tasks import revise


@dataclass(frozen=True)
class Screening:
    """Screening for the rare class ``positive``, with stopping advice.

    Parameters
    ----------
    positive : str
        The class to find (the task's ``positive``).
    recall_target : float
        The recall the stopping advice aims for (the task's ``recall_target``).

    Attributes
    ----------
    curve_budgets : tuple of int
        Empty: a screen shows recall, not an accuracy curve.
    model_waits : str
        ``"a 'yes' label"`` for ``positive = "yes"``.
    """

    positive: str
    recall_target: float = DEFAULT_TARGET

    @staticmethod
    def take_options(task: TaskSpec, options: LabelOptions) -> TaskSpec:
        """``task`` with the options of this policy applied: ``--audit`` is refused,
        ``--recall-target`` replaces the task's ``recall_target``, ``--query`` its ``query``,
        ``--prior-ids`` its ``priors``.

        Raises
        ------
        ConfigError
        """
        if options.audit:
            raise ConfigError(f"--audit {options.audit}: a screen session shows recall, not "
                              "accuracy, and draws no audit rows; leave --audit out")
        if options.recheck is not None:
            raise ConfigError(f"--recheck {options.recheck}: rechecks are for classify "
                              "sessions (a screen session's rows are ranked by how likely "
                              "they are relevant); leave --recheck out")
        if options.describe is not None:
            raise ConfigError("--describe: a screen session finds one class; say what it is "
                              "looking for with --query \"...\"; leave --describe out")
        if options.query is not None:
            if not any(c.isalpha() for c in options.query):
                raise ConfigError(f"--query {options.query!r}: the query is empty; write the "
                                  "research question or the inclusion criteria")
            # It decides which rows come: kept in the store with the task's settings.
            task = revise(task, query=options.query)
        if options.prior_ids is not None:
            ids = tuple(dict.fromkeys(i.strip() for v in options.prior_ids
                                      for i in str(v).split(",") if i.strip()))
            if not ids:
                raise ConfigError("--prior-ids names no record; expected e.g. --prior-ids p17,p203")
            task = revise(task, priors=ids)
        if options.recall_target is not None:
            # A store made before the target was kept takes the one given
            # (kept_target checks it against a newer store's).
            task = revise(task, recall_target=float(options.recall_target))
        return task

    @staticmethod
    def with_priors(task: TaskSpec, data: Dataset) -> Dataset:
        """``data`` with the task's ``priors`` (``--prior-ids``) labeled ``positive`` in
        its target column: records the reviewer knows are relevant start the screen
        as the labels already in the column do. A prior the column labels already
        keeps that label.

        Priors name row ids (the id column's values, or the content hashes alearn
        shows when there is none); a number that is no row's id is a 0-based row
        number of the file.

        Raises
        ------
        DataError
            A prior names no record.
        """
        if not task.priors:
            return data
        ids = [str(i) for i in data.ids]
        position = {name: k for k, name in enumerate(ids)}
        missing = [p for p in task.priors if p not in position
                   and not (p.isascii() and p.isdigit() and int(p) < len(ids))]
        if missing:
            shown = ", ".join(repr(p) for p in missing[:5])
            raise DataError(f"{data.source}: priors name no record: {shown} (priors are row "
                            f"ids, such as {ids[0]!r}, or 0-based row numbers)")
        rows = [position[p] if p in position else int(p) for p in task.priors]
        labels = np.full(len(ids), None, dtype=object) if data.labels is None \
            else data.labels.copy()
        marked = [row for row in dict.fromkeys(rows) if not isinstance(labels[row], str)]
        labels[marked] = task.positive
        note = (f"{counted(len(marked), 'record')} known to be relevant (priors) start the "
                f"screen labeled {task.positive!r}")
        return dataclasses.replace(data, labels=labels, text_notes=[*data.text_notes, note])

    @classmethod
    def for_task(cls, task: TaskSpec, settings: Settings, gold: np.ndarray | None
                 ) -> Screening:
        """The policy of a session on the screen task ``task`` (its ``positive`` and
        ``recall_target``; a screen measures no accuracy, so ``gold`` is not read)."""
        assert task.positive, "a screen task names its positive class (checked when parsed)"
        return cls(task.positive, task.recall_target)

    @property
    def curve_budgets(self) -> tuple[int, ...]:
        """No learning curve (see :class:`Screening`)."""
        return ()

    @property
    def model_waits(self) -> str:
        """The first model waits for a ``positive`` label."""
        return f"a {self.positive!r} label"

    @property
    def groups_duplicates(self) -> bool:
        """Yes: exports of several databases overlap, and a paper is screened once."""
        return True

    @property
    def counts_as_words(self) -> bool:
        """Yes: a bag of words given as counts is read like words, as the screen
        simulation reads it."""
        return True

    def estimate(self, learner: Learner, X: object, rows: np.ndarray, labels: np.ndarray,
                 audit: np.ndarray, model: Callable[[], object | None]) -> Estimate | None:
        """None: a screen shows recall, not accuracy."""
        return None

    def advice(self, learner: Learner, total: int) -> str:
        """Found so far, estimated left and the stopping advice
        (:meth:`alearn.kinds.screen.stopping.StopAdvice.message`)."""
        hits = learner.labels[learner.order].astype(str) == self.positive
        return advise(hits, total, self.recall_target, unsupported(learner.strategy)).message()

    def up_front(self, given: Sequence[str]) -> list[str]:
        """``positive`` and the other class, on keys from the first row: the first
        class given that is not ``positive``, else its opposite (:func:`other_class`)."""
        folded = self.positive.casefold()
        other = next((c for c in given if c.casefold() != folded), None)
        return [self.positive, other if other is not None else other_class(self.positive)]

    def roles(self, up_front: Sequence[str]) -> dict[str, str]:
        """``positive`` is relevant, the other class of :meth:`up_front` not."""
        return dict(zip(up_front, ("relevant", "not relevant"), strict=False))

    def class_name(self, value: object) -> str:
        """``positive`` for the model's class 1, ``"not <positive>"`` for 0 (the rest)."""
        return self.positive if int(value) == 1 else f"not {self.positive}"  # type: ignore[call-overload]


def kept_target(task: TaskSpec, store: Store, given: float | None) -> TaskSpec:
    """``task`` with the recall target its store keeps (a store made before targets
    were kept: the task's, or ``--recall-target``, as before).

    A stopping statement cites a target set before screening began, so a store
    keeps the one it was made with (:func:`alearn.kinds.screen.statement.rule_record`).

    Raises
    ------
    StoreError
        ``--recall-target`` differs from the target the store keeps.
    """
    kept = (store.meta.settings.get(SETTINGS_KEY) or {}) if store.meta is not None else {}
    target = kept.get("recall_target")
    if target is None:
        return task
    if given is not None and float(given) != float(target):
        raise StoreError(f"{store.path}: this screening store keeps the recall target "
                         f"{float(target):g} it was made with (a stopping statement cites "
                         f"the target set before screening); --recall-target {given:g} "
                         "differs: leave it out, or start another --store")
    return revise(task, recall_target=float(target))


# The usual other answer to a yes/no-like positive class, in its case.
OPPOSITES = {"yes": "no", "true": "false", "relevant": "irrelevant", "include": "exclude",
             "included": "excluded", "accept": "reject", "positive": "negative",
             "pos": "neg", "in": "out"}


def other_class(positive: str) -> str:
    """The name a screen gives rows not of ``positive`` when neither ``--classes``
    nor the data names one: ``no`` for ``yes`` (``No`` for ``Yes``), else
    ``not <positive>``. Such labels are negatives whatever their name (the
    learner reads only ``positive``)."""
    other = OPPOSITES.get(positive.casefold())
    if other is None or name_problem(other, [], True) is not None:
        return f"not {positive}"
    if positive.isupper() and len(positive) > 1:
        return other.upper()
    return other.capitalize() if positive[:1].isupper() else other
