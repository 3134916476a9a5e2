"""Logistic regression with the class descriptions as a prior that labels correct.

The descriptions' model scores a row for class ``c`` by how much more alike it is
to ``c``'s description than rows are on average: ``s_c(x) = cos(x, d_c) - c0``
(0 for a class without a description). The fit keeps that score as an offset
and learns, from the labels, a correction of the usual logistic model and how
much to trust the prior:

    logit_c(x) = a * s_c(x) + v_c . x + b_c
    minimise  C * sum_i CE(y_i, softmax(logit(x_i))) + |V|^2 / 2 + mu * (a - a0)^2 / 2

``V`` is held to 0 by the same penalty as scikit-learn's ``LogisticRegression``
(``C = 1``), ``a`` to its start ``a0`` by ``mu``. With no label the model is the
descriptions' (cosine similarity, scaled by ``a0``); as labels come they move
``V`` and ``a``, so the prior fades where the labels disagree with it and stays
where they do not. Since ``s_c`` is linear in ``x``, the fitted model is a plain
linear model: it is returned as a scikit-learn ``LogisticRegression`` with
``coef_ = a * P + V`` (export, explain and predict read it as any other).

Measured against the library's choice (the descriptions as fading labeled
rows, :mod:`alearn.engine.describe`) by ``bench/text_describe.py`` and not
taken (docs/text.md); it lives here, beside that bench, and takes the place of
the learner's fit only inside :func:`offset_prior`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

import alearn.engine.learner as learner_module
from alearn.engine.describe import Descriptions
from alearn.engine.features import preprocessor_for
from alearn.kinds.classify.simulate import SimTask, split

# Rows that measure the mean similarity to the descriptions (the first ones suffice).
SAMPLE = 2000


@dataclass(frozen=True)
class Prior:
    """The descriptions as an offset: each one's direction (``x @ prior[c]`` is the
    cosine of row ``x`` to description ``c`` over the text columns), the rows' mean
    similarity ``offset`` (``c0``), the scale before any label ``strength`` (``a0``),
    how hard labels must push to change it ``stiffness`` (``mu``) and a label's
    weight against the correction ``penalty`` (``C``)."""

    classes: tuple[str, ...]
    prior: np.ndarray
    offset: float
    strength: float
    stiffness: float
    penalty: float


def prior_of(descriptions: Descriptions, task: SimTask, seed: int, strength: float,
             stiffness: float, penalty: float) -> Prior:
    """The offset prior of a seed's descriptions (the seed's preprocessing, refitted
    on its pool as :func:`~alearn.kinds.classify.simulate.seed_split` fits it)."""
    import scipy.sparse as sp

    spec = task.spec
    pool, _ = split(task.y, spec.test_size, seed)
    pre = preprocessor_for(task, spec.model, task.options, n_rows=len(pool))
    X = pre.fit_transform(task.features.iloc[pool])
    keep = np.zeros(X.shape[1], dtype=bool)
    for name in ("text", "embed"):
        if name in getattr(pre, "output_indices_", {}):
            keep[pre.output_indices_[name]] = True
    rows = descriptions.rows
    D = rows.toarray() if sp.issparse(rows) else np.asarray(rows, dtype=float)
    D = D / np.maximum(np.linalg.norm(D, axis=1, keepdims=True), 1e-12)
    part = X[:SAMPLE]
    part = part.toarray() if sp.issparse(part) else np.asarray(part, dtype=float)
    part = part * keep[None, :]
    lengths = np.linalg.norm(part, axis=1)
    typical = float(np.median(lengths[lengths > 0])) if (lengths > 0).any() else 1.0
    prior = D / typical
    return Prior(descriptions.classes, prior, float(np.mean(part @ prior.T)), strength,
                 stiffness, penalty)


@contextlib.contextmanager
def offset_prior(prior: Prior) -> Iterator[None]:
    """Inside: a logistic learner with descriptions fits :func:`fit_prior_logreg`."""
    library_fit = learner_module.fit_with

    def fit(descriptions, model, seed, text, X, y):
        if model != "logreg":
            return library_fit(descriptions, model, seed, text, X, y)
        return fit_prior_logreg(X, y, prior, prior.penalty)

    learner_module.fit_with = fit
    try:
        yield
    finally:
        learner_module.fit_with = library_fit

# L-BFGS iterations (the problem is small and smooth: tens are enough).
MAX_ITER = 200


def _prior_columns(classes: list[str], descriptions: Prior) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """The prior directions (K x d) and offsets (K) of ``classes`` (0 if undescribed)."""
    P = np.asarray(descriptions.prior, dtype=float)
    out = np.zeros((len(classes), P.shape[1]))
    offset = np.zeros(len(classes))
    for k, cls in enumerate(classes):
        if cls in descriptions.classes:
            out[k] = P[descriptions.classes.index(cls)]
            offset[k] = -descriptions.offset
    return out, offset


def fit_prior_logreg(X: object, y: np.ndarray, descriptions: Prior, C: float = 1.0
                     ) -> object | None:
    """A ``LogisticRegression`` fitted on rows ``X``, labels ``y`` and the descriptions'
    prior (see the module docstring); ``None`` with fewer than two classes."""
    from scipy.optimize import minimize
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(y, dtype=str)
    classes = sorted(set(y) | set(descriptions.classes))
    if len(classes) < 2:
        return None
    P, offset = _prior_columns(classes, descriptions)
    d = P.shape[1]
    K = len(classes)
    n = len(y)
    a0, mu = descriptions.strength, descriptions.stiffness
    if n:
        S = np.asarray(X @ P.T) + offset  # the prior's scores of the labeled rows (n x K)
        Y = np.zeros((n, K))
        Y[np.arange(n), np.searchsorted(classes, y)] = 1.0

        def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
            V = theta[:K * d].reshape(K, d)
            b = theta[K * d:K * d + K]
            a = theta[-1]
            Z = a * S + np.asarray(X @ V.T) + b
            Z -= Z.max(axis=1, keepdims=True)
            E = np.exp(Z)
            total = E.sum(axis=1, keepdims=True)
            loss = float(np.sum(Y * (np.log(total) - Z)))
            G = C * (E / total - Y)
            grad_V = np.asarray(G.T @ X) + V
            value = C * loss + 0.5 * float(np.sum(V * V)) + 0.5 * float(np.sum(b * b)) \
                + 0.5 * mu * (a - a0) ** 2
            grad = np.concatenate([grad_V.ravel(), G.sum(axis=0) + b,
                                   [float(np.sum(G * S)) + mu * (a - a0)]])
            return value, grad

        start = np.zeros(K * d + K + 1)
        start[-1] = a0
        found = minimize(objective, start, jac=True, method="L-BFGS-B",
                         options={"maxiter": MAX_ITER})
        theta = found.x
        V, b, a, iterations = theta[:K * d].reshape(K, d), theta[K * d:K * d + K], \
            float(theta[-1]), int(found.nit)
    else:
        V, b, a, iterations = np.zeros((K, d)), np.zeros(K), a0, 0
    W = a * P + V
    intercept = a * offset + b
    model = LogisticRegression(C=C, max_iter=1000)
    model.classes_ = np.asarray(classes, dtype=object)
    if K == 2:  # scikit-learn's binary form: one row, the second class's logit minus the first's
        model.coef_ = (W[1] - W[0])[None, :]
        model.intercept_ = np.asarray([intercept[1] - intercept[0]])
    else:
        model.coef_ = W
        model.intercept_ = intercept
    model.n_features_in_ = d
    model.n_iter_ = np.asarray([iterations])
    model.description_share_ = _share(a * S, np.asarray(X @ V.T)) if n else 1.0
    return model


def _share(prior: np.ndarray, correction: np.ndarray) -> float:
    """How much of the labeled rows' class scores comes from the descriptions: the mean
    spread of the prior's logits over the classes against the labels' correction's."""
    spread = [np.abs(z - z.mean(axis=1, keepdims=True)).mean() for z in (prior, correction)]
    total = spread[0] + spread[1]
    return float(spread[0] / total) if total > 0 else 0.0
