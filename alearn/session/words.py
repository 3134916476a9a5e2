"""Which words of a row pushed a linear model's prediction (highlighted on the screen)."""

from __future__ import annotations

import numpy as np


def pushing_words(model: object, x: object, terms: tuple[int, np.ndarray] | None,
                  top: int = 12) -> dict[str, float]:
    """The words of one row that pushed the linear model's prediction most.

    Contribution of a term = its TF-IDF value in the row times its weight
    for the predicted class (binary: for the second class, sign flipped
    when the first is predicted). An n-gram's contribution goes to each of
    its words.

    Parameters
    ----------
    model : fitted classifier or None
    x : array or sparse matrix
        The row, preprocessed (one row).
    terms : (int, ndarray) or None
        Where the TF-IDF terms start in ``x`` and the terms.
    top : int
        Terms to look at, largest contributions first.

    Returns
    -------
    dict
        Word -> contribution (positive: towards the predicted class); empty
        without text, a model, or per-term weights.
    """
    if terms is None or model is None or not hasattr(model, "coef_"):
        return {}
    start, vocab = terms
    coef = np.asarray(model.coef_)
    classes = model.classes_  # type: ignore[attr-defined]
    predicted = model.predict(x)[0]  # type: ignore[attr-defined]
    if coef.shape[0] == 1:
        weights = (1.0 if predicted == classes[1] else -1.0) * coef[0]
    else:
        weights = coef[list(classes).index(predicted)]
    values = x[:, start:start + vocab.size]  # type: ignore[index]
    values = values.toarray().ravel() if hasattr(values, "toarray") else np.ravel(values)
    contrib = values * weights[start:start + vocab.size]
    out: dict[str, float] = {}
    for j in np.argsort(-np.abs(contrib), kind="stable")[:top]:
        if contrib[j] == 0:
            break
        for word in str(vocab[j]).split():
            out[word] = out.get(word, 0.0) + float(contrib[j])
    return out
