"""The model registry: every model alearn fits, one file each.

Adding a model is one new file defining a :class:`~alearn.models.base.ModelSpec`
plus one line in :data:`MODELS`; validation, ``--help`` texts, the
preprocessing, ``rules.md``, the card and ``alearn explain`` all ask the
registry.
"""

from __future__ import annotations

import warnings
from typing import Any

from alearn.models import knn, logreg, nb, tree
from alearn.models.base import ModelSpec
from alearn.registry import Registry

MODELS: Registry[ModelSpec] = Registry("model", [logreg.MODEL, tree.MODEL, nb.MODEL, knn.MODEL])


def make_model(name: str, seed: int = 0, *, text: bool = False, screen: bool = False) -> Any:
    """Return an unfitted compact classifier.

    Parameters
    ----------
    name : str
        A registered model (:data:`MODELS`).
    seed : int
        Seed for estimators with randomness (the tree's tie-breaking, liblinear's
        coordinate order).
    text : bool
        Whether the features include TF-IDF terms.
    screen : bool
        Screening: the rare class is weighted up and the model fitted on every
        row with unscreened rows as presumed negatives.

    Returns
    -------
    estimator

    Raises
    ------
    ConfigError
        ``name`` is not registered.
    """
    return MODELS.get(name).make(seed, text=text, screen=screen)


def needs_dense(name: str, text: bool = False) -> bool:
    """Whether the model needs a dense feature matrix."""
    return MODELS.get(name).needs_dense(text)


def needs_nonnegative(name: str, text: bool = False) -> bool:
    """Whether the model needs non-negative features."""
    return MODELS.get(name).needs_nonnegative(text)


def model_of(estimator: Any) -> ModelSpec | None:
    """The registered model that builds estimators of this type, if any."""
    return next((spec for spec in MODELS.values() if spec.produced(estimator)), None)


def model_name(estimator: Any) -> str:
    """The registered name of a (fitted) estimator; its class name if none builds it."""
    spec = model_of(estimator)
    return spec.name if spec is not None else type(estimator).__name__


def model_title(name: str) -> str:
    """What ``rules.md`` and the card call a model (its name if it is not registered)."""
    return MODELS[name].title if name in MODELS else name


def fit_quietly(model: Any, X: object, y: object, **fit_params: Any) -> Any:
    """Fit ``model``, silencing the warnings that tiny labeled sets always raise.

    A dozen labels of many classes trips scikit-learn's "more classes than half
    the samples" check and, now and then, an iteration limit; neither is news
    to an active learner, and they would bury the user's screen.
    """
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", message="The number of unique classes is greater")
        return model.fit(X, y, **fit_params)


__all__ = ["MODELS", "ModelSpec", "fit_quietly", "make_model", "model_name", "model_of",
           "model_title", "needs_dense", "needs_nonnegative"]
