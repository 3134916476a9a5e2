"""Cached sentence embeddings of a data file's documents, and the feature step using them.

The vectors of a data file are computed once (:func:`alearn.data.embed.embed_texts`)
and kept in a cache file keyed by the data's fingerprint, the model and the
text columns (:func:`document_vectors`): beside the label store for sessions,
under ``--out`` for runs. A retrain then only refits the model.
:class:`DocumentVectors` is the scikit-learn transformer of the feature
pipeline: it looks rows up in those vectors and embeds only rows it has not
seen (new data at ``alearn predict``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from alearn.data.embed import embed_texts, model_name
from alearn.files import write_atomic

# Scale of the (unit-length) vectors in the model matrix: the compact models'
# default regularisation suits features of about unit spread, which unit
# vectors of 384 numbers are far from (measured in docs/text.md).
SCALE = 10.0


class Embeddings:
    """Vectors of known documents: a lookup from document text to its vector.

    Parameters
    ----------
    documents : sequence of str
        Distinct documents, in the order of ``vectors``' rows.
    vectors : ndarray of shape (n, d)
    model : str
        :func:`model_name` of the model that computed them.
    """

    def __init__(self, documents: Sequence[str], vectors: np.ndarray, model: str) -> None:
        self.index = {doc: i for i, doc in enumerate(documents)}
        self.vectors = vectors
        self.model = model

    def __repr__(self) -> str:
        return f"Embeddings({len(self.index)} documents, {self.model})"

    def __deepcopy__(self, memo: dict) -> Embeddings:
        # Read-only once built: scikit-learn's clone of a feature step need not copy it.
        return self

    def lookup(self, documents: Sequence[str]) -> np.ndarray:
        """The vectors of ``documents``; ones not known are embedded now."""
        rows = np.fromiter((self.index.get(d, -1) for d in documents), dtype=np.int64,
                           count=len(documents))
        if (rows >= 0).all():
            return self.vectors[rows]
        out = np.empty((len(documents), self.vectors.shape[1]), dtype=np.float32)
        out[rows >= 0] = self.vectors[rows[rows >= 0]]
        new = np.flatnonzero(rows < 0)
        out[new] = embed_texts([documents[i] for i in new])
        return out


class _WithExtra:
    """Known vectors with a few more documents looked up first (see
    :meth:`DocumentVectors.knowing`)."""

    def __init__(self, extra: Embeddings, known: Embeddings | None) -> None:
        self.extra, self.known = extra, known
        self.model, self.vectors = extra.model, extra.vectors

    def lookup(self, documents: Sequence[str]) -> np.ndarray:
        if all(d in self.extra.index for d in documents):
            return self.extra.vectors[[self.extra.index[d] for d in documents]]
        return self.known.lookup(documents) if self.known is not None \
            else embed_texts(list(documents))


def _documents(X: Any) -> list[str]:
    values = X.iloc[:, 0] if isinstance(X, pd.DataFrame) else X
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
            for v in (values.tolist() if hasattr(values, "tolist") else list(values))]


class DocumentVectors(TransformerMixin, BaseEstimator):
    """Feature step: a text document per row -> its sentence embedding (times :data:`SCALE`).

    Parameters
    ----------
    known : Embeddings, optional
        Vectors computed beforehand (the cache); rows not in it are embedded
        when transformed. It is not saved with an exported model.
    """

    def __init__(self, known: Embeddings | None = None) -> None:
        self.known = known

    def fit(self, X: Any, y: Any = None) -> DocumentVectors:
        """Nothing to learn: the embedding model is fixed. Records its name and width."""
        self.model_ = model_name() if self.known is None else self.known.model
        self.dim_ = int(self.known.vectors.shape[1] if self.known is not None
                        else embed_texts([""]).shape[1])
        return self

    @contextlib.contextmanager
    def knowing(self, documents: Sequence[str], vectors: np.ndarray) -> Iterator[None]:
        """Inside: ``documents`` are looked up as ``vectors`` instead of being embedded
        (class descriptions, whose vectors are made on e5's query side)."""
        before = self.known
        self.known = _WithExtra(Embeddings(documents, np.asarray(vectors, dtype=np.float32),
                                           self.model_), before)  # type: ignore[assignment]
        try:
            yield
        finally:
            self.known = before

    def transform(self, X: Any) -> np.ndarray:
        """The scaled vectors of the documents in ``X`` (one column)."""
        documents = _documents(X)
        known = self.known
        vectors = known.lookup(documents) if known is not None else embed_texts(documents)
        return vectors * np.float32(SCALE)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``embedding 1`` .. ``embedding d``."""
        return np.asarray([f"embedding {k + 1}" for k in range(self.dim_)], dtype=object)

    def __getstate__(self) -> dict[str, Any]:
        # The cache stays beside the store or run; a model file holds only the step.
        state = super().__getstate__()
        state["known"] = None
        return state


def cache_key(fingerprint: str, columns: Sequence[str], weights: dict[str, int]) -> str:
    """The digest naming a data file's vector cache (data, model, text columns)."""
    blob = json.dumps({"data": fingerprint, "model": model_name(), "columns": list(columns),
                       "weights": dict(sorted(weights.items()))}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def cache_file(folder: Path, key: str) -> Path:
    """Where the vectors keyed ``key`` are kept in ``folder``."""
    return Path(folder) / f"embeddings-{key[:16]}.npz"


def _digest(documents: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(doc.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def _read_cache(path: Path, documents: list[str], key: str) -> np.ndarray | None:
    try:
        with np.load(path, allow_pickle=False) as kept:
            if str(kept["key"]) != key or str(kept["documents"]) != _digest(documents):
                return None
            vectors = kept["vectors"]
    except (OSError, ValueError, KeyError):  # damaged or foreign: compute again
        return None
    return vectors if vectors.shape[0] == len(documents) else None


def document_vectors(documents: pd.Series, fingerprint: str, columns: Sequence[str],
                     weights: dict[str, int] | None = None,
                     cache: Path | None = None) -> Embeddings:
    """The vectors of every distinct document of a data file, from the cache or computed.

    Parameters
    ----------
    documents : Series of str
        The joined text document of each row.
    fingerprint : str
        The data's fingerprint (:attr:`alearn.data.dataset.Dataset.fingerprint`).
    columns : sequence of str
        The text columns joined into the documents.
    weights : dict, optional
        Their text weights (part of the key: they change the documents).
    cache : Path, optional
        Folder for the cache file; ``None`` computes without keeping anything.

    Returns
    -------
    Embeddings
    """
    distinct = list(dict.fromkeys(_documents(documents)))
    key = cache_key(fingerprint, columns, weights or {})
    path = cache_file(cache, key) if cache is not None else None
    vectors = _read_cache(path, distinct, key) if path is not None and path.is_file() else None
    if vectors is None:
        vectors = embed_texts(distinct)
        if path is not None:
            def save(tmp: Path) -> None:
                with tmp.open("wb") as fh:
                    np.savez(fh, key=np.str_(key), documents=np.str_(_digest(distinct)),
                             vectors=vectors)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, save)
    return Embeddings(distinct, vectors, model_name())
