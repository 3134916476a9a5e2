"""Columns that give the answer away: one column alone that explains the labels so far.

A column recorded after the decision (an earlier screening, an outcome, the
resolution of a ticket) makes the model look good on the labels and fail on new
rows. No model can tell such a leak from a strong feature for sure, so the
session only *asks*: it names the column and how to keep it out of the model
(``--exclude``). Two patterns are looked for, among the category columns,
once enough labels are in (each with a chance probability kept below
:data:`ALPHA` after counting every column and class tried, so wide files do not
raise it by luck):

* **a copy of the answer**: a column with a few values whose values and the
  classes match one to one on every labeled row (``truth``, ``resolved``);
* **a value that picks out a class**: every label of one class shares one or
  two values of a column that only a small share of all rows has (Kitchenham's
  ``abs``: every relevant paper so far has ``abs = yes``, 8 % of the
  collection). Which rows the other classes' labels fall on is not asked:
  active learning asks for rows like the class's, so they fall there too.

Numbers are not looked at: active learning asks for rows near the model's
boundary, so on a strong numeric feature the labels so far often split at one
threshold without any leak (``bench/leak_watch.py`` raised the question on
genuine features that way).

``bench/leak_watch.py`` measures it: sessions on the development tasks, where
any question is a false alarm; the same tasks with a copied class column; and
Kitchenham with ``abs``. A first version also looked at number ranges and
asked that the other classes' labels mostly fall outside the value; that bench
showed the first raising false alarms and the second missing ``abs``, so both
went (docs/benchmarks.md has the numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_LABELS = 8  # no question before this many labels
MIN_CLASS = 5  # labels of a class before a value can pick it out
HELD_VALUES = 2  # ... with at most this many values shared by all of them
COPY_MAX_VALUES = 10  # a column with more distinct values is not a copy of the classes
RARE_SHARE = 0.2  # "picks out": a value held by at most this share of all rows
ALPHA = 1e-3  # chance probability (times the tests made) below which a pattern is named


@dataclass(frozen=True)
class Leak:
    """A column that alone explains the labels so far.

    Attributes
    ----------
    column : str
    cls : str or None
        The class a value picks out (``None``: the column copies every class).
    rule : str
        What the column's values are, e.g. ``abs = yes``.
    share : float
        Share of all rows the rule holds for (picks out) or 1.0 (copy).
    """

    column: str
    cls: str | None
    rule: str
    share: float

    def message(self) -> str:
        """The question put to the person, with how to act on it."""
        what = (f"column {self.column!r} matches the labels so far one to one ({self.rule})"
                if self.cls is None else
                f"every {self.cls!r} label so far has {self.rule} ({100 * self.share:.0f} % "
                "of rows)")
        return (f"{what}; if {self.column!r} was recorded after the decision, add "
                f"--exclude {self.column}")


def _value_text(values: list[object]) -> str:
    return " or ".join(str(v) for v in values[:3]) + (" or ..." if len(values) > 3 else "")


class LeakWatch:
    """Looks for a leaking column as labels arrive (cheap: the shares of every value
    in the pool are counted once).

    Parameters
    ----------
    features : DataFrame
        The session's feature columns, every row of the pool.
    categorical : list of str
        The columns to look at (numbers and text are not looked at).
    """

    def __init__(self, features: pd.DataFrame, categorical: list[str]) -> None:
        self._categorical = {c: features[c].astype(object).where(features[c].notna(), None)
                             .to_numpy() for c in categorical if c in features.columns}
        self._shares = {c: pd.Series(v).value_counts(normalize=True, dropna=False).to_dict()
                        for c, v in self._categorical.items()}
        self._n = len(features)
        self._seen: tuple[int, Leak | None] = (-1, None)

    def check(self, rows: np.ndarray, labels: np.ndarray) -> Leak | None:
        """The strongest leak among the labels on ``rows`` (``None`` when none), computed
        once per label count."""
        if self._seen[0] == len(rows):
            return self._seen[1]
        found = self._find(np.asarray(rows, dtype=int), np.asarray(labels).astype(str))
        self._seen = (len(rows), found)
        return found

    def _find(self, rows: np.ndarray, labels: np.ndarray) -> Leak | None:
        classes, counts = np.unique(labels, return_counts=True)
        if rows.size < MIN_LABELS or classes.size < 2:
            return None
        tests = max(1, len(self._categorical) * int(classes.size))
        best: tuple[float, Leak] | None = None
        for column, values in self._categorical.items():
            for chance, leak in self._categorical_leaks(column, values[rows], labels, classes,
                                                        counts):
                if chance * tests < ALPHA and (best is None or chance < best[0]):
                    best = (chance, leak)
        return best[1] if best is not None else None

    def _categorical_leaks(self, column: str, values: np.ndarray, labels: np.ndarray,
                           classes: np.ndarray, counts: np.ndarray
                           ) -> list[tuple[float, Leak]]:
        out: list[tuple[float, Leak]] = []
        pairs = pd.DataFrame({"v": values, "y": labels}).dropna()
        if len(pairs) < len(values):
            return out  # a labeled row without a value: the column explains nothing alone
        by_value = pairs.groupby("v", sort=True)["y"].nunique()
        by_class = pairs.groupby("y", sort=True)["v"].nunique()
        distinct = len(by_value)
        if distinct <= COPY_MAX_VALUES and (by_value == 1).all() and (by_class == 1).all():
            # One to one: by chance, every label would have to fall on its class's value.
            shares = self._shares[column]
            chance = math.prod(float(shares.get(v, 0.0)) ** int((pairs["v"] == v).sum())
                               for v in by_value.index) * math.factorial(distinct)
            mapping = pairs.drop_duplicates().sort_values("y")
            rule = ", ".join(f"{v} = {y}" for v, y in zip(mapping["v"], mapping["y"],
                                                          strict=True))
            out.append((chance, Leak(column, None, rule, 1.0)))
            return out
        for cls, n_cls in zip(classes, counts, strict=True):
            if n_cls < MIN_CLASS:
                continue
            held = sorted(pairs.loc[pairs["y"] == cls, "v"].unique(), key=str)
            if len(held) > HELD_VALUES:
                continue  # many values (an id-like or fine-grained column): nothing shared
            share = sum(float(self._shares[column].get(v, 0.0)) for v in held)
            if share > RARE_SHARE:
                continue
            out.append((share ** int(n_cls),
                        Leak(column, str(cls), f"{column} = {_value_text(held)}", share)))
        return out
