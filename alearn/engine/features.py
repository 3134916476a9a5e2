"""Preprocessing: a scikit-learn pipeline from typed columns to a model matrix.

Numeric columns are imputed (median) and scaled; categorical ones are imputed
(most frequent) and one-hot encoded with rare categories pooled, so a column
with thousands of values cannot blow up into thousands of dense columns. Text
columns are joined into one document per row (:func:`alearn.data.text.join_text`) and turned
into TF-IDF word n-grams, optionally with latent-semantic (LSA) components,
or (``text_features = "embed"``, or ``"both"`` beside the terms) into sentence
embeddings (:mod:`alearn.data.embed`). The result stays sparse when it is
mostly zeros.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import MinMaxScaler, Normalizer, OneHotEncoder, StandardScaler

from alearn.data.embed import check_installed
from alearn.data.text import term_vectorizer
from alearn.data.vectors import DocumentVectors, Embeddings, document_vectors
from alearn.errors import ConfigError
from alearn.models import needs_dense, needs_nonnegative

if TYPE_CHECKING:
    import pandas as pd

# At most this many one-hot columns per categorical column (rarer values are
# pooled into one "infrequent" column).
MAX_CATEGORIES = 20
# Output is sparse when its density is below this share.
SPARSE_THRESHOLD = 0.3
# Words must occur in at least MIN_DF rows (when there are MIN_DF_ROWS), and in
# at most MAX_DF of them, to become TF-IDF terms (see alearn.data.text).
# LSA components are added only when there are this many rows per component.
LSA_ROWS_PER_COMPONENT = 4


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


@dataclass(frozen=True)
class TextOptions:
    """How text columns become features.

    Attributes
    ----------
    ngrams : int
        Longest word n-gram.
    stop_words : {"english", "none"}
    lsa : int
        Latent-semantic components appended to the TF-IDF terms (0: none).
    features : {"tfidf", "embed", "both"}
        TF-IDF terms, sentence embeddings, or both side by side.
    known : Embeddings, optional
        The embeddings of the data's documents, computed (or read from the
        cache) once, so building the features never embeds a row twice.
    """

    ngrams: int = 2
    stop_words: str = "english"
    lsa: int = 0
    features: str = "tfidf"
    known: Embeddings | None = None

    @property
    def terms(self) -> bool:
        """Whether the text becomes TF-IDF terms."""
        return self.features in ("tfidf", "both")

    @property
    def embeds(self) -> bool:
        """Whether the text becomes sentence embeddings."""
        return self.features in ("embed", "both")


def text_options(spec: object, data: object = None, cache: object = None) -> TextOptions:
    """The :class:`TextOptions` of a task spec (``ngrams``, ``stop_words``, ``lsa``,
    ``text_features`` keys).

    Parameters
    ----------
    spec : TaskSpec
    data : Dataset, optional
        With embeddings asked for, its documents are embedded here, once
        (:func:`alearn.data.embed.document_vectors`).
    cache : Path, optional
        Folder of the embedding cache file (beside the store, or ``--out``).

    Raises
    ------
    ConfigError
        Embeddings asked for without the ``embed`` extra, or data without text.
    """
    features = str(getattr(spec, "text_features", "tfidf") or "tfidf")
    known = None
    if features != "tfidf" and data is not None:
        where = getattr(spec, "source", "") or getattr(data, "source", "data")
        check_installed(where)
        if not data.text_feature:  # type: ignore[attr-defined]
            raise ConfigError(f"{where}: text_features = {features!r} needs a text column "
                              "(text = [...] in task.toml, or --text)")
        known = document_vectors(data.features[data.text_feature],  # type: ignore[attr-defined]
                                 data.fingerprint, data.text,  # type: ignore[attr-defined]
                                 data.text_weights, cache)  # type: ignore[attr-defined]
    return TextOptions(ngrams=int(getattr(spec, "ngrams", 2)),
                       stop_words=str(getattr(spec, "stop_words", "english") or "english"),
                       lsa=max(int(getattr(spec, "lsa", 0)), 0), features=features, known=known)


def _text_pipeline(options: TextOptions, n_rows: int | None) -> object:
    vectorizer = term_vectorizer(options.ngrams, options.stop_words, n_rows)
    if options.lsa and n_rows is not None and n_rows >= LSA_ROWS_PER_COMPONENT * options.lsa:
        lsa = make_pipeline(TruncatedSVD(options.lsa, random_state=0), Normalizer())
        return make_pipeline(vectorizer, FeatureUnion([("terms", "passthrough"),
                                                       ("lsa", lsa)]))
    return vectorizer


def build_preprocessor(numeric: Sequence[str], categorical: Sequence[str],
                       dense: bool = False, text: Sequence[str] = (),
                       options: TextOptions | None = None,
                       n_rows: int | None = None,
                       nonnegative: bool = False, counts: bool = False,
                       quick: bool = False) -> ColumnTransformer:
    """Return an unfitted transformer for the given feature columns.

    Parameters
    ----------
    numeric, categorical : sequence of str
        Column names by type.
    dense : bool
        Force a dense output (for models that cannot take sparse input).
    text : sequence of str
        Document columns (at most one, see :func:`alearn.data.text.join_text`) for TF-IDF.
    options : TextOptions, optional
    n_rows : int, optional
        Rows it will be fitted on: with fewer than ``MIN_DF_ROWS`` every word
        is a term, and LSA needs ``LSA_ROWS_PER_COMPONENT`` rows per component.
    nonnegative : bool
        Keep every feature non-negative (complement naive Bayes): numbers are
        min-max scaled and no LSA components are added.
    counts : bool
        The numeric columns are term counts (screening data given as a
        bag of words): weighted like words, TF-IDF with sublinear term frequency.
    quick : bool
        Impute medians with :class:`QuickMedianImputer`, scale in place and join the
        parts with :class:`QuickColumnTransformer` (the same numbers).

    Returns
    -------
    ColumnTransformer
        Fit it on the unlabeled pool's features.
    """
    parts: list[tuple[str, object, object]] = []
    if numeric and counts:
        parts.append(("num", make_pipeline(SimpleImputer(strategy="constant", fill_value=0,
                                                         keep_empty_features=True),
                                           TfidfTransformer(sublinear_tf=True)), list(numeric)))
    elif numeric:
        imputer = QuickMedianImputer if quick else SimpleImputer
        # After the quick imputer the numbers are its own new array: scaled in place
        # (the same numbers, one pool less in memory while a session opens).
        scaler = (MinMaxScaler(clip=True, copy=not quick) if nonnegative
                  else QuickStandardScaler(copy=False) if quick else StandardScaler())
        parts.append(("num", make_pipeline(imputer(strategy="median", keep_empty_features=True),
                                           scaler), list(numeric)))
    if categorical:
        parts.append(("cat", make_pipeline(
            SimpleImputer(strategy="most_frequent", keep_empty_features=True),
            OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES,
                          sparse_output=not dense),
        ), list(categorical)))
    options = options or TextOptions()
    if nonnegative:
        options = dataclasses.replace(options, lsa=0)
    for column in text:
        # A scalar column name hands the vectorizer a 1-D column of strings.
        if options.terms:
            parts.append(("text", _text_pipeline(options, n_rows), column))
        if options.embeds:
            vectors = DocumentVectors(options.known)
            # Complement naive Bayes takes no negative feature: embeddings are min-max scaled.
            parts.append(("embed", make_pipeline(vectors, MinMaxScaler(clip=True))
                          if nonnegative else vectors, column))
    joined = QuickColumnTransformer if quick else ColumnTransformer
    return joined(parts, sparse_threshold=0.0 if dense else SPARSE_THRESHOLD,
                  verbose_feature_names_out=False)


def make_preprocessor(model: str, numeric: Sequence[str], categorical: Sequence[str],
                      text: Sequence[str] = (), options: TextOptions | None = None,
                      n_rows: int | None = None, counts: bool = False,
                      quick: bool = False) -> ColumnTransformer:
    """:func:`build_preprocessor` with the output form the model needs.

    Parameters
    ----------
    model : str
        Model name (see :data:`alearn.models.MODELS`).
    numeric, categorical, text : sequence of str
    options : TextOptions, optional
    n_rows : int, optional
    counts : bool
        The numeric columns are term counts (see :func:`build_preprocessor`).
    quick : bool
        The faster median imputer (see :func:`build_preprocessor`).

    Returns
    -------
    ColumnTransformer
    """

    has_text = bool(text)
    return build_preprocessor(numeric, categorical, dense=needs_dense(model, has_text),
                              text=text, options=options, n_rows=n_rows,
                              nonnegative=needs_nonnegative(model, has_text), counts=counts,
                              quick=quick)


class FeatureColumns(Protocol):
    """What the features of rows are built from: a
    :class:`~alearn.data.dataset.Dataset`, or the part of one a simulation keeps
    (:class:`~alearn.kinds.classify.simulate.SimTask`: its labeled rows).

    Attributes
    ----------
    features : DataFrame
        The feature columns (the text joined into one document column).
    numeric, categorical : list of str
        Feature columns by type.
    text_feature : str or None
        The document column of ``features`` (``None`` without text).
    """

    features: pd.DataFrame
    numeric: list[str]
    categorical: list[str]

    @property
    def text_feature(self) -> str | None: ...


def preprocessor_for(data: FeatureColumns, model: str, options: TextOptions | None, *,
                     n_rows: int, counts_as_words: bool = False,
                     quick: bool = False) -> ColumnTransformer:
    """The unfitted preprocessing of a dataset's feature columns for ``model``
    (:func:`make_preprocessor` with the dataset's columns).

    Parameters
    ----------
    data : Dataset or FeatureColumns
    model : str
        Model name (see :data:`alearn.models.MODELS`).
    options : TextOptions, optional
        Its text options (:func:`text_options`), with the embeddings when computed.
    n_rows : int
        Rows it will be fitted on.
    counts_as_words : bool
        Weigh the numeric columns like words when they are term counts
        (:func:`term_counts`), as a screen does.
    quick : bool
        The faster median imputer (see :func:`build_preprocessor`).

    Returns
    -------
    ColumnTransformer
    """
    return make_preprocessor(model, data.numeric, data.categorical,
                             [data.text_feature] if data.text_feature else [], options,
                             n_rows=n_rows, counts=counts_as_words and term_counts(data),
                             quick=quick)


def term_counts(data: FeatureColumns) -> bool:
    """Whether a dataset's features are a bag of words given as numbers (as screening
    data often is): no text and no categorical columns, and every numeric column
    holds whole counts (>= 0).

    Such columns are weighted like words (TF-IDF) rather than scaled like
    measurements: a count of 3 for a word says less than 3 times a count of 1.

    Parameters
    ----------
    data : Dataset or FeatureColumns

    Returns
    -------
    bool
    """
    if data.text_feature or data.categorical or len(data.numeric) < 2:
        return False
    # Column by column, stopping at the first that is not counts (no copy of the pool).
    present = False
    for name in data.numeric:
        values = data.features[name].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        if not ((values >= 0).all() and (values == np.round(values)).all()):
            return False
        present = present or bool(values.size)
    return present


def fitted_matrix(pre: object, features: object) -> object:
    """``pre.fit_transform(features)``, a sparse result in canonical form (sorted
    column indices, no duplicates).

    scikit-learn's liblinear fit checks ``X.max()``, which sorts unsorted indices
    in place: on a matrix joblib shared read-only with its workers that fails,
    and in a session it would rewrite the pool while another thread scores it.
    Sorting once here makes every later fit leave the matrix alone.
    """
    import scipy.sparse as sp

    X = pre.fit_transform(features)  # type: ignore[attr-defined]
    if sp.issparse(X):
        X = X.tocsr()
        X.sum_duplicates()
    return X
