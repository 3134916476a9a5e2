"""Reading logistic regression and naive Bayes in the data's own terms.

Logistic regression: the strongest weights per class, per unit of a numeric
column and per category of a categorical one. Naive Bayes: each class's mean
and spread of the columns that separate the classes most. For one row: how
much each original column pushed the prediction towards its class.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from alearn.engine.featuremap import Term, group_by_column


@dataclass
class Weight:
    """One model-matrix column's weight for a class.

    Attributes
    ----------
    term : Term
    weight : float
        Per standard deviation (numeric) or for having the category.
    per_unit : float
        Per unit of the original column (numeric); equals ``weight`` otherwise.
    """

    term: Term
    weight: float
    per_unit: float

    def text(self) -> str:
        """E.g. ``+0.41 per unit of `age` (+3.2 per sd)``."""
        t = self.term
        if t.kind == "numeric":
            return (f"{self.per_unit:+.4g} per unit of `{t.column}` "
                    f"({self.weight:+.3g} per sd; sd {t.scale:.3g})")
        if t.kind == "category":
            return f"{self.weight:+.3g} when `{t.column}` == {json.dumps(t.value)}"
        if t.kind == "word":
            return (f"{self.weight:+.3g} per TF-IDF unit of the words "
                    f"{json.dumps(t.value, ensure_ascii=False)} in `{t.column}`")
        if t.kind == "topic":
            return f"{self.weight:+.3g} per unit of `{t.column}` LSA {t.value}"
        if t.kind == "vector":
            return f"{self.weight:+.3g} per unit of `{t.column}` {t.value}"
        return (f"{self.weight:+.3g} when `{t.column}` not in "
                f"{json.dumps(list(t.frequent), ensure_ascii=False)}")


@dataclass
class ClassWeights:
    """The strongest weights for one class, strongest first."""

    label: str
    intercept: float
    weights: list[Weight]


def class_matrix(model: LogisticRegression) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Per-class weights and intercepts (a binary model's single row as two opposite rows)."""
    classes = [str(c) for c in model.classes_]
    coef, intercept = np.asarray(model.coef_), np.asarray(model.intercept_)
    if len(classes) == 2 and coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef[0], coef[0]]), np.array([-intercept[0], intercept[0]])
    return classes, coef, intercept


def logreg_weights(model: LogisticRegression, terms: list[Term], top: int = 8
                   ) -> list[ClassWeights]:
    """The ``top`` weights of largest size per class, in original terms.

    Weights are ranked per standard deviation of a numeric column and per
    category, so columns measured in different units compare fairly.
    """
    classes, coef, intercept = class_matrix(model)
    out = []
    for k, label in enumerate(classes):
        order = np.argsort(-np.abs(coef[k]), kind="stable")[:top]
        weights = [Weight(terms[j], float(coef[k, j]), float(coef[k, j]) / terms[j].scale)
                   for j in order if coef[k, j] != 0]
        out.append(ClassWeights(label, float(intercept[k]), weights))
    return out


def word_weights(model: object, terms: list[Term], top: int = 12) -> list[ClassWeights]:
    """Complement naive Bayes on text: per class, the words most telling of it.

    The weight of a word for a class is its log-probability under the class
    minus its mean log-probability over the classes (higher: more typical).
    """
    classes = [str(c) for c in model.classes_]  # type: ignore[attr-defined]
    logp = np.asarray(model.feature_log_prob_)  # type: ignore[attr-defined]
    # Complement NB stores weights of the complement: flip so higher means "this class".
    weights = logp.mean(axis=0) - logp if type(model).__name__ == "ComplementNB" \
        else logp - logp.mean(axis=0)
    out = []
    for k, label in enumerate(classes):
        order = np.argsort(-weights[k], kind="stable")[:top]
        out.append(ClassWeights(label, 0.0, [Weight(terms[j], float(weights[k, j]),
                                                    float(weights[k, j])) for j in order]))
    return out


@dataclass
class FeatureSummary:
    """How one model-matrix column differs between classes.

    Attributes
    ----------
    term : Term
    per_class : dict
        Class -> (mean, sd) in original units (numeric), or -> (share, 0.0)
        of the class's labels having the category.
    separation : float
        Spread of the class means over the average within-class sd.
    """

    term: Term
    per_class: dict[str, tuple[float, float]]
    separation: float

    def text(self) -> str:
        """E.g. ```age`: yes 51 ± 9, no 38 ± 12``."""
        t = self.term
        if t.kind == "numeric":
            parts = [f"{c} {m:.4g} ± {s:.3g}" for c, (m, s) in self.per_class.items()]
            return f"`{t.column}`: " + ", ".join(parts)
        if t.kind == "vector":
            parts = [f"{c} {m:.3g}" for c, (m, _) in self.per_class.items()]
            return f"`{t.column}` {t.value}: " + ", ".join(parts)
        name = (f"`{t.column}` == {json.dumps(t.value)}" if t.kind == "category"
                else f"`{t.column}` is another value")
        return f"{name}: " + ", ".join(f"{c} {m:.0%}" for c, (m, _) in self.per_class.items())


def nb_summary(model: GaussianNB, terms: list[Term], top: int = 10
               ) -> tuple[dict[str, float], list[FeatureSummary]]:
    """Class priors and the ``top`` columns that separate the classes most.

    Returns
    -------
    priors : dict
        Class -> prior probability.
    features : list of FeatureSummary
        Most separating first.
    """
    classes = [str(c) for c in model.classes_]
    theta, var = np.asarray(model.theta_), np.asarray(model.var_)
    spread = theta.max(axis=0) - theta.min(axis=0)
    separation = spread / np.sqrt(var.mean(axis=0))
    order = np.argsort(-separation, kind="stable")[:top]
    out = []
    for j in order:
        t = terms[j]
        if t.kind == "numeric":
            per = {c: (t.to_original(theta[k, j]), float(np.sqrt(var[k, j])) * t.scale)
                   for k, c in enumerate(classes)}
        else:
            per = {c: (float(theta[k, j]), 0.0) for k, c in enumerate(classes)}
        out.append(FeatureSummary(t, per, float(separation[j])))
    priors = {c: float(p) for c, p in zip(classes, model.class_prior_, strict=True)}
    return priors, out


@dataclass
class Contributions:
    """Why one row got its class: per-column pushes towards it.

    Attributes
    ----------
    label : str
        The predicted class.
    against : str
        The class it is compared with: the runner-up.
    base : float
        The part not due to any column (intercept difference, or log prior ratio).
    by_column : dict
        Original column -> contribution, largest size first.
    unit : str
        What the numbers are (``log-odds``).
    """

    label: str
    against: str
    base: float
    by_column: dict[str, float]
    unit: str


def _sorted(values: dict[str, float]) -> dict[str, float]:
    return dict(sorted(values.items(), key=lambda kv: -abs(kv[1])))


def logreg_contributions(model: LogisticRegression, terms: list[Term], z: np.ndarray
                         ) -> Contributions:
    """Each column's share of the log-odds between the predicted class and the runner-up.

    For a softmax model ``log(p_k / p_r) = (b_k - b_r) + sum_j (w_kj - w_rj) z_j``
    exactly; numeric columns contribute relative to their mean in the training
    pool, so a row at the mean gets no push from that column.
    """
    classes = [str(c) for c in model.classes_]
    proba = model.predict_proba(z.reshape(1, -1))[0]
    order = np.argsort(-proba, kind="stable")
    k, r = int(order[0]), int(order[1])
    coef, intercept = np.asarray(model.coef_), np.asarray(model.intercept_)
    if coef.shape[0] == 1:  # binary: one row of log-odds for classes_[1] against classes_[0]
        sign = 1.0 if k == 1 else -1.0
        w, b = sign * coef[0], sign * float(intercept[0])
    else:
        w, b = coef[k] - coef[r], float(intercept[k] - intercept[r])
    by_column = _sorted(group_by_column(terms, w * z))
    return Contributions(classes[k], classes[r], b, by_column, "log-odds")


def nb_contributions(model: GaussianNB, terms: list[Term], z: np.ndarray) -> Contributions:
    """Each column's log-likelihood ratio between the predicted and runner-up class."""
    classes = [str(c) for c in model.classes_]
    proba = model.predict_proba(z.reshape(1, -1))[0]
    order = np.argsort(-proba, kind="stable")
    k, r = int(order[0]), int(order[1])
    theta, var = np.asarray(model.theta_), np.asarray(model.var_)

    def loglik(c: int) -> np.ndarray:
        return -0.5 * (np.log(2 * np.pi * var[c]) + (z - theta[c]) ** 2 / var[c])

    by_column = _sorted(group_by_column(terms, loglik(k) - loglik(r)))
    base = float(np.log(model.class_prior_[k]) - np.log(model.class_prior_[r]))
    return Contributions(classes[k], classes[r], base, by_column, "log-odds")


def complement_contributions(model: object, terms: list[Term], z: np.ndarray) -> Contributions:
    """Complement naive Bayes on text: each word's log-odds between the predicted class and
    the runner-up.

    With two or more classes its joint log-likelihood is ``z @ feature_log_prob_.T``
    (no prior), so the per-term differences add up to ``log(p_k / p_r)`` exactly.
    """
    classes = [str(c) for c in model.classes_]  # type: ignore[attr-defined]
    proba = model.predict_proba(z.reshape(1, -1))[0]  # type: ignore[attr-defined]
    order = np.argsort(-proba, kind="stable")
    k, r = int(order[0]), int(order[1])
    logp = np.asarray(model.feature_log_prob_)  # type: ignore[attr-defined]
    by_column = _sorted(group_by_column(terms, (logp[k] - logp[r]) * z))
    return Contributions(classes[k], classes[r], 0.0, by_column, "log-odds")
