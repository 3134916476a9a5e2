"""``rules.md``: what a fitted pipeline decides, in the data's own columns.

A tree becomes if-then rules (:mod:`alearn.export.rules`); logistic regression its
strongest weights per class and naive Bayes its per-class summaries
(:mod:`alearn.export.weights`). Every file ends with how missing cells are filled,
which the rules need to be applied by hand.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from alearn.data.dataset import Dataset
from alearn.engine.featuremap import Term, columns_of, feature_terms
from alearn.export.rules import filled, format_number, node_conditions, tree_rules
from alearn.export.weights import logreg_weights, nb_summary, word_weights
from alearn.models.factory import TREE_MAX_DEPTH

MODEL_TITLES = {"tree": f"decision tree (depth at most {TREE_MAX_DEPTH})",
                "logreg": "logistic regression", "nb": "naive Bayes"}


def model_name(estimator: Any) -> str:
    """``tree``, ``logreg`` or ``nb`` for a fitted estimator."""
    kind = type(estimator).__name__
    return {"DecisionTreeClassifier": "tree", "LogisticRegression": "logreg",
            "GaussianNB": "nb", "ComplementNB": "nb"}.get(kind, kind)


def tree_conditions(pipeline: Any, data: Dataset) -> tuple[list[Term], dict]:
    """The tree's split conditions in original terms, thresholds chosen on ``data``."""
    pre, model = pipeline[0], pipeline[-1]
    terms = feature_terms(pre)
    original = filled(data.features, terms)
    X = pre.transform(data.features)
    return terms, node_conditions(model, terms, X, original)


def _tree_section(pipeline: Any, data: Dataset) -> list[str]:
    model = pipeline[-1]
    _, conditions = tree_conditions(pipeline, data)
    rules = tree_rules(model, conditions)
    lines = [
        "## Rules",
        "",
        f"Exactly one rule applies to each row (the tree has {len(rules)} leaves, depth "
        f"{model.get_depth()}). Numeric thresholds are in the column's own units, rounded to "
        "the fewest digits (at least 3 significant) that still split every row of the data "
        "exactly as the model does. Each rule ends with the training labels that reach it "
        "and the share of them that are of its class (confidence).",
        "",
    ]
    lines += [f"{i}. {rule.text()}" for i, rule in enumerate(rules, 1)]
    return lines


def _logreg_section(pipeline: Any) -> list[str]:
    pre, model = pipeline[0], pipeline[-1]
    lines = [
        "## Strongest weights per class",
        "",
        "A row's score for a class is its intercept plus each weight times the row's value "
        "(numeric columns measured from their mean); a positive weight pushes towards the "
        "class. Weights are ranked per standard deviation, so columns in different units "
        "compare fairly, and shown per unit of the column.",
    ]
    for block in logreg_weights(model, feature_terms(pre)):
        lines += ["", f"### {block.label} (intercept {block.intercept:+.3g})", ""]
        lines += [f"- {w.text()}" for w in block.weights] or ["- (no non-zero weights)"]
    return lines


def _nb_section(pipeline: Any) -> list[str]:
    pre, model = pipeline[0], pipeline[-1]
    if not hasattr(model, "theta_"):  # complement naive Bayes on text
        lines = ["## Strongest words per class", "",
                 "Per class, the words whose weight under the class most exceeds their mean "
                 "weight over the classes (log-probability)."]
        for block in word_weights(model, feature_terms(pre)):
            lines += ["", f"### {block.label}", ""]
            lines += [f"- {w.text()}" for w in block.weights]
        return lines
    priors, features = nb_summary(model, feature_terms(pre))
    lines = ["## Class priors", ""]
    lines += [f"- {c}: {p:.0%}" for c, p in priors.items()]
    lines += [
        "",
        "## Columns that separate the classes most",
        "",
        "Per class: mean ± standard deviation of a numeric column (in its own units), or the "
        "share of the class's labels with a category. A row is given the class under which "
        "its values are most likely, times the class prior.",
        "",
    ]
    lines += [f"- {f.text()}" for f in features]
    return lines


def _fills(pipeline: Any) -> list[str]:
    terms = [t for t in feature_terms(pipeline[0]) if t.kind not in ("word", "topic")]
    fills = {t.column: t.fill for t in terms}
    lines = ["## Missing values", "", "A missing cell counts as (median, or most frequent "
             "category, of the data the model was built from):", ""]
    for column in columns_of(terms):
        value = fills[column]
        shown = (json.dumps(value, ensure_ascii=False) if isinstance(value, str)
                 else format_number(float(value)))
        lines.append(f"- `{column}` counts as {shown}")
    return lines


def rules_markdown(pipeline: Any, data: Dataset, model: str, n_labels: int) -> str:
    """The text of ``rules.md`` for a fitted pipeline.

    Parameters
    ----------
    pipeline : sklearn Pipeline
        ``pre`` (from :func:`alearn.engine.features.build_preprocessor`) then the model.
    data : Dataset
        The data the model was built from (thresholds are chosen to route every
        one of its rows exactly as the model does).
    model : str
        ``tree``, ``logreg`` or ``nb``.
    n_labels : int
        Labels the model was fitted on.

    Returns
    -------
    str
    """
    classes = ", ".join(str(c) for c in np.asarray(pipeline[-1].classes_))
    target = f" `{data.target}`" if data.target else ""
    lines = [f"# How the model decides{target}", "",
             f"A {MODEL_TITLES.get(model, model)} fitted on {n_labels} labels of {data.name}. "
             f"Classes: {classes}.", ""]
    if model == "tree":
        lines += _tree_section(pipeline, data)
    elif model == "logreg":
        lines += _logreg_section(pipeline)
    else:
        lines += _nb_section(pipeline)
    lines += ["", *_fills(pipeline)]
    return "\n".join(lines) + "\n"
