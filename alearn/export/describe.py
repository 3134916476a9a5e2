"""``rules.md``: what a fitted pipeline decides, in the data's own columns.

The heading and the closing missing-value fills are shared; the body is the
model's own (``rules_section`` of its :class:`~alearn.models.base.ModelSpec`:
a tree's if-then rules, logistic regression's strongest weights, naive Bayes'
per-class summaries). The fills are what the rules need to be applied by hand.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from alearn.counting import counted
from alearn.data.dataset import Dataset
from alearn.engine.featuremap import columns_of, feature_terms
from alearn.models import MODELS
from alearn.models.rules import format_value


def _fills(pipeline: Any) -> list[str]:
    terms = [t for t in feature_terms(pipeline[0])
             if t.kind not in ("word", "topic", "vector")]
    fills = {t.column: t.fill for t in terms}
    lines = ["## Missing values", "", "A missing cell counts as (median, or most frequent "
             "category, of the data the model was built from):", ""]
    for column in columns_of(terms):
        value = fills[column]
        shown = (json.dumps(value, ensure_ascii=False) if isinstance(value, str)
                 else format_value(float(value)))
        lines.append(f"- `{column}` counts as {shown}")
    return lines


def rules_markdown(pipeline: Any, data: Dataset, model: str, n_labels: int,
                   describe: tuple[tuple[str, str], ...] = ()) -> str:
    """The text of ``rules.md`` for a fitted pipeline.

    Parameters
    ----------
    pipeline : sklearn Pipeline
        ``pre`` (from :func:`alearn.engine.features.build_preprocessor`) then the model.
    data : Dataset
        The data the model was built from (thresholds are chosen to route every
        one of its rows exactly as the model does).
    model : str
        A registered model (:data:`alearn.models.MODELS`); it writes the body.
    n_labels : int
        Labels the model was fitted on.
    describe : tuple of (str, str)
        The class descriptions fitted beside the labels (the task's ``describe``).

    Returns
    -------
    str
    """
    classes = ", ".join(str(c) for c in np.asarray(pipeline[-1].classes_))
    target = f" `{data.target}`" if data.target else ""
    spec = MODELS.get(model)
    lines = [f"# How the model decides{target}", "",
             f"A {spec.title} fitted on {counted(n_labels, 'label')} of {data.name}. "
             f"Classes: {classes}.", ""]
    if describe:
        share = getattr(pipeline[-1], "description_share_", None)
        lines += ["Fitted with the class descriptions " + "; ".join(
            f"{c}: \"{t}\"" for c, t in describe) + (
            "" if share is None else f", which still carry {100 * share:.0f} % of its weight")
            + ". Their words are part of the weights below.", ""]
    lines += spec.rules_section(pipeline, data)
    lines += ["", *_fills(pipeline)]
    return "\n".join(lines) + "\n"
