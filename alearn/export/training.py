"""What an export fits on: labeled rows of a dataset, and how they were chosen.

:func:`from_task` replays one seed of a task's simulated run (the same split,
start and learner as ``alearn run``; the learner only ever sees the labels it
bought) and keeps its first ``budget`` labels, with the run's learning curve
on its test split. :func:`fit_pipeline` turns any :class:`TrainingData` into
the fitted preprocessing + model pipeline the learner had.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from alearn.data.dataset import Dataset, load_dataset
from alearn.engine.features import TextOptions, preprocessor_for, text_options
from alearn.errors import ConfigError, DataError
from alearn.kinds import KINDS
from alearn.kinds.classify.simulate import (
    SimTask,
    learning_curve,
    prepare,
    seed_split,
)
from alearn.models import MODELS, fit_quietly, make_model
from alearn.spec import TaskSpec
from alearn.tasks import check_strategy, load_task, revise

CURVE_BUDGETS = (8, 16, 32)


@dataclass
class TrainingData:
    """Everything an export fits on and records.

    Attributes
    ----------
    data : Dataset
        The data the labels belong to.
    pool : ndarray of int
        Rows of ``data.features`` the preprocessing is fitted on.
    rows : ndarray of int
        Labeled rows of ``data.features``, in the order they were labeled.
    labels : ndarray of str
        Their labels.
    model : str
    seed : int
    source : dict
        Where the labels came from and the settings used (for the card).
    curve : list of dict
        Learning-curve points: ``labels``, ``accuracy``, ``macro_f1``, ``n_eval``.
    curve_method : str
        How the curve was estimated, in one paragraph.
    spec : TaskSpec or None
        The task (its text options shape the text features).
    options : TextOptions or None
        The text options with the data's embeddings, when already computed.
    """

    data: Dataset
    pool: np.ndarray
    rows: np.ndarray
    labels: np.ndarray
    model: str
    seed: int
    source: dict[str, Any]
    curve: list[dict[str, Any]] = field(default_factory=list)
    curve_method: str = ""
    spec: TaskSpec | None = None
    options: TextOptions | None = None


def check_model(model: str | None) -> None:
    """Refuse a ``--model`` that is not registered (``None``: the task's own)."""
    if model is not None:
        MODELS.get(model, key="--model")


def from_task(path: str | Path, budget: int, *, seed: int = 0, strategy: str | None = None,
              model: str | None = None) -> TrainingData:
    """Replay one seed of a task's simulated run and keep its first ``budget`` labels.

    Parameters
    ----------
    path : str or Path
        Task folder, ``task.toml`` or data file.
    budget : int
        Labels to fit the exported model on.
    seed : int
        The run's seed (split, start and tie-breaking).
    strategy : str, optional
        Query strategy (default: the task's first).
    model : str, optional
        Override the task's model.

    Returns
    -------
    TrainingData
    """
    check_model(model)
    spec = load_task(path)
    if not KINDS[spec.kind].exportable:
        article = "an" if spec.kind[0] in "aeiou" else "a"
        raise ConfigError(f"{path}: {article} {spec.kind} task cannot be exported (export "
                          "supports classification tasks and stores only)")
    if model is not None:
        spec = revise(spec, model=model)
    strategy = strategy or spec.strategies[0]
    check_strategy(spec.kind, strategy)
    if budget < 2:
        raise ConfigError(f"--budget must be at least 2 labels, got {budget}")
    if seed < 0:
        raise ConfigError(f"--seed must be 0 or more, got {seed}")
    data = load_dataset(spec)
    task = prepare(revise(spec, budgets=(budget,)), data)
    with threadpool_limits(1):
        return _replay(spec, task, data, budget, seed, strategy, str(path))


def _replay(spec: TaskSpec, task: SimTask, data: Dataset, budget: int, seed: int,
            strategy: str, path: str) -> TrainingData:
    labeled = np.flatnonzero(data.labeled)  # task rows -> rows of data.features
    data_split = seed_split(task, seed)
    pool, test, y_pool = data_split.pool, data_split.test, data_split.y_pool
    top = min(max(budget, *CURVE_BUDGETS), len(pool))
    curve = []
    # The simulation's own loop, so the numbers are the run's own.
    for learner, scores in learning_curve(task, data_split, seed, strategy, top,
                                          at=(*CURVE_BUDGETS, budget)):
        curve.append({"labels": learner.n_labeled, **scores, "n_eval": int(test.size),
                      "exported": learner.n_labeled == budget})
    bought = np.asarray(learner.order[:budget], dtype=int)
    method = (f"Replay of the simulated run on seed {seed} with strategy {strategy!r}: a "
              f"stratified split (seed {seed}) holds out test_size={spec.test_size} of the "
              f"{task.y.size} labeled rows ({test.size} test rows); the learner buys labels from "
              f"the other {pool.size} (start: {spec.start}, {spec.start_size} rows; batch "
              f"{spec.batch}) and sees only the labels it bought. Each point is the accuracy "
              f"and macro-F1 on the test rows of a {spec.model} fitted on the labels bought so "
              f"far; the exported model is the one at {budget} labels.")
    source = {"kind": "task", "path": path, "task": spec.name, "seed": seed,
              "strategy": strategy, "budget": budget, "start": spec.start,
              "start_size": spec.start_size, "batch": spec.batch, "test_size": spec.test_size}
    return TrainingData(data=data, pool=labeled[pool], rows=labeled[pool][bought],
                        labels=y_pool[bought], model=spec.model, seed=seed, source=source,
                        curve=curve, curve_method=method, spec=spec, options=task.options)


def fit_preprocessor(train: TrainingData) -> Any:
    """The preprocessing fitted on the training data's pool rows (labels unused)."""
    data = train.data
    options = train.options
    if options is None and train.spec is not None:
        options = text_options(train.spec, data)
    pre = preprocessor_for(data, train.model, options, n_rows=len(train.pool))
    return pre.fit(data.features.iloc[train.pool])


def fit_pipeline(train: TrainingData) -> Pipeline:
    """Preprocessing fitted on the pool and the model fitted on the labels, as one pipeline.

    This is exactly the model the learner had after those labels.
    """
    pre = fit_preprocessor(train)
    model = make_model(train.model, train.seed, text=bool(train.data.text))
    X = pre.transform(train.data.features.iloc[train.rows])
    if len(set(train.labels)) < 2:
        raise DataError(f"{train.source.get('path', 'labels')}: the {train.labels.size} labels "
                        "are all one class; a model needs at least two")
    fit_quietly(model, X, train.labels)
    return Pipeline([("pre", pre), ("model", model)])


