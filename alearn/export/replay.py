"""Training data from a task: one seed of its simulated run, replayed.

:func:`from_task` replays the run (the same split, start and learner as
``alearn run``; the learner only ever sees the labels it bought) and keeps its
first ``budget`` labels, with the run's learning curve on its test split.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from alearn.counting import counted
from alearn.data.dataset import Dataset, load_dataset
from alearn.errors import ConfigError
from alearn.estimates.accuracy import majority_rate
from alearn.export.training import CURVE_BUDGETS, TrainingData, check_model
from alearn.kinds import KINDS
from alearn.kinds.classify.simulate import SimTask, learning_curve, prepare, seed_split
from alearn.spec import TaskSpec
from alearn.tasks import check_strategy, load_task, revise


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
    # Always answering the test rows' most common class: the floor each point must beat.
    majority_class, majority = majority_rate(task.y[test])
    # The simulation's own loop, so the numbers are the run's own.
    for learner, _, scores in learning_curve(task, data_split, seed, strategy, top,
                                             at=(*CURVE_BUDGETS, budget)):
        curve.append({"labels": learner.n_labeled, **scores, "n_eval": int(test.size),
                      "exported": learner.n_labeled == budget, "majority": majority,
                      "majority_class": majority_class})
    bought = np.asarray(learner.order[:budget], dtype=int)
    method = (f"Replay of the simulated run on seed {seed} with strategy {strategy!r}: a "
              f"stratified split (seed {seed}) holds out test_size={spec.test_size} of the "
              f"{counted(task.y.size, 'labeled row')} ({counted(test.size, 'test row')}); the "
              f"learner buys labels from the other {pool.size} (start: {spec.start}, "
              f"{counted(spec.start_size, 'row')}; batch {spec.batch}) and sees only the labels "
              "it bought. Each point is the accuracy and macro-F1 on the test rows of a "
              f"{spec.model} fitted on the labels bought so far; the exported model is the one "
              f"at {counted(budget, 'label')}.")
    source = {"kind": "task", "path": path, "task": spec.name, "seed": seed,
              "strategy": strategy, "budget": budget, "start": spec.start,
              "start_size": spec.start_size, "batch": spec.batch, "test_size": spec.test_size}
    return TrainingData(data=data, pool=labeled[pool], rows=labeled[pool][bought],
                        labels=y_pool[bought], model=spec.model, seed=seed, source=source,
                        curve=curve, curve_method=method, spec=spec, options=task.options)
