"""Text columns as one document per row (what TF-IDF features are built from)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

# Words must occur in at least MIN_DF rows (when there are MIN_DF_ROWS rows or
# more), and in at most MAX_DF of them, to become TF-IDF terms.
MIN_DF = 2
MAX_DF = 0.95
MIN_DF_ROWS = 50


def term_vectorizer(ngrams: int, stop_words: str, n_rows: int | None) -> object:
    """The TF-IDF vectorizer of text features (shared by the features and the check below).

    Parameters
    ----------
    ngrams : int
        Longest word n-gram.
    stop_words : {"english", "none"}
    n_rows : int, optional
        Rows it will be fitted on: with fewer than ``MIN_DF_ROWS``, every word is a term.

    Returns
    -------
    TfidfVectorizer
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    enough = n_rows is not None and n_rows >= MIN_DF_ROWS
    return TfidfVectorizer(
        ngram_range=(1, ngrams), sublinear_tf=True, strip_accents="unicode",
        stop_words="english" if stop_words == "english" else None,
        min_df=MIN_DF if enough else 1, max_df=MAX_DF if enough else 1.0)


def has_terms(documents: pd.Series, ngrams: int = 2, stop_words: str = "english") -> bool:
    """Whether a text column yields any TF-IDF term (a word that is not a stop word, in
    enough rows and not in nearly all of them).

    Single words are tried first (cheap, and enough when any survives); only when none
    does are the n-grams tried, since a pair can be rarer than each of its words.
    """
    docs = documents.fillna("").astype(str)
    for longest in dict.fromkeys((1, ngrams)):
        try:
            term_vectorizer(longest, stop_words, len(docs)).fit(docs)
            return True
        except ValueError:  # "empty vocabulary" or "no terms remain"
            continue
    return False


def text_feature_name(columns: Sequence[str]) -> str:
    """The name of the joined document column built from text columns."""
    return " + ".join(columns)


def join_text(frame: pd.DataFrame, columns: Sequence[str],
              weights: dict[str, int] | None = None) -> pd.Series:
    """One document per row: the text columns joined by spaces, each repeated by its weight.

    Parameters
    ----------
    frame : DataFrame
        Holds the text columns (missing cells count as no words).
    columns : sequence of str
    weights : dict, optional
        Column -> how many times its words are repeated (default 1): a short,
        telling column such as a title can count more than a long abstract.

    Returns
    -------
    Series of str
    """
    weights = weights or {}
    parts = [((frame[c].fillna("").astype(str) + " ") * int(weights.get(c, 1)))
             for c in columns]
    out = parts[0]
    for part in parts[1:]:
        out = out + part
    return out.str.strip().astype(object)
