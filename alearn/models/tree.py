"""A shallow decision tree: if-then rules in the data's own columns; a row's rule."""

from __future__ import annotations

from typing import Any

from alearn.counting import counted
from alearn.errors import ModelFileError
from alearn.models.base import ModelSpec, Reading, Row

# Trees deeper than this stop being readable as rules.
TREE_MAX_DEPTH = 4


def build(seed: int, text: bool, screen: bool) -> Any:
    """A tree of depth at most :data:`TREE_MAX_DEPTH`; balanced classes for screening."""
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(max_depth=TREE_MAX_DEPTH, random_state=seed,
                                  class_weight="balanced" if screen else None)


def tree_conditions(pipeline: Any, data: Any) -> tuple[list[Any], dict]:
    """The tree's split conditions in original terms, thresholds chosen on ``data``.

    Parameters
    ----------
    pipeline : sklearn Pipeline
    data : Dataset
        The data the model was built from.

    Returns
    -------
    terms : list of Term
    conditions : dict
        Node id -> (left condition, right condition).
    """
    from alearn.engine.featuremap import feature_terms
    from alearn.models.rules import filled, node_conditions

    pre, model = pipeline[0], pipeline[-1]
    terms = feature_terms(pre)
    original = filled(data.features, terms)
    X = pre.transform(data.features)
    return terms, node_conditions(model, terms, X, original)


def rules_section(pipeline: Any, data: Any) -> list[str]:
    """``rules.md``: one if-then rule per leaf."""
    from alearn.models.rules import tree_rules

    model = pipeline[-1]
    _, conditions = tree_conditions(pipeline, data)
    rules = tree_rules(model, conditions)
    lines = [
        "## Rules",
        "",
        f"Exactly one rule applies to each row (the tree has {counted(len(rules), 'leaf', 'leaves')}, depth "
        f"{model.get_depth()}). Numeric thresholds are in the column's own units, rounded to "
        "the fewest digits (at least 3 significant) that still split every row of the data "
        "exactly as the model does. Each rule ends with the training labels that reach it "
        "and the share of them that are of its class (confidence).",
        "",
    ]
    lines += [f"{i}. {rule.text()}" for i, rule in enumerate(rules, 1)]
    return lines


def explain(row: Row) -> Reading:
    """The rule of ``rules.md`` that holds for the row, with the row's values."""
    from alearn.models.rules import leaf_order, parse_rules

    estimator = row.pipeline[-1]
    # The row's leaf is the model's; its rule is shown as written in rules.md
    # (rules are listed in leaf order).
    rules, _ = parse_rules(row.rules)
    leaves = leaf_order(estimator)
    if len(rules) != len(leaves):
        raise ModelFileError(f"{row.folder}: rules.md does not match the model "
                             f"({len(rules)} rules, {len(leaves)} leaves)")
    rule = leaves.index(int(estimator.apply(row.z)[0])) + 1
    path = [(c.text(), row.values[c.column]) for c in rules[rule - 1][0]]
    return Reading("path", path=path, rule=rule)


MODEL = ModelSpec(
    name="tree",
    help=f"A decision tree of depth at most {TREE_MAX_DEPTH}: readable if-then rules.",
    title=f"decision tree (depth at most {TREE_MAX_DEPTH})",
    estimators=("DecisionTreeClassifier",),
    build=build,
    rules_section=rules_section,
    explain=explain,
)
