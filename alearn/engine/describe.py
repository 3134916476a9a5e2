"""Class descriptions: a zero-shot start that labels take over (the ``describe`` key).

A person who knows the classes can say each in a sentence (``fresh = "a
positive movie review"``). Each description is turned into one more row of the
model matrix by the same fitted preprocessing as the data's rows (with the
``embed`` text features its sentence embedding on e5's ``query:`` side, the
rows being ``passage:`` documents; with TF-IDF its words), and then serves as a
labeled example of its class that fades as labels come:

- before any label, a model fitted on the descriptions alone ranks and
  pre-labels every row (on embeddings: the class whose description is most
  alike, the cosine similarity); the start asks the most typical row of each
  described class, then the strategy asks the rows that model is least sure of;
- every retrain fits the descriptions beside the labels, each with the weight
  :meth:`Descriptions.weight` (``WEIGHT`` labels' worth, halving at ``HALF``
  labels), so the labels take over.

The schedule was chosen on two bench sets at once (``bench/text_classify.py``,
docs/text.md); the other choices measured, among them a logistic regression that
keeps the descriptions as an offset the labels correct, live beside that bench
(``bench/describe_prior.py``). The simulation (:mod:`alearn.kinds.classify.simulate`), the
labeling session and an export build the rows with :func:`description_rows`
and hand them to the :class:`~alearn.engine.learner.Learner` or the fit.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from alearn.data.embed import embed_queries
from alearn.data.vectors import SCALE, DocumentVectors
from alearn.engine.featuremap import text_block
from alearn.engine.fits import fit_clean
from alearn.engine.query import TextRows, missing_row
from alearn.errors import DataError
from alearn.models import make_model

if TYPE_CHECKING:
    from sklearn.compose import ColumnTransformer

# Fitted as examples: a description counts as this many labels of its class before
# any label (sentence embeddings: every row is near some description, and the
# heavier the descriptions the better on both bench sets) ...
WEIGHT = 4096.0
# ... or, with TF-IDF terms only, this many (rows sharing no word with any
# description would otherwise follow intercepts the heavy rows leave arbitrary).
WEIGHT_TERMS = 4.0
# ... and half as much after this many labels (WEIGHT * HALF / (HALF + n)).
HALF = 16.0


@dataclass(frozen=True)
class Descriptions:
    """The class descriptions as rows of the model matrix.

    Attributes
    ----------
    classes : tuple of str
        The described classes, in the order given.
    texts : tuple of str
        Their descriptions.
    rows : ndarray or sparse matrix of shape (k, d)
        The descriptions through the data's preprocessing; only the text
        columns are kept, others are 0.
    text_columns : ndarray of bool, optional
        The model matrix's columns that come from the text (the descriptions'
        similarity to a row is measured over them).
    weight0 : float
        A description's weight before any label (in labels).
    half : float
        The number of labels at which that weight has halved.
    """

    classes: tuple[str, ...]
    texts: tuple[str, ...]
    rows: object
    text_columns: np.ndarray | None = None
    weight0: float = WEIGHT
    half: float = HALF

    def similarity(self, x: object) -> np.ndarray:
        """The cosine similarity of one row of the model matrix to each description,
        over the text columns (0 for a row or description with no text there)."""
        import scipy.sparse as sp

        D = self.rows.toarray() if sp.issparse(self.rows) else np.asarray(self.rows, dtype=float)
        v = x.toarray() if sp.issparse(x) else np.asarray(x, dtype=float)  # type: ignore
        v = v.reshape(-1)
        if self.text_columns is not None:
            v = v * self.text_columns
        lengths = np.linalg.norm(D, axis=1) * np.linalg.norm(v)
        return np.where(lengths > 0, D @ v / np.where(lengths > 0, lengths, 1), 0.0)

    def weight(self, n_labels: int) -> float:
        """A description's weight in a fit on ``n_labels`` labels: ``weight0`` halving
        at ``half`` labels (a prior that fades as labels take over)."""
        if self.half <= 0:
            return self.weight0
        return self.weight0 * self.half / (self.half + n_labels)

    def share(self, n_labels: int) -> float:
        """The descriptions' share of a fit's total weight on ``n_labels`` labels."""
        total = self.weight(n_labels) * len(self.classes)
        return total / (total + n_labels) if total + n_labels > 0 else 0.0


def check_described(describe: tuple[tuple[str, str], ...], classes: list[str],
                    where: str) -> None:
    """Refuse a description of a class that is not one of ``classes``.

    Raises
    ------
    DataError
        Naming the class and the classes there are.
    """
    for cls, _ in describe:
        if cls not in classes:
            raise DataError(f"{where}: describe names class {cls!r}, which is not one of its "
                            f"classes ({', '.join(classes)})")


def _frame(data: TextRows, text: str) -> object:
    frame = missing_row(data)
    frame[data.text_feature] = [text]
    return frame


def description_rows(describe: tuple[tuple[str, str], ...], data: TextRows,
                     pre: ColumnTransformer, where: str = "") -> Descriptions:
    """The descriptions through the fitted preprocessing ``pre`` of ``data``.

    Parameters
    ----------
    describe : tuple of (str, str)
        ``(class, description)`` pairs (checked by the task: none empty).
    data : Dataset or SimTask
        Its ``features`` and ``text_feature``.
    pre : ColumnTransformer
        Fitted on ``data.features``.
    where : str
        How errors name the task.

    Raises
    ------
    DataError
        The data has no text column.
    """
    import scipy.sparse as sp

    if not data.text_feature:
        raise DataError(f"{where}: describe gives classes in words, and this data has no "
                        "text column to compare them with (text = [...] or --text)")
    texts = [text for _, text in describe]
    step = _embedding_step(pre)
    # e5 matches a query: to passages (the rows): the descriptions' vectors are made on
    # the query side, and the embedding step looks them up instead of embedding them.
    embed = None if step is None else np.asarray(embed_queries(texts), dtype=float) * SCALE
    with contextlib.nullcontext() if step is None or embed is None else \
            step.knowing(texts, embed / SCALE):
        blocks = [pre.transform(_frame(data, t)) for t in texts]  # type: ignore[arg-type]
    dense = not any(sp.issparse(b) for b in blocks)
    rows = np.vstack([np.asarray(b, dtype=float) for b in blocks]) if dense else \
        sp.vstack([sp.csr_matrix(b, dtype=float) for b in blocks], format="csr")
    keep = np.zeros(rows.shape[1], dtype=bool)
    indices = getattr(pre, "output_indices_", {})
    for name in ("text", "embed"):
        if name in indices:
            keep[indices[name]] = True
    if embed is not None:  # exactly the query-side vectors, as before this lookup
        columns = np.arange(rows.shape[1])[indices["embed"]]
        if dense:
            rows[:, columns] = embed
        else:
            rows = rows.tolil()
            rows[:, columns] = embed
            rows = rows.tocsr()
    if dense:
        rows = rows * keep[None, :]
    else:
        rows = sp.csr_matrix(rows.multiply(keep[None, :]))
        rows.eliminate_zeros()
    if text_block(pre) is None and embed is None and not keep.any():
        raise DataError(f"{where}: describe needs text features, and the data's text column "
                        "gives none")
    return Descriptions(classes=tuple(c for c, _ in describe), texts=tuple(texts), rows=rows,
                        text_columns=keep,
                        weight0=WEIGHT if "embed" in indices else WEIGHT_TERMS)


def _embedding_step(pre: ColumnTransformer) -> DocumentVectors | None:
    """The plain embedding step of ``pre`` (``None`` for TF-IDF only, or embeddings
    min-max scaled for nb, whose descriptions stay on the passage side)."""
    step = dict((name, t) for name, t, _ in getattr(pre, "transformers_", [])).get("embed")
    return step if isinstance(step, DocumentVectors) else None


def with_descriptions(X: object, y: np.ndarray, descriptions: Descriptions, n_labels: int
                      ) -> tuple[object, np.ndarray, np.ndarray]:
    """A fit's rows, targets and weights with the descriptions appended (each with
    :meth:`Descriptions.weight` of ``n_labels``; labels weigh 1)."""
    import scipy.sparse as sp

    extra = descriptions.rows
    if sp.issparse(X) or sp.issparse(extra):
        stacked = sp.vstack([sp.csr_matrix(X), sp.csr_matrix(extra)], format="csr")
    else:
        stacked = np.vstack([np.asarray(X), np.asarray(extra)])
    weight = np.concatenate([np.ones(len(y)), np.full(len(descriptions.classes),
                                                      descriptions.weight(n_labels))])
    return stacked, np.append(np.asarray(y, dtype=object), descriptions.classes).astype(str), \
        weight


def typical_rows(model: object, X: object, classes: tuple[str, ...], k: int) -> np.ndarray:
    """The start of a described task: the row each described class's model finds most
    typical of it (highest probability), in the order the classes were given, at most
    ``k``; a row is taken once."""
    proba = np.asarray(model.predict_proba(X))  # type: ignore[attr-defined]
    order = [str(c) for c in model.classes_]  # type: ignore[attr-defined]
    picked: list[int] = []
    for cls in classes:
        if len(picked) >= k or cls not in order:
            continue
        column = proba[:, order.index(cls)].copy()
        column[picked] = -np.inf
        picked.append(int(np.argmax(column)))
    return np.asarray(picked, dtype=int)


def fit_with(descriptions: Descriptions, model: str, seed: int, text: bool, X: object,
             y: np.ndarray) -> object | None:
    """A fresh ``model`` fitted on labeled rows ``X``, ``y`` with the descriptions."""
    return fit_described(make_model(model, seed, text=text), X, y, descriptions)


def fit_described(model: object, X: object, y: np.ndarray, descriptions: Descriptions
                  ) -> object | None:
    """``model`` fitted on labeled rows ``X``, ``y`` and the descriptions, weighted as
    they fade (a model without row weights, knn, takes each description as one
    row); ``None`` when fewer than two classes are described or labeled."""
    from sklearn.utils.validation import has_fit_parameter

    X, y, weight = with_descriptions(X, y, descriptions, len(y))
    if len(set(y)) < 2:
        return None
    n = len(y) - len(descriptions.classes)
    fitted = fit_clean(model, X, y, sample_weight=weight) \
        if has_fit_parameter(model, "sample_weight") else fit_clean(model, X, y)
    # The descriptions' share of the fit's weight (card, explain).
    fitted.description_share_ = descriptions.share(n)  # type: ignore[attr-defined]
    return fitted
