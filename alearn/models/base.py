"""What a model is to alearn: one :class:`ModelSpec` per file, listed in :data:`MODELS`.

A spec says how to build the estimator, what features it needs, which
estimator classes it produces (so a fitted model is recognised by type), and
the two model-specific parts of export: the body of ``rules.md`` and the
explanation of one row for ``alearn explain --row``. Everything else (the
preprocessing, the rest of ``rules.md``, the card, predicting) is shared.

Model files import scikit-learn and the export helpers inside their
functions: the registry is read by ``--help`` texts and task validation,
which should not pay for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Row:
    """One row of new data, as a model's explainer sees it.

    Attributes
    ----------
    pipeline : sklearn Pipeline
        ``pre`` then the fitted estimator.
    z : array or sparse matrix
        The row's model matrix (one row), ``pipeline[0].transform`` of it.
    values : dict
        The row's original feature values, as shown (``"missing"`` for gaps).
    rules : str
        The export folder's ``rules.md`` text.
    folder : Path
        The export folder (named in errors).
    """

    pipeline: Any
    z: Any
    values: dict[str, str]
    rules: str
    folder: Path


@dataclass
class Reading:
    """A model's explanation of one row (see :class:`alearn.export.predict.RowExplanation`).

    Attributes
    ----------
    kind : {"path", "contributions", "neighbours"}
    path : list of (str, str)
        Each condition of the row's rule, with the row's value of its column.
    rule : int or None
        The number of the rule in ``rules.md`` that holds for the row.
    contributions : Contributions or None
        Per-column pushes towards the predicted class.
    neighbours : list of (int, int, str, float, str)
        The nearest labeled rows, nearest first: number in ``rules.md``, 1-based
        row of the training data, class, nearness, values as shown there.
    nearness : str
        What the nearness number is (``"similarity"`` or ``"distance"``).
    """

    kind: str
    path: list[tuple[str, str]] = field(default_factory=list)
    rule: int | None = None
    contributions: Any = None
    neighbours: list[tuple[int, int, str, float, str]] = field(default_factory=list)
    nearness: str = ""


def _never(text: bool) -> bool:
    return False


@dataclass(frozen=True)
class ModelSpec:
    """A registered model.

    Attributes
    ----------
    name : str
        What ``--model`` and ``model =`` take.
    help : str
        One line for docs.
    title : str
        What ``rules.md`` and the card call it ("logistic regression").
    estimators : tuple of str
        Class names of the estimators :attr:`build` returns.
    build : callable
        ``build(seed, text, screen) -> estimator`` (see :meth:`make`).
    rules_section : callable
        ``rules_section(pipeline, data) -> list of lines``: the part of
        ``rules.md`` between its heading and the missing-value fills.
    explain : callable
        ``explain(row) -> Reading`` for a :class:`Row`.
    dense, nonnegative : callable
        ``f(text) -> bool``: whether the model needs a dense or a
        non-negative feature matrix.
    screens : bool
        Whether screen tasks may use it: fitted on every row with the
        unscreened ones presumed negative, it must still rank them.
    """

    name: str
    help: str
    title: str
    estimators: tuple[str, ...]
    build: Callable[[int, bool, bool], Any]
    rules_section: Callable[[Any, Any], list[str]]
    explain: Callable[[Row], Reading]
    dense: Callable[[bool], bool] = _never
    nonnegative: Callable[[bool], bool] = _never
    screens: bool = True

    def make(self, seed: int = 0, *, text: bool = False, screen: bool = False) -> Any:
        """An unfitted estimator.

        Parameters
        ----------
        seed : int
            Seed for estimators with randomness.
        text : bool
            Whether the features include TF-IDF terms.
        screen : bool
            Screening: fitted on every row, unscreened ones as presumed
            negatives, so the rare class is weighted up.

        Returns
        -------
        estimator
        """
        return self.build(seed, text, screen)

    def needs_dense(self, text: bool = False) -> bool:
        """Whether the model needs a dense feature matrix."""
        return self.dense(text)

    def needs_nonnegative(self, text: bool = False) -> bool:
        """Whether the model needs non-negative features."""
        return self.nonnegative(text)

    def produced(self, estimator: Any) -> bool:
        """Whether ``estimator`` is one this model builds."""
        return type(estimator).__name__ in self.estimators


def dense_row(row: Row) -> Any:
    """The row's model matrix as a flat dense array (for per-column contributions)."""
    import numpy as np

    z = row.z
    return np.asarray(z.toarray() if hasattr(z, "toarray") else z)[0]
