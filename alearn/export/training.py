"""What an export fits on: labeled rows of a dataset, and how they were chosen.

:class:`TrainingData` comes from a replayed simulation
(:func:`alearn.export.replay.from_task`) or a label store
(:func:`alearn.export.storelabels.from_store`); :func:`fit_pipeline` turns it
into the fitted preprocessing + model pipeline the learner had. No simulation
code is loaded here, so reading a store stays light.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from alearn.data.dataset import Dataset
from alearn.engine.describe import Descriptions, description_rows, fit_with
from alearn.engine.features import TextOptions, preprocessor_for, text_options
from alearn.errors import DataError
from alearn.models import MODELS, fit_quietly, make_model
from alearn.spec import TaskSpec

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
    notes : list of str
        What the person should know (a store's data changed since labeling).
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
    notes: list[str] = field(default_factory=list)


def check_model(model: str | None) -> None:
    """Refuse a ``--model`` that is not registered (``None``: the task's own)."""
    if model is not None:
        MODELS.get(model, key="--model")


def fit_preprocessor(train: TrainingData) -> Any:
    """The preprocessing fitted on the training data's pool rows (labels unused)."""
    data = train.data
    options = train.options
    if options is None and train.spec is not None:
        options = text_options(train.spec, data)
    pre = preprocessor_for(data, train.model, options, n_rows=len(train.pool))
    return pre.fit(data.features.iloc[train.pool])


def descriptions_of(train: TrainingData, pre: Any) -> Descriptions | None:
    """The task's class descriptions through the fitted preprocessing (``None`` without)."""
    spec = train.spec
    if spec is None or not spec.describe or not train.data.text_feature:
        return None
    return description_rows(spec.describe, train.data, pre, spec.where)


def fit_pipeline(train: TrainingData) -> Pipeline:
    """Preprocessing fitted on the pool and the model fitted on the labels, as one pipeline.

    This is exactly the model the learner had after those labels.
    """
    pre = fit_preprocessor(train)
    model = make_model(train.model, train.seed, text=bool(train.data.text))
    X = pre.transform(train.data.features.iloc[train.rows])
    described = descriptions_of(train, pre)
    if described is not None:  # as the session fitted them: the descriptions beside the labels
        fitted = fit_with(described, train.model, train.seed, bool(train.data.text), X,
                          train.labels)
        if fitted is not None:
            return Pipeline([("pre", pre), ("model", fitted)])
    if len(set(train.labels)) < 2:
        raise DataError(f"{train.source.get('path', 'labels')}: "
                        + ("the one label is" if train.labels.size == 1 else
                           f"the {train.labels.size} labels are all")
                        + " one class; a model needs at least two")
    fit_quietly(model, X, train.labels)
    return Pipeline([("pre", pre), ("model", model)])


