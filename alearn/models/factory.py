"""Compact model factory: the only place model names become estimators."""

from __future__ import annotations

import warnings

from sklearn.base import ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB, GaussianNB
from sklearn.tree import DecisionTreeClassifier

from alearn.errors import ConfigError

# Trees deeper than this stop being readable as rules.
TREE_MAX_DEPTH = 4
MODEL_NAMES = ("logreg", "tree", "nb")
# Screening: inverse regularisation strength of the logistic regression
# (measured on Kitchenham, docs/screening.md: 0.3 beat 1 and 10).
SCREEN_C = 0.3


def make_model(name: str, seed: int = 0, *, text: bool = False,
               screen: bool = False) -> ClassifierMixin:
    """Return an unfitted compact classifier.

    Parameters
    ----------
    name : {"logreg", "tree", "nb"}
        Logistic regression, a shallow decision tree, or naive Bayes (Gaussian;
        complement naive Bayes on word counts when the features are text).
    seed : int
        Seed for estimators with randomness (the tree's tie-breaking).
    text : bool
        Whether the features include TF-IDF terms.
    screen : bool
        Screening: the rare class is weighted up (``class_weight="balanced"``)
        and logistic regression is regularised more (``C = SCREEN_C``), as it is
        fitted on every row with unscreened rows as presumed negatives.

    Returns
    -------
    estimator
    """
    weight = "balanced" if screen else None
    if name == "logreg":
        if screen:
            return LogisticRegression(C=SCREEN_C, class_weight=weight, solver="liblinear",
                                      dual=True, max_iter=1000)
        return LogisticRegression(C=1.0, max_iter=1000)
    if name == "tree":
        return DecisionTreeClassifier(max_depth=TREE_MAX_DEPTH, random_state=seed,
                                      class_weight=weight)
    if name == "nb":
        return ComplementNB(alpha=0.1) if text else GaussianNB()
    raise ConfigError(f"model {name!r} is not known; expected one of {', '.join(MODEL_NAMES)}")


def needs_dense(name: str, text: bool = False) -> bool:
    """Whether the model needs a dense feature matrix (Gaussian naive Bayes)."""
    return name == "nb" and not text


def needs_nonnegative(name: str, text: bool = False) -> bool:
    """Whether the model needs non-negative features (complement naive Bayes)."""
    return name == "nb" and text


def fit_quietly(model: ClassifierMixin, X: object, y: object) -> ClassifierMixin:
    """Fit ``model``, silencing the warnings that tiny labeled sets always raise.

    A dozen labels of many classes trips scikit-learn's "more classes than half
    the samples" check and, now and then, an iteration limit; neither is news
    to an active learner, and they would bury the user's screen.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", message="The number of unique classes is greater")
        return model.fit(X, y)
