"""A screen's start from the reviewer's question: the ``query`` key (``alearn label --query``).

A systematic reviewer knows the research question or the inclusion criteria
before reading a single record. The query is turned into one more row of the
model matrix by the same fitted preprocessing as the records (its words become
TF-IDF terms and LSA components; for data given as term counts, each word is
counted in the term column it stems to), and then serves twice:

- until the first model exists, the records most like the query come first
  (cosine similarity of the text columns, :func:`query_scores`), instead of
  records far from each other;
- every retrain fits it as one more relevant record (Cormack and Grossman's
  AutoTAR treats the topic as a synthetic relevant document), so the first
  models rank by the query and the reviewer's labels take over as they come.

The simulation (:mod:`alearn.kinds.screen.simulate`) and the labeling session
build it with :func:`query_matrix` and hand it to the
:class:`~alearn.engine.learner.Learner`, so both screen alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from alearn.engine.featuremap import text_block
from alearn.errors import DataError

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.compose import ColumnTransformer

    from alearn.data.dataset import Dataset

# A term column's name must be this long to take the words it begins (a stem).
MIN_STEM = 3
# A word: letters only (numbers and punctuation say nothing of a topic).
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Query:
    """The query as a row of the model matrix.

    Attributes
    ----------
    text : str
    row : sparse matrix of shape (1, d)
        The query through the records' preprocessing; only the text (or
        term-count) columns are kept, others are 0.
    words : tuple of str
        The query's words the data's vocabulary holds (shown to the reviewer).
    columns : ndarray of int
        The model matrix's text (or term-count) columns, which the similarity reads.
    """

    text: str
    row: object
    words: tuple[str, ...]
    columns: np.ndarray


def term_column(word: str, columns: dict[str, str]) -> str | None:
    """The term column a word is counted in: the longest column name (case ignored,
    at least :data:`MIN_STEM` letters) that begins the word (``Qual`` for
    ``quality``, ``Predict`` for ``prediction``); ``None`` when none does.

    Parameters
    ----------
    word : str
        Lower case.
    columns : dict
        Lower-cased column name -> column name.
    """
    for end in range(len(word), MIN_STEM - 1, -1):
        column = columns.get(word[:end])
        if column is not None:
            return column
    return None


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


class TextRows(Protocol):
    """Rows with a text document column: a Dataset, or a simulation's task."""

    @property
    def features(self) -> pd.DataFrame: ...

    @property
    def text_feature(self) -> str | None: ...


def missing_row(data: TextRows) -> pd.DataFrame:
    """One row shaped like ``data.features`` (its columns and types), every cell missing:
    a query or a class description is written into it and preprocessed like a row."""
    import pandas as pd

    return pd.DataFrame({c: [np.nan] for c in data.features.columns}).astype(
        data.features.dtypes.to_dict())


def _query_frame(data: Dataset, text: str, counts: bool) -> tuple[object, tuple[str, ...]]:
    """One row shaped like ``data.features``: the query in the text column, or its words
    counted in the term columns; every other cell missing (imputed, then zeroed)."""
    frame = missing_row(data)
    if data.text_feature:
        frame[data.text_feature] = [text]
        return frame, ()
    if not counts:
        return frame, ()
    lowered = {str(c).lower(): str(c) for c in data.numeric}
    stop = _stop_words()
    found: dict[str, int] = {}
    for word in WORD.findall(text.lower()):
        column = None if word in stop else term_column(word, lowered)
        if column is not None:
            found[column] = found.get(column, 0) + 1
    for column in data.numeric:
        frame[column] = float(found.get(column, 0))
    return frame, tuple(found)


def query_matrix(text: str, data: Dataset, pre: ColumnTransformer, counts: bool) -> Query:
    """The query through the fitted preprocessing ``pre`` of ``data``.

    Parameters
    ----------
    text : str
        The query (checked by the screen kind: it holds a word).
    data : Dataset
    pre : ColumnTransformer
        Fitted on ``data.features``.
    counts : bool
        The numeric columns are term counts (:func:`alearn.engine.features.term_counts`).

    Raises
    ------
    DataError
        The data has no text or term columns, or none of the query's words is in
        its vocabulary.
    """
    import scipy.sparse as sp

    where = data.source
    if not data.text_feature and not counts:
        raise DataError(f"{where}: a query ranks records by their words, and this data has "
                        "no text column (text = [...]) nor term counts")
    frame, words = _query_frame(data, text, counts)
    row = sp.csr_matrix(pre.transform(frame), dtype=float)  # type: ignore[arg-type]
    keep = np.zeros(row.shape[1], dtype=bool)
    block = text_block(pre)
    if data.text_feature and block is not None:
        terms = pre.output_indices_["text"]
        keep[terms] = True
        start, vocabulary = block
        hit = row[:, start:start + len(vocabulary)].nonzero()[1]
        words = tuple(str(vocabulary[i]) for i in hit)
    elif counts:
        keep[:] = True
    row = sp.csr_matrix(row.multiply(keep[None, :]))
    row.eliminate_zeros()
    if not words or row.nnz == 0:
        vocabulary_of = (f"text column(s) {', '.join(data.text)}" if data.text_feature else
                         f"{len(data.numeric)} term columns ({', '.join(data.numeric[:6])}, …)")
        raise DataError(f"{where}: no word of the query {text[:60]!r} is in the vocabulary of "
                        f"{vocabulary_of}; use words the records use")
    return Query(text=text, row=row, words=words, columns=np.flatnonzero(keep))


def query_scores(X: object, query: Query) -> np.ndarray:
    """Each row's cosine similarity to the query over the text columns (the TF-IDF
    terms and their LSA components) or the term counts: higher is likelier."""
    import scipy.sparse as sp

    cols = query.columns
    part = sp.csr_matrix(X)[:, cols] if sp.issparse(X) else sp.csr_matrix(np.asarray(X)[:, cols])
    q = sp.csr_matrix(query.row)[:, cols]  # type: ignore[index]
    dots = np.asarray((part @ q.T).todense()).ravel()
    lengths = np.sqrt(np.asarray(part.multiply(part).sum(axis=1), dtype=float).ravel())
    norm = float(np.sqrt(q.multiply(q).sum()))
    return dots / np.maximum(lengths * norm, 1e-12)


def with_query(X: object, y: np.ndarray, weight: np.ndarray | None, query: Query
               ) -> tuple[object, np.ndarray, np.ndarray | None]:
    """A screening fit's rows, targets and weights with the query appended as one
    more relevant row (weight 1)."""
    import scipy.sparse as sp

    stacked = sp.vstack([sp.csr_matrix(X), query.row], format="csr")
    return stacked, np.append(y, 1), None if weight is None else np.append(weight, 1.0)
