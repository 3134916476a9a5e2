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
from alearn.engine.pooltransformers import (
    QuickColumnTransformer,
    QuickMedianImputer,
    QuickStandardScaler,
)
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
