"""Which feature settings lead to good goals: a small regression tree as rules.

A :class:`~sklearn.tree.DecisionTreeRegressor` (depth at most 3) is fitted on
the measured rows with their distance to heaven (normalised over the measured
rows only) as the target. Each leaf becomes one rule in the data's own column
names, categories and units, written with the same conditions as exported
classification rules (:mod:`alearn.models.rules`); rules are listed best first
(lowest mean distance to heaven).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeRegressor

from alearn.counting import counted
from alearn.data.dataset import Dataset
from alearn.engine.featuremap import Term, feature_terms
from alearn.engine.features import build_preprocessor
from alearn.models.rules import Condition, filled, merge, node_conditions

MAX_DEPTH = 3
MIN_LEAF = 2


@dataclass(frozen=True)
class D2hRule:
    """One leaf: the rows it covers and their mean distance to heaven.

    Attributes
    ----------
    conditions : list of Condition
        All must hold (an empty list always holds).
    d2h : float
        Mean distance to heaven of the measured rows in the leaf (lower is better).
    count : int
        Measured rows in the leaf.
    """

    conditions: list[Condition]
    d2h: float
    count: int

    def text(self) -> str:
        """``IF `A` <= 3 AND `kind` == "x" THEN d2h 0.210 (4 rows)``."""
        test = " AND ".join(c.text() for c in self.conditions) or "true"
        return f"IF {test} THEN d2h {self.d2h:.3f} ({counted(self.count, 'row')})"


@dataclass
class TreeInput:
    """The feature matrix the tree reads, and how to map it back to columns.

    Attributes
    ----------
    X : ndarray
        Every row's features (numbers scaled, categories one-hot).
    terms : list of Term
        What each column of ``X`` is, in original terms.
    original : DataFrame
        The feature columns with missing cells filled as ``X`` fills them.
    """

    X: np.ndarray
    terms: list[Term]
    original: pd.DataFrame


def tree_input(data: Dataset) -> TreeInput:
    """Build the tree's features from the data's features (goal columns are never read)."""
    pre = build_preprocessor(data.numeric, data.categorical, dense=True)
    frame = data.features[[*data.numeric, *data.categorical]]
    X = np.asarray(pre.fit_transform(frame), dtype=float)
    terms = feature_terms(pre)
    return TreeInput(X=X, terms=terms, original=filled(frame, terms))


def d2h_rules(inputs: TreeInput, rows: list[int], d2h: np.ndarray, seed: int = 0
              ) -> list[D2hRule]:
    """Fit a regression tree on measured rows and read it as rules, best first.

    Parameters
    ----------
    inputs : TreeInput
    rows : list of int
        The measured rows.
    d2h : ndarray
        Their distance to heaven (labeled-only normalisation).
    seed : int

    Returns
    -------
    list of D2hRule
    """
    X = inputs.X[rows]
    model = DecisionTreeRegressor(max_depth=MAX_DEPTH, min_samples_leaf=MIN_LEAF,
                                  random_state=seed).fit(X, d2h)
    conditions = node_conditions(model, inputs.terms, X,  # type: ignore[arg-type]
                                 inputs.original.iloc[rows])
    tree = model.tree_
    out: list[D2hRule] = []

    def walk(node: int, path: list[Condition]) -> None:
        left, right = int(tree.children_left[node]), int(tree.children_right[node])
        if left < 0:
            out.append(D2hRule(merge(path), float(tree.value[node].ravel()[0]),
                               int(tree.n_node_samples[node])))
            return
        go_left, go_right = conditions[node]
        walk(left, [*path, go_left])
        walk(right, [*path, go_right])

    walk(0, [])
    return sorted(out, key=lambda r: r.d2h)
