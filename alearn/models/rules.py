"""A fitted decision tree as if-then rules in the data's own columns and units.

Each leaf becomes one rule: the conditions on its path (merged per column, in
original column names and categories, thresholds in original units), its
class, how many training labels reach it and how pure it is. The rules are
written in a small, exact syntax (column names in backticks, categories as
JSON strings) that :func:`parse_rules` reads back, so applying the rules as
written can be checked against the model (:func:`apply_rules`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

from alearn.counting import counted
from alearn.engine.featuremap import Term

OPS = ("<=", ">", "==", "!=", "not in", "in")


@dataclass(frozen=True)
class Condition:
    """One test on an original column, e.g. ``petal length <= 2.45``.

    Attributes
    ----------
    column : str
    op : str
        One of :data:`OPS`.
    value : str or tuple of str
        A number as written (numeric tests) or the categories.
    """

    column: str
    op: str
    value: str | tuple[str, ...]

    def text(self) -> str:
        """The condition as written in ``rules.md``."""
        if self.op in ("<=", ">"):
            shown = str(self.value)
        elif self.op in ("in", "not in"):
            shown = json.dumps(list(self.value), ensure_ascii=False)
        else:
            shown = json.dumps(self.value, ensure_ascii=False)
        return f"`{self.column}` {self.op} {shown}"

    def holds(self, values: pd.Series) -> np.ndarray:
        """Whether each (missing-filled) value passes the test."""
        if self.op == "<=":
            return (values.astype(float) <= float(self.value)).to_numpy()
        if self.op == ">":
            return (values.astype(float) > float(self.value)).to_numpy()
        text = values.astype(str)
        if self.op == "==":
            return (text == self.value).to_numpy()
        if self.op == "!=":
            return (text != self.value).to_numpy()
        inside = text.isin(list(self.value)).to_numpy()
        return inside if self.op == "in" else ~inside


@dataclass
class Rule:
    """One leaf of the tree.

    Attributes
    ----------
    conditions : list of Condition
        All must hold (an empty list always holds).
    label : str
        The class predicted.
    count : int
        Training labels that reach this leaf.
    confidence : float
        Share of those labels that are of ``label``.
    class_counts : dict
        Training labels reaching the leaf, per class.
    """

    conditions: list[Condition]
    label: str
    count: int
    confidence: float
    class_counts: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        """The rule as one line of ``rules.md`` (without the list number)."""
        test = " AND ".join(c.text() for c in self.conditions) or "true"
        counts = ", ".join(f"{k} {v}" for k, v in self.class_counts.items() if v)
        return (f"IF {test} THEN {json.dumps(self.label, ensure_ascii=False)} "
                f"({counted(self.count, 'label')}: {counts}; confidence {self.confidence:.0%})")


def format_number(x: float) -> str:
    """A float's shortest exact text, without an exponent for everyday magnitudes (and
    never ``-0``)."""
    if x == 0:
        return "0"
    if 1e-4 <= abs(x) < 1e15:
        return np.format_float_positional(x, trim="-")
    return repr(float(x))


def format_value(x: float) -> str:
    """A computed value (a median, a mean) at the data's precision: rounded to 15
    significant digits, then its shortest text, so arithmetic noise goes (the median of
    4.96 and 4.98 is 4.970000000000001; this shows 4.97)."""
    return format_number(float(f"{float(x):.15g}"))


def readable_threshold(threshold: float, left: np.ndarray, right: np.ndarray) -> str:
    """The shortest number (at least 3 significant digits) that splits the data like the model.

    Parameters
    ----------
    threshold : float
        The model's threshold in original units.
    left, right : ndarray of float
        Original values the model sends left (``<=``) and right.

    Returns
    -------
    str
        A number ``d`` with every ``left`` value ``<= d`` and every ``right`` value ``> d``.
    """
    lo = float(np.max(left)) if left.size else -np.inf
    hi = float(np.min(right)) if right.size else np.inf
    middle = (lo + hi) / 2
    for digits in range(3, 18):
        # Prefer the model's own threshold; else the middle of the gap in the data.
        for base in (threshold, middle):
            if not np.isfinite(base):
                continue
            candidate = float(f"{base:.{digits}g}")
            if lo <= candidate < hi:
                return format_number(candidate)
    for candidate in (threshold, lo, middle):
        if np.isfinite(candidate) and lo <= candidate < hi:
            return format_number(candidate)
    return format_number(threshold)  # pragma: no cover - no data on either side


def filled(frame: pd.DataFrame, terms: list[Term]) -> pd.DataFrame:
    """The original columns with missing cells replaced as the model replaces them."""
    fills = {t.column: t.fill for t in terms}
    return pd.DataFrame({c: frame[c].where(frame[c].notna(), fills[c]) for c in fills},
                        index=frame.index)


def node_conditions(model: DecisionTreeClassifier, terms: list[Term], X: object,
                    original: pd.DataFrame) -> dict[int, tuple[Condition, Condition]]:
    """The (left, right) condition of every split node, in original terms.

    Parameters
    ----------
    model : DecisionTreeClassifier
        Fitted on (a subset of the rows of) ``X``.
    terms : list of Term
        The model matrix's columns, from :func:`alearn.engine.featuremap.feature_terms`.
    X : array or sparse matrix
        The model matrix of ``original`` (used to pick thresholds that route
        every one of its rows exactly as the model does).
    original : DataFrame
        The data's feature columns, missing cells filled (:func:`filled`).

    Returns
    -------
    dict
        Node id -> (condition of the left branch, condition of the right branch).
    """
    tree = model.tree_
    out: dict[int, tuple[Condition, Condition]] = {}
    for node in range(tree.node_count):
        j = int(tree.feature[node])
        if j < 0:
            continue
        term, t = terms[j], float(tree.threshold[node])
        if term.kind == "numeric":
            column = X[:, j]
            column = column.toarray().ravel() if hasattr(column, "toarray") else np.ravel(column)
            # The tree compares float32 copies of the model matrix with its thresholds.
            goes_left = column.astype(np.float32) <= t
            values = original[term.column].to_numpy(dtype=float)
            shown = readable_threshold(term.to_original(t), values[goes_left],
                                       values[~goes_left])
            out[node] = (Condition(term.column, "<=", shown), Condition(term.column, ">", shown))
        elif term.kind == "category":
            out[node] = (Condition(term.column, "!=", term.value),
                         Condition(term.column, "==", term.value))
        else:
            out[node] = (Condition(term.column, "in", term.frequent),
                         Condition(term.column, "not in", term.frequent))
    return out


def merge(conditions: list[Condition]) -> list[Condition]:
    """Merge the tests on each column into the fewest equivalent ones.

    Numeric tests keep the tightest lower and upper bound; category tests
    become one ``==``, ``in``, ``!=`` or ``not in``.
    """
    merged: dict[str, list[Condition]] = {}
    for cond in conditions:
        merged.setdefault(cond.column, []).append(cond)
    out: list[Condition] = []
    for column, conds in merged.items():
        if conds[0].op in ("<=", ">"):
            lows = [c.value for c in conds if c.op == ">"]
            highs = [c.value for c in conds if c.op == "<="]
            if lows:
                out.append(Condition(column, ">", max(lows, key=float)))
            if highs:
                out.append(Condition(column, "<=", min(highs, key=float)))
            continue
        allowed: set[str] | None = None  # None: any value except `banned`
        banned: set[str] = set()
        for c in conds:
            values = {c.value} if c.op in ("==", "!=") else set(c.value)
            if c.op in ("==", "in"):
                allowed = values if allowed is None else allowed & values
            else:
                banned |= values
        if allowed is not None:
            keep = sorted(allowed - banned)
            out.append(Condition(column, "==", keep[0]) if len(keep) == 1
                       else Condition(column, "in", tuple(keep)))
        elif len(banned) == 1:
            out.append(Condition(column, "!=", next(iter(banned))))
        elif banned:
            out.append(Condition(column, "not in", tuple(sorted(banned))))
    return out


def tree_rules(model: DecisionTreeClassifier, conditions: dict[int, tuple[Condition, Condition]]
               ) -> list[Rule]:
    """One rule per leaf, left to right.

    Parameters
    ----------
    model : DecisionTreeClassifier
    conditions : dict
        From :func:`node_conditions`.

    Returns
    -------
    list of Rule
    """
    tree = model.tree_
    classes = [str(c) for c in model.classes_]
    rules: list[Rule] = []

    def walk(node: int, path: list[Condition]) -> None:
        left, right = int(tree.children_left[node]), int(tree.children_right[node])
        if left < 0:
            n = int(tree.n_node_samples[node])
            share = tree.value[node][0] / tree.value[node][0].sum()
            best = int(np.argmax(share))
            counts = {c: round(float(s) * n) for c, s in zip(classes, share, strict=True)}
            rules.append(Rule(merge(path), classes[best], n, float(share[best]), counts))
            return
        go_left, go_right = conditions[node]
        walk(left, [*path, go_left])
        walk(right, [*path, go_right])

    walk(0, [])
    return rules


def leaf_order(model: DecisionTreeClassifier) -> list[int]:
    """Leaf node ids in the order :func:`tree_rules` lists their rules (left to right)."""
    tree = model.tree_
    out: list[int] = []
    stack = [0]
    while stack:
        node = stack.pop()
        left, right = int(tree.children_left[node]), int(tree.children_right[node])
        if left < 0:
            out.append(node)
        else:
            stack.extend([right, left])
    return out


# -- reading rules back ------------------------------------------------------
_RULE = re.compile(r"^\d+\. IF (?P<test>.*) THEN (?P<rest>\".*)$")
_FILL = re.compile(r"^- `(?P<column>[^`]*)` counts as (?P<value>.*)$")
_COND = re.compile(r"`(?P<column>[^`]*)` (?P<op>not in|in|<=|>|==|!=) ")
_NUMBER = re.compile(r"[-+0-9.eEinfa]+")


def _parse_test(test: str) -> list[Condition]:
    if test == "true":
        return []
    decoder = json.JSONDecoder()
    out, pos = [], 0
    while True:
        m = _COND.match(test, pos)
        if m is None:
            raise ValueError(f"cannot read condition at {test[pos:]!r}")
        column, op, pos = m.group("column"), m.group("op"), m.end()
        if op in ("<=", ">"):
            num = _NUMBER.match(test, pos)
            if num is None:
                raise ValueError(f"expected a number at {test[pos:]!r}")
            value, pos = num.group(), num.end()
        else:
            raw, pos = decoder.raw_decode(test, pos)
            value = tuple(raw) if isinstance(raw, list) else raw
        out.append(Condition(column, op, value))
        if pos == len(test):
            return out
        if not test.startswith(" AND ", pos):
            raise ValueError(f"expected AND at {test[pos:]!r}")
        pos += len(" AND ")


def parse_rules(text: str) -> tuple[list[tuple[list[Condition], str]], dict[str, float | str]]:
    """Read the rules and the missing-value fills back from ``rules.md`` text.

    Returns
    -------
    rules : list of (conditions, label)
    fills : dict
        Column -> the value a missing cell counts as (float or category).
    """
    rules: list[tuple[list[Condition], str]] = []
    fills: dict[str, float | str] = {}
    for line in text.splitlines():
        if m := _RULE.match(line):
            label, _ = json.JSONDecoder().raw_decode(m.group("rest"))
            rules.append((_parse_test(m.group("test")), label))
        elif m := _FILL.match(line):
            value = m.group("value")
            fills[m.group("column")] = json.loads(value) if value.startswith('"') else float(value)
    return rules, fills


def apply_rules(text: str, frame: pd.DataFrame) -> np.ndarray:
    """Classify rows by following ``rules.md`` as written.

    Parameters
    ----------
    text : str
        The contents of a tree's ``rules.md``.
    frame : DataFrame
        Rows with the original feature columns (missing cells allowed).

    Returns
    -------
    ndarray of object
        The label of the first rule each row passes (``None`` if none does).
    """
    rules, fills = parse_rules(text)
    data = frame.copy()
    for column, value in fills.items():
        data[column] = data[column].where(data[column].notna(), value)
    out = np.full(len(data), None, dtype=object)
    for conditions, label in rules:
        hit = np.ones(len(data), dtype=bool)
        for cond in conditions:
            hit &= cond.holds(data[cond.column])
        out[hit & (out == None)] = label  # noqa: E711 - elementwise test
    return out
