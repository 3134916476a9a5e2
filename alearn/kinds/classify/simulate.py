"""Batch simulation: the known labels play the human.

For each task and seed: one stratified train/test split and one start shared by
every query strategy (a paired comparison); random sampling always runs as the
baseline; the ceiling is the same model trained on every pool label. Each
learner only ever reads the labels of the rows it has bought.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from alearn.data.dataset import Dataset, load_dataset
from alearn.engine.describe import Descriptions, check_described, description_rows
from alearn.engine.features import TextOptions, preprocessor_for, text_options
from alearn.engine.fits import FitCache, check_finite, fit_clean, trusted
from alearn.engine.learner import Learner
from alearn.engine.recheck import POLICY, RecheckPolicy, choose_recheck
from alearn.engine.scoring import classification_scores, predict_now
from alearn.engine.start import choose_start
from alearn.errors import DataError
from alearn.kinds.base import BASELINE
from alearn.kinds.classify.person import Person
from alearn.models import make_model
from alearn.seeds import Stream, stream

if TYPE_CHECKING:
    from pathlib import Path

    from alearn.spec import TaskSpec

CEILING = "all-labels"
# Always answering the test rows' most frequent class: what an accuracy must beat.
MAJORITY = "majority"
REFERENCES = (CEILING, MAJORITY)  # rows of results.csv that are not learning curves
METRICS = ("accuracy", "macro_f1")


@dataclass
class SimTask:
    """A task ready to simulate: its spec and the labeled rows of its data."""

    spec: TaskSpec
    features: pd.DataFrame
    y: np.ndarray
    numeric: list[str]
    categorical: list[str]
    notices: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    options: TextOptions = field(default_factory=TextOptions)

    @property
    def text_feature(self) -> str | None:
        """The document column of :attr:`features`, as its dataset's (``None`` without text)."""
        return self.text[0] if self.text else None


def prepare(spec: TaskSpec, dataset: Dataset | None = None,
            cache: Path | None = None) -> SimTask:
    """Load and check a task for simulation; text embeddings are computed (or read
    from ``cache``) here, once for every seed.

    Raises
    ------
    DataError
        No labels, a single class, or fewer pool rows than the largest budget.
    """
    data = dataset if dataset is not None else load_dataset(spec)
    labeled, y, notices = data.labeled_part()
    classes = np.unique(y)
    if classes.size < 2:
        found = f"only {str(classes[0])!r}" if classes.size else "no labels"
        raise DataError(f"{data.source}: target {data.target!r} has {found}; "
                        "expected at least two classes")
    check_described(spec.describe, [str(c) for c in classes], f"{data.source}: target "
                    f"{data.target!r}")
    if spec.describe and not data.text_feature:
        raise DataError(f"{data.source}: describe gives classes in words, and this data has "
                        "no text column to compare them with (text = [...])")
    n_pool = int(np.floor(labeled.sum() * (1 - spec.test_size)))
    if n_pool < spec.budgets[-1]:
        raise DataError(f"{data.source}: {n_pool} pool rows after holding out test_size="
                        f"{spec.test_size}, fewer than the largest budget {spec.budgets[-1]}")
    return SimTask(spec=spec, features=data.features[labeled].reset_index(drop=True), y=y,
                   numeric=data.numeric, categorical=data.categorical, notices=notices,
                   text=[data.text_feature] if data.text_feature else [],
                   options=text_options(spec, data, cache))


def split(y: np.ndarray, test_size: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified pool/test split; classes with a single row stay in the pool."""
    idx = np.arange(y.size)
    _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    single = counts[inverse] < 2
    pool, test = train_test_split(idx[~single], test_size=test_size, random_state=seed,
                                  stratify=y[~single])
    return np.sort(np.concatenate([pool, idx[single]])), np.sort(test)


@dataclass
class SeedSplit:
    """One seed's pool/test split, preprocessed, and the start every strategy shares."""

    pool: np.ndarray
    test: np.ndarray
    X_pool: object
    X_test: object
    y_pool: np.ndarray
    y_test: np.ndarray
    labels: np.ndarray
    start: np.ndarray | None
    descriptions: Descriptions | None = None


def seed_split(task: SimTask, seed: int) -> SeedSplit:
    """Split, fit the preprocessing on the pool's features, and choose the start."""
    spec = task.spec
    pool, test = split(task.y, spec.test_size, seed)
    pre = preprocessor_for(task, spec.model, task.options, n_rows=len(pool))
    X_pool = pre.fit_transform(task.features.iloc[pool])
    described = description_rows(spec.describe, task, pre, spec.where) \
        if spec.describe else None
    # Described classes start from the row most typical of each (the learner finds them).
    start = None if described is not None else \
        choose_start(spec.start, X_pool, spec.start_size, stream(seed, Stream.START))
    return SeedSplit(pool=pool, test=test, X_pool=X_pool,
                     X_test=pre.transform(task.features.iloc[test]), y_pool=task.y[pool],
                     y_test=task.y[test], labels=np.unique(task.y), start=start,
                     descriptions=described)


# Decides whether the next answer rechecks a labeled row: given the learner, the
# answers so far, the positions (in learner.order) already rechecked and how many
# of those rechecks changed the label, the position to recheck or None.
Chooser = Callable[[Learner, int, Sequence[int], int], int | None]


def policy_chooser(task: SimTask, seed: int, policy: RecheckPolicy = POLICY) -> Chooser:
    """The :class:`Chooser` of ``recheck = "auto"``: :func:`~alearn.engine.recheck.choose_recheck`
    with the task's model."""
    spec = task.spec

    def choose(learner: Learner, answers: int, rechecked: Sequence[int],
               changed: int) -> int | None:
        found = choose_recheck(learner.X, learner.order, learner.labels[learner.order], answers,
                               lambda: make_model(spec.model, seed, text=bool(task.text)),
                               rechecked=rechecked, changed=changed, policy=policy)
        return None if found is None else found.position

    return choose


def answering(task: SimTask, data: SeedSplit, seed: int, strategy: str, top: int,
              choose: Chooser | None = None, fits: FitCache | None = None
              ) -> Iterator[tuple[Learner, int]]:
    """Run one strategy's loop to ``top`` answers, yielding the learner and the
    answers so far after each answer.

    The simulated person (:class:`~alearn.kinds.classify.person.Person`) answers
    the rows the learner asks for, and only those, wrong with the task's
    ``label_noise``. With ``recheck = "auto"`` (:func:`policy_chooser`), or another
    ``choose``, an answer may recheck a labeled row instead: the person answers
    it again and that answer replaces its label, so answers count labels and
    rechecks alike. ``fits`` shares fits with the seed's other strategies.
    """
    spec = task.spec
    if choose is None and spec.recheck == "auto":
        choose = policy_chooser(task, seed)
    learner = Learner(data.X_pool, model=spec.model, strategy=strategy, start=spec.start,
                      start_size=spec.start_size, batch=spec.batch, seed=seed,
                      start_rows=data.start, text=bool(task.text), fits=fits,
                      describe=data.descriptions)
    person = Person(data.y_pool, data.labels, spec.label_noise, seed)
    rechecked: list[int] = []
    answers = changed = 0
    while answers < top:
        position = None if choose is None else choose(learner, answers, rechecked, changed)
        if position is not None:
            rechecked.append(position)
            row = learner.order[position]
            changed += learner.relabel(row, person.answer(row))
            answers += 1
            yield learner, answers
            continue
        for row in learner.suggest(min(spec.batch, top - answers)):
            learner.teach([row], [person.answer(row)])
            answers += 1
            yield learner, answers


def purchases(task: SimTask, data: SeedSplit, seed: int, strategy: str,
              top: int) -> Iterator[Learner]:
    """Run one strategy's loop to ``top`` answers (:func:`answering`), yielding the
    learner after each answer.

    The oracle reveals the labels of the rows the learner asks for, and only those.
    """
    for learner, _ in answering(task, data, seed, strategy, top):
        yield learner


def learning_curve(task: SimTask, data: SeedSplit, seed: int, strategy: str, top: int,
                   at: Collection[int] | None = None, choose: Chooser | None = None,
                   fits: FitCache | None = None
                   ) -> Iterator[tuple[Learner, int, dict[str, float]]]:
    """One strategy's learning curve on one seed: its loop (:func:`answering`) to
    ``top`` answers, scored on the test rows as it goes.

    Parameters
    ----------
    task : SimTask
    data : SeedSplit
        The seed's split and start (:func:`seed_split`).
    seed : int
    strategy : str
    top : int
        Answers to give (labels, and rechecks with ``recheck = "auto"``).
    at : collection of int, optional
        Numbers of answers to score at (default: after every answer).
    choose : Chooser, optional
        Which rows to recheck (default: the task's ``recheck``; see :func:`answering`).
    fits : FitCache, optional
        Fits shared with the other strategies of this seed (same ``data``).

    Yields
    ------
    learner : Learner
        The learner, holding ``learner.n_labeled`` labels; the same object each time.
    answers : int
        Answers given so far (``learner.n_labeled`` without rechecks).
    scores : dict of str to float
        :func:`~alearn.engine.scoring.classification_scores` on the test rows of a
        model fitted on those labels (:func:`~alearn.engine.scoring.predict_now`).
    """
    for learner, answers in answering(task, data, seed, strategy, top, choose, fits):
        if at is None or answers in at:
            yield learner, answers, classification_scores(
                data.y_test, predict_now(learner, data.X_test), data.labels)


def simulate_seed(task: SimTask, seed: int) -> list[tuple]:
    """Run every strategy and the baseline on one seed of one task.

    Returns
    -------
    list of tuple
        Rows in :data:`RESULT_COLUMNS` order.
    """
    spec = task.spec
    with threadpool_limits(1):
        data = seed_split(task, seed)
        rows: list[tuple] = []
        check_finite(data.X_pool)
        ceiling = fit_clean(make_model(spec.model, seed, text=bool(task.text)), data.X_pool,
                            data.y_pool)
        with trusted(data.X_test, data.X_pool):
            predicted = ceiling.predict(data.X_test)
        for metric, value in classification_scores(data.y_test, predicted,
                                                   data.labels).items():
            rows.append((spec.name, CEILING, seed, len(data.pool), metric, value))
        classes, counts = np.unique(data.y_test, return_counts=True)
        always = np.full(len(data.y_test), classes[int(np.argmax(counts))], dtype=object)
        for metric, value in classification_scores(data.y_test, always, data.labels).items():
            rows.append((spec.name, MAJORITY, seed, 0, metric, value))
        # Every strategy starts from the same rows (and on two classes the
        # uncertainty strategies often ask alike): their equal fits are fitted once.
        fits = FitCache()
        for strategy in dict.fromkeys([*spec.strategies, BASELINE]):
            for _, answers, scores in learning_curve(task, data, seed, strategy,
                                                     spec.budgets[-1], fits=fits):
                for metric, value in scores.items():
                    rows.append((spec.name, strategy, seed, answers, metric, value))
    return rows
