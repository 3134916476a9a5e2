"""Naive Bayes: Gaussian on columns, complement naive Bayes on word counts.

``rules.md`` shows class priors and the columns that separate the classes
most (Gaussian), or the words most telling of each class (complement).
"""

from __future__ import annotations

from typing import Any

from alearn.models.base import ModelSpec, Reading, Row, dense_row


def build(seed: int, text: bool, screen: bool) -> Any:
    """Complement naive Bayes on text features, else Gaussian naive Bayes."""
    from sklearn.naive_bayes import ComplementNB, GaussianNB

    return ComplementNB(alpha=0.1) if text else GaussianNB()


def _gaussian(model: Any) -> bool:
    return hasattr(model, "theta_")


def rules_section(pipeline: Any, data: Any) -> list[str]:
    """``rules.md``: per-class summaries (Gaussian) or strongest words (complement)."""
    from alearn.engine.featuremap import feature_terms
    from alearn.models.weights import nb_summary, word_weights

    pre, model = pipeline[0], pipeline[-1]
    if not _gaussian(model):  # complement naive Bayes on text
        lines = ["## Strongest words per class", "",
                 "Per class, the words whose weight under the class most exceeds their mean "
                 "weight over the classes (log-probability)."]
        for block in word_weights(model, feature_terms(pre)):
            lines += ["", f"### {block.label}", ""]
            lines += [f"- {w.text()}" for w in block.weights]
        return lines
    priors, features = nb_summary(model, feature_terms(pre))
    lines = ["## Class priors", ""]
    lines += [f"- {c}: {p:.0%}" for c, p in priors.items()]
    lines += [
        "",
        "## Columns that separate the classes most",
        "",
        "Per class: mean ± standard deviation of a numeric column (in its own units), or the "
        "share of the class's labels with a category. A row is given the class under which "
        "its values are most likely, times the class prior.",
        "",
    ]
    lines += [f"- {f.text()}" for f in features]
    return lines


def explain(row: Row) -> Reading:
    """Each column's (or word's) log-likelihood ratio between the predicted class and
    the runner-up."""
    from alearn.engine.featuremap import feature_terms
    from alearn.models.weights import complement_contributions, nb_contributions

    pre, estimator = row.pipeline[0], row.pipeline[-1]
    contribute = nb_contributions if _gaussian(estimator) else complement_contributions
    return Reading("contributions", contributions=contribute(
        estimator, feature_terms(pre), dense_row(row)))


MODEL = ModelSpec(
    name="nb",
    help="Naive Bayes: Gaussian on columns, complement naive Bayes on text.",
    title="naive Bayes",
    estimators=("GaussianNB", "ComplementNB"),
    build=build,
    rules_section=rules_section,
    explain=explain,
    # Gaussian naive Bayes needs a dense matrix; complement naive Bayes non-negative counts.
    dense=lambda text: not text,
    nonnegative=lambda text: text,
)
