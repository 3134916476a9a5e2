"""scikit-learn's median imputer, standard scaler and column transformer as a
labeling session fits them on the whole pool: the same numbers, to the last bit,
with one copy of the pool instead of several (a 1M x 20 pool is 160 MB a copy).

Only sessions use them (``build_preprocessor(..., quick=True)``); simulations and
model files keep scikit-learn's own classes. ``tests/engine/test_quick_median.py``
checks every fitted number against scikit-learn's.
"""

from __future__ import annotations

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler


class QuickMedianImputer(SimpleImputer):
    """``SimpleImputer(strategy="median")`` with the same statistics, faster on big pools.

    scikit-learn takes the median of every column through ``numpy.ma`` (about
    seconds at a million rows); a column with no missing value gets the same
    number from ``numpy.median`` (tested), taken one column at a time so the pool
    is not copied whole. Used by labeling sessions only, so
    model files keep scikit-learn's own class.
    """

    def _dense_fit(self, X, strategy, missing_values, fill_value):  # type: ignore[no-untyped-def]
        if strategy != "median" or not isinstance(missing_values, float) \
                or not np.isnan(missing_values):
            return super()._dense_fit(X, strategy, missing_values, fill_value)
        holes = np.isnan(X).any(axis=0)
        stats = np.empty(X.shape[1])
        # Column by column: a copy of one column at a time, not of the pool.
        for j in np.flatnonzero(~holes):
            stats[j] = np.median(X[:, j])
        if holes.any():
            stats[holes] = super()._dense_fit(X[:, holes], strategy, missing_values, fill_value)
        return stats

    def fit_transform(self, X, y=None, **params):  # type: ignore[no-untyped-def]
        """``fit(X).transform(X)``, a frame of numbers turned into one array once.

        scikit-learn's checks turn a frame of separate columns into an array
        twice in ``fit`` and twice in ``transform`` (four copies of the pool);
        here it is copied once and the medians are filled into that copy. The
        same numbers, and the same column names remembered.
        """
        columns = getattr(X, "columns", None)
        if columns is None or params or any(t != np.float64 for t in X.dtypes):
            return super().fit_transform(X, y, **params)
        values = X.to_numpy(dtype=np.float64)  # the one copy, ours to fill in
        keep, self.copy = self.copy, False  # fit's checks would copy it again
        try:
            self.fit(values)
            out = self.transform(values)
        finally:
            self.copy = keep
        if all(isinstance(c, str) for c in columns):  # as fit on the frame remembers them
            self.feature_names_in_ = np.asarray(columns, dtype=object)
        return out


class QuickStandardScaler(StandardScaler):
    """``StandardScaler`` fitted a few columns at a time, to the same statistics.

    scikit-learn's fit makes working copies as big as the pool (``X - mean``, a
    float copy of the missing-value mask): 160 MB each at 1M x 20. Each column's
    mean and variance depend on that column alone, and NumPy sums a block of two
    or more columns of a row-major array row by row as it sums the whole, so
    fitting blocks of :data:`BLOCK_COLUMNS` columns gives the same numbers to the
    last bit (``tests/engine/test_quick_median.py`` checks every attribute), with
    working copies a tenth the size. Used by labeling sessions only, as
    :class:`QuickMedianImputer`.
    """

    BLOCK_COLUMNS = 2

    def fit(self, X, y=None, sample_weight=None):  # type: ignore[no-untyped-def]
        width = X.shape[1] if getattr(X, "ndim", 0) == 2 else 0
        if sample_weight is not None or type(X) is not np.ndarray \
                or X.dtype != np.float64 or width < 2 * self.BLOCK_COLUMNS:
            return super().fit(X, y, sample_weight)
        starts = list(range(0, width, self.BLOCK_COLUMNS))
        if width - starts[-1] < 2:
            starts.pop()  # one column alone would be summed another way: joined to the last
        parts = [StandardScaler(copy=self.copy, with_mean=self.with_mean,
                                with_std=self.with_std).fit(X[:, a:b])
                 for a, b in zip(starts, [*starts[1:], width], strict=True)]
        for name in ("mean_", "var_", "scale_"):
            values = [getattr(p, name) for p in parts]
            setattr(self, name, None if values[0] is None else np.concatenate(values))
        seen = [np.broadcast_to(p.n_samples_seen_, p.n_features_in_) for p in parts]
        counts = np.concatenate(seen)
        self.n_samples_seen_ = counts[0] if np.ptp(counts) == 0 else counts
        self.n_features_in_ = width
        return self


class QuickColumnTransformer(ColumnTransformer):
    """``ColumnTransformer`` whose one dense part is its output as it is: scikit-learn
    joins the parts with ``np.hstack``, a copy of the pool even for one part (the
    same numbers). Used by labeling sessions only, as :class:`QuickMedianImputer`."""

    def _hstack(self, Xs, *, n_samples):  # type: ignore[no-untyped-def]
        if len(Xs) == 1 and type(Xs[0]) is np.ndarray and not self.sparse_output_:
            return Xs[0]
        return super()._hstack(Xs, n_samples=n_samples)
