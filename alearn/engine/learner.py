"""The active-learning loop: one engine for simulations and labeling sessions.

A :class:`Learner` holds a pool matrix that it never changes (a screening
retrain past ``PRESUMED_MAX`` unscreened rows fits a copy of some of its rows), a
labeled mask, the labels bought so far, and the model fitted on them. It
suggests rows (cold start, then a query strategy), is taught labels, and
retrains after every ``batch`` labels. All randomness is derived from the seed,
so the same sequence of calls gives the same suggestions.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from alearn.engine.describe import Descriptions, fit_with, typical_rows
from alearn.engine.fits import FitCache, check_finite, clean_inputs, fit_clean, trusted
from alearn.engine.presumed import fit_screening
from alearn.engine.query import Query, query_scores
from alearn.engine.start import choose_start, farthest_row
from alearn.engine.strategies import get_strategy, select
from alearn.models import make_model
from alearn.seeds import Stream, stream


class Learner:
    """Pool-based active learner over a fixed feature matrix.

    Parameters
    ----------
    X : array or sparse matrix of shape (n, d)
        The preprocessed pool. Rows are referred to by position in ``X``.
    model : str
        Model name for :func:`alearn.models.make_model`.
    strategy : str
        Query strategy name; ``"random"`` also ignores the start method and
        samples uniformly from the first label on (the baseline).
    start : str
        Cold-start method (``"kmeans"`` or ``"random"``).
    start_size : int
        Labels chosen by the start method before the strategy takes over.
    batch : int
        Labels per retrain.
    seed : int
        Seed for every random choice.
    start_rows : ndarray of int, optional
        Precomputed start rows (so several learners can share one start).
    text : bool
        Whether ``X`` holds TF-IDF terms (picks the text variant of the model).
    positive : str, optional
        Screening: the class to find. The model is then fitted on every row,
        target 1 for rows labeled ``positive`` and 0 for all others, labeled or
        not (unlabeled rows are presumed negatives, as nearly all are); past
        ``PRESUMED_MAX`` unlabeled rows, a seeded sample of them stands for all
        (:func:`presumed_sample`) when the model takes row weights.
    batch_growth : float
        Labels per retrain grow to ``ceil(batch_growth * labels so far)`` when
        that exceeds ``batch``.
    query : Query, optional
        Screening: the reviewer's question (:mod:`alearn.engine.query`). Until a
        model exists, the rows most like it come first; every retrain fits it
        as one more ``positive`` row, so a model exists from the first label.
    fits : FitCache, optional
        Fits shared with learners over the same ``X``, model and seed. ``X`` is
        checked for NaN and infinity once, here (ValueError), not by every fit.
    describe : Descriptions, optional
        Classify: the class descriptions (:mod:`alearn.engine.describe`). A model
        fitted on them alone is in force before any label (and whenever no
        labels are fitted); the start asks the row most typical of each
        described class; every retrain fits them beside the labels, fading.
    """

    def __init__(self, X: object, *, model: str = "logreg", strategy: str = "margin",
                 start: str = "kmeans", start_size: int = 8, batch: int = 1, seed: int = 0,
                 start_rows: np.ndarray | None = None, text: bool = False,
                 positive: str | None = None, batch_growth: float = 0.0,
                 query: Query | None = None, fits: FitCache | None = None,
                 describe: Descriptions | None = None) -> None:
        check_finite(X)
        self.X = X
        self._fits = fits
        self.n = X.shape[0]
        self.model_name = model
        self.strategy = strategy
        self.start = start
        self.start_size = start_size
        self.batch = batch
        self.batch_growth = batch_growth
        self.text = text
        self.positive = positive
        self.seed = seed
        self.query = query if positive is not None else None
        self._query_scores: np.ndarray | None = None
        self._utility_fn = get_strategy(strategy)
        self._start_rows = start_rows
        self.labeled = np.zeros(self.n, dtype=bool)
        self.excluded = np.zeros(self.n, dtype=bool)
        self.labels = np.empty(self.n, dtype=object)
        self.order: list[int] = []
        self.model: object | None = None
        self.n_fits = 0
        self.pending = 0
        self.utility: np.ndarray | None = None
        self._tiebreak = stream(seed, Stream.TIEBREAK).random(self.n)
        # What :meth:`record` knows of the retrain schedule: the classes taught
        # and whether the last retrain due gives a model.
        self._seen: set[str] = set()
        self._due_model = False
        self.describe = describe if positive is None else None
        self._prior: tuple[object, np.ndarray | None] | None = None
        if self.describe is not None:  # the zero-shot model, in force until labels come
            prior = self.fit_labels([], np.empty(0, dtype=str))
            self._prior = (prior, self.score(prior))
            self.use(None, None)

    # -- state -------------------------------------------------------------
    @property
    def n_labeled(self) -> int:
        """Number of labels taught so far."""
        return len(self.order)

    @property
    def batch_now(self) -> int:
        """Labels per retrain at this point: ``batch``, or ``batch_growth`` times the
        labels the model was last fitted on (rounded up) when that is more."""
        fitted = self.n_labeled - self.pending
        return max(self.batch, math.ceil(self.batch_growth * fitted - 1e-9))

    @property
    def eligible(self) -> np.ndarray:
        """Rows that may still be suggested (unlabeled, not skipped)."""
        return ~(self.labeled | self.excluded)

    def class_counts(self) -> dict[str, int]:
        """Labels taught so far, per class."""
        return dict(sorted(Counter(self.labels[self.order]).items()))

    def start_rows(self) -> np.ndarray:
        """The rows the start method picks (computed once, on first use)."""
        if self._start_rows is None and self._prior is not None:
            self._start_rows = typical_rows(self._prior[0], self.X,
                                            self.describe.classes,  # type: ignore[union-attr]
                                            self.start_size)
        if self._start_rows is None:
            rng = stream(self.seed, Stream.START)
            self._start_rows = choose_start(self.start, self.X, self.start_size, rng)
        return self._start_rows

    # -- querying ----------------------------------------------------------
    def suggest(self, k: int = 1) -> np.ndarray:
        """Rows to label next, best first (does not change state).

        Parameters
        ----------
        k : int
            How many rows.

        Returns
        -------
        ndarray of int
            Up to ``k`` row positions; empty when nothing is left.
        """
        eligible = self.eligible
        if self.strategy == "random":
            return select(np.zeros(self.n), k, eligible, self._tiebreak)
        picked: list[int] = []
        if self.n_labeled < self.start_size:
            for row in self.start_rows():
                if len(picked) < k and eligible[row]:
                    picked.append(int(row))
            eligible = eligible.copy()
            eligible[picked] = False
        if len(picked) < k and self.utility is not None:
            picked.extend(select(self.utility, k - len(picked), eligible, self._tiebreak))
        elif len(picked) < k and self.query is not None:
            # No model yet (nothing labeled): the rows most like the reviewer's question.
            if self._query_scores is None:
                self._query_scores = query_scores(self.X, self.query)
            picked.extend(select(self._query_scores, k - len(picked), eligible, self._tiebreak))
        elif len(picked) < k:
            # No model yet (fewer than two classes seen): spread out in feature space.
            rng = stream(self.seed, Stream.FALLBACK, self.n_labeled)
            seen = self.labeled.copy()
            while len(picked) < k and eligible.any():
                row = farthest_row(self.X, seen, eligible, rng)
                picked.append(row)
                seen[row] = True
                eligible[row] = False
        return np.asarray(picked, dtype=int)

    # -- teaching ----------------------------------------------------------
    def teach(self, rows: np.ndarray | list[int], labels: np.ndarray | list[str]) -> bool:
        """Record labels for rows; retrain when a batch is complete.

        Parameters
        ----------
        rows : sequence of int
        labels : sequence of str

        Returns
        -------
        bool
            Whether the model was retrained.
        """
        if self.record(rows, labels) is None:
            return False
        model = self.fit_detached()
        self.use(model, self.score(model))
        return True

    def _can_fit(self, seen: set[str]) -> bool:
        """Whether labels of these classes give a model: two classes, one of them
        the positive class when screening (see :meth:`fit_detached`); with a query
        (a relevant row of its own), any label."""
        if self.query is not None:
            return len(seen) >= 1
        if self.describe is not None:  # the descriptions are examples of their classes
            return True
        return len(seen) >= 2 and (self.positive is None or self.positive in seen)

    def _record(self, rows: Sequence[int], labels: Sequence[str]) -> None:
        for row, label in zip(rows, labels, strict=True):
            row = int(row)
            if self.labeled[row]:
                raise ValueError(f"row {row} is already labeled")
            self.labeled[row] = True
            self.excluded[row] = False  # a row set aside (unsure) and labeled later
            self.labels[row] = str(label)
            self.order.append(row)
            self.pending += 1

    def relabel(self, row: int, label: str) -> bool:
        """Replace a taught row's label (a recheck's answer); retrain when it changed.

        Returns
        -------
        bool
            Whether the label changed (and the model was retrained).
        """
        row = int(row)
        if not self.labeled[row]:
            raise ValueError(f"row {row} is not labeled")
        if self.labels[row] == str(label):
            return False
        self.labels[row] = str(label)
        self._seen = set(self.labels[self.order])
        self._due_model = self._can_fit(self._seen)
        self.fit()
        return True

    def skip(self, rows: np.ndarray | list[int]) -> None:
        """Never suggest these rows again (they stay unlabeled)."""
        self.excluded[np.asarray(rows, dtype=int)] = True

    def record(self, rows: Sequence[int], labels: Sequence[str]) -> int | None:
        """Record labels without fitting; the retrain they make due, if any.

        The schedule is :meth:`teach`'s (a retrain after every batch, and as
        soon as a first model can be fitted), but the fit is left to the caller
        (a labeling session fits in the background): the model in force stays
        until :meth:`use` replaces it.

        Returns
        -------
        int or None
            The labels the due retrain fits on (the first ``n`` of
            :attr:`order`), ``None`` when no retrain is due.
        """
        self._record(rows, labels)
        self._seen.update(str(label) for label in labels)
        if self.pending >= self.batch_now or (not self._due_model and self._can_fit(self._seen)):
            self.pending = 0
            self.n_fits += 1
            self._due_model = self._can_fit(self._seen)
            return len(self.order)
        return None

    @property
    def due_model(self) -> bool:
        """Whether the last retrain due (:meth:`record`) gives a model (two classes seen)."""
        return self._due_model

    def due_if(self, labels: Sequence[str]) -> bool:
        """Whether :meth:`record` of these labels would make a retrain due (no change)."""
        seen = self._seen | {str(label) for label in labels}
        return self.pending + len(labels) >= self.batch_now or \
            (not self._due_model and self._can_fit(seen))

    def replay(self, steps: Iterable[tuple[str, Sequence[int], Sequence[str] | None]],
               fit: bool = True) -> int | None:
        """Apply ``("teach", rows, labels)`` and ``("skip", rows, None)`` steps, fitting once.

        The state afterwards equals calling :meth:`teach` and :meth:`skip` one
        step at a time: every fit starts afresh on the labels so far, so only
        the last retrain that would have happened matters, and it is the only
        one run (rebuilding a labeling session from its journal stays fast).

        Parameters
        ----------
        steps : iterable of (str, sequence of int, sequence of str or None)
        fit : bool
            Run that retrain; with ``False`` the caller fits (see :meth:`record`).

        Returns
        -------
        int or None
            The labels the last retrain due fits on (``None``: none was due).
        """
        self._due_model = self._due_model or self.model is not None
        due: int | None = None
        for kind, rows, labels in steps:
            if kind == "skip":
                self.skip(rows)
                continue
            now = self.record(rows, labels)
            due = now if now is not None else due
        if due is not None and fit:
            model = self.fit_detached(due)
            self.use(model, self.score(model))
        return due

    def use(self, model: object | None, utility: np.ndarray | None) -> None:
        """Make ``model`` (with its scores of every row) the one suggestions come from;
        ``None`` is the descriptions' model when there are descriptions."""
        if model is None and self._prior is not None:
            model, utility = self._prior
        self.model = model
        self.utility = utility

    def score(self, model: object | None) -> np.ndarray | None:
        """The strategy's utility of every row under ``model`` (``None`` without one)."""
        with clean_inputs():
            return None if model is None else self._utility_fn(model, self.X)

    def fit_detached(self, n: int | None = None) -> object | None:
        """A fresh model fitted on every label so far, leaving the learner as it is.

        Returns ``None`` while fewer than two classes have been labeled.

        Parameters
        ----------
        n : int, optional
            Fit on the first ``n`` labels taught only.
        """
        order = self.order if n is None else self.order[:n]
        y, fits = self.labels[order].astype(str), self._fits
        return self.fit_labels(order, y) if fits is None else fits.get(order, y, self.fit_labels)

    def fit_labels(self, order: Sequence[int], y: np.ndarray) -> object | None:
        """A fresh model fitted on rows ``order`` with labels ``y`` (as :meth:`fit_detached`).

        Reads nothing the learner changes, so another thread may call it on a
        copy of the labels while the learner is taught.
        """
        if self.describe is not None:
            return fit_with(self.describe, self.model_name, self.seed, self.text,
                            self.X[np.asarray(order, dtype=int)], y)
        if len(set(y)) < 2 and (self.query is None or len(y) == 0):
            return None
        model = make_model(self.model_name, self.seed, text=self.text,
                           screen=self.positive is not None)
        if self.positive is None:
            return fit_clean(model, self.X[order], y)
        return fit_screening(model, self.X, order, y, self.positive, self.seed, self.query)

    def fit(self) -> None:
        """Retrain on every label taught so far and rescore the pool."""
        self.pending = 0
        self.n_fits += 1
        model = self.fit_detached()
        self.use(model, self.score(model))

    # -- predicting --------------------------------------------------------
    @property
    def classes(self) -> list[str]:
        """Classes the current model can predict."""
        if self.model is not None:
            return [str(c) for c in self.model.classes_]
        return sorted(set(self.labels[self.order]))

    def predict_proba(self, X: object) -> np.ndarray:
        """Class probabilities (columns in :attr:`classes` order)."""
        if self.model is not None:
            with trusted(X, self.X):
                return self.model.predict_proba(X)
        if not self.order:
            raise ValueError("nothing is labeled yet")
        return np.ones((X.shape[0], 1))

    def predict(self, X: object) -> np.ndarray:
        """Predicted labels; before a model exists, the one class seen so far."""
        if self.model is not None:
            with trusted(X, self.X):
                return self.model.predict(X).astype(str)
        proba = self.predict_proba(X)
        return np.asarray(self.classes, dtype=object)[proba.argmax(axis=1)].astype(str)
