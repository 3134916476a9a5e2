"""Compact model factory: the only place model names become estimators."""

from __future__ import annotations

from sklearn.base import ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

from alearn.errors import ConfigError

# Trees deeper than this stop being readable as rules.
TREE_MAX_DEPTH = 4
MODEL_NAMES = ("logreg", "tree", "nb")


def make_model(name: str, seed: int = 0) -> ClassifierMixin:
    """Return an unfitted compact classifier.

    Parameters
    ----------
    name : {"logreg", "tree", "nb"}
        Logistic regression, a shallow decision tree, or Gaussian naive Bayes.
    seed : int
        Seed for estimators with randomness (the tree's tie-breaking).

    Returns
    -------
    estimator
    """
    if name == "logreg":
        return LogisticRegression(C=1.0, max_iter=1000)
    if name == "tree":
        return DecisionTreeClassifier(max_depth=TREE_MAX_DEPTH, random_state=seed)
    if name == "nb":
        return GaussianNB()
    raise ConfigError(f"model {name!r} is not known; expected one of {', '.join(MODEL_NAMES)}")


def needs_dense(name: str) -> bool:
    """Whether the model needs a dense feature matrix."""
    return name == "nb"
