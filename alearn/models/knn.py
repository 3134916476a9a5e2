"""Nearest labeled rows: a row gets the class of the labeled rows most like it.

Made for sentence embeddings (``text_features = "embed"``), where rows near in
meaning are near in the model matrix: nearness is cosine similarity when the
features include text, else Euclidean distance on the scaled columns. The
model *is* its labeled rows, so ``rules.md`` lists them, and ``alearn explain
--row`` shows the row's nearest labeled rows as the reason for its class.
"""

from __future__ import annotations

import json
import re
from typing import Any

from alearn.errors import ModelFileError
from alearn.models.base import ModelSpec, Reading, Row

# Neighbours that vote (fewer while fewer rows are labeled).
K = 7
# Characters of a text value shown per labeled row in rules.md.
SHOWN_CHARS = 80
_LISTED = re.compile(r"^(\d+)\. row (\d+): (.*?) \| (.*)$")


def _define() -> type:
    from sklearn.neighbors import KNeighborsClassifier

    class NearestLabeled(KNeighborsClassifier):
        """Distance-weighted k nearest neighbours, with k cut to the rows labeled.

        Parameters
        ----------
        k : int
            Neighbours that vote once at least ``k`` rows are labeled.
        metric : {"cosine", "euclidean"}
        """

        def __init__(self, k: int = K, metric: str = "cosine") -> None:
            super().__init__(n_neighbors=k, weights="distance", metric=metric,
                             algorithm="brute")
            self.k = k

        def fit(self, X: Any, y: Any) -> Any:
            # A model exists from the second label on: vote with the rows there are.
            self.n_neighbors = max(1, min(self.k, X.shape[0]))
            return super().fit(X, y)

    NearestLabeled.__module__ = __name__
    NearestLabeled.__qualname__ = NearestLabeled.__name__ = "NearestLabeled"
    return NearestLabeled


def __getattr__(name: str) -> Any:
    # The estimator class is made on first use, so reading the registry (help texts,
    # task validation) does not import scikit-learn; pickle and skops find it here.
    if name == "NearestLabeled":
        cls = _define()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build(seed: int, text: bool, screen: bool) -> Any:
    """Up to :data:`K` neighbours; cosine on text features, else Euclidean."""
    return __getattr__("NearestLabeled")(k=K, metric="cosine" if text else "euclidean")


def _shown(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def labeled_rows(pipeline: Any, data: Any) -> list[tuple[int, str, str]]:
    """The rows of ``data`` the model was fitted on: (1-based row, class, values shown)."""
    import numpy as np
    from sklearn.metrics import pairwise_distances_argmin

    pre, model = pipeline[0], pipeline[-1]
    X = pre.transform(data.features)
    # Each stored labeled vector is exactly one row's (its nearest, at distance 0).
    rows = pairwise_distances_argmin(model._fit_X, X, metric=model.metric)
    classes = np.asarray(model.classes_)[model._y]
    out = []
    for row, cls in zip(rows, classes, strict=True):
        values = data.features.iloc[int(row)]
        shown = "; ".join(f"`{c}` {json.dumps(_shown(v), ensure_ascii=False)}"
                          for c, v in values.items())
        out.append((int(row) + 1, str(cls), shown))
    return out


def rules_section(pipeline: Any, data: Any) -> list[str]:
    """``rules.md``: how a row is classed, and every labeled row with its class."""
    model = pipeline[-1]
    nearness = ("cosine similarity of the rows' features (for text: of their sentence "
                "embeddings, rows alike in meaning are near)" if model.metric == "cosine"
                else "Euclidean distance on the scaled columns")
    lines = [
        "## How a row is classed",
        "",
        f"A row gets the class of its {model.n_neighbors} nearest labeled rows, each "
        f"counting 1/distance (an identical row decides alone); nearness is {nearness}. "
        "`alearn explain --row` lists a row's nearest labeled rows.",
        "",
        "## Labeled rows",
        "",
        "Numbered as `alearn explain` names them; `row` is the row's 1-based position in "
        "the data the model was built from.",
        "",
    ]
    lines += [f"{i}. row {row}: {cls} | {shown}"
              for i, (row, cls, shown) in enumerate(labeled_rows(pipeline, data), 1)]
    return lines


def explain(row: Row) -> Reading:
    """The row's nearest labeled rows (as listed in ``rules.md``), nearest first."""
    import numpy as np


    model = row.pipeline[-1]
    listed = [m.groups() for m in map(_LISTED.match, row.rules.splitlines()) if m]
    if len(listed) != model._fit_X.shape[0]:
        raise ModelFileError(f"{row.folder}: rules.md does not match the model "
                             f"({len(listed)} labeled rows listed, the model has "
                             f"{model._fit_X.shape[0]})")
    distance, index = model.kneighbors(row.z)
    near = []
    for d, i in zip(distance[0], index[0], strict=True):
        number, at, cls, shown = listed[int(i)]
        value = 1.0 - float(d) if model.metric == "cosine" else float(d)
        near.append((int(number), int(at), cls, float(np.round(value, 6)), shown))
    nearness = "similarity" if model.metric == "cosine" else "distance"
    return Reading("neighbours", neighbours=near, nearness=nearness)


MODEL = ModelSpec(
    name="knn",
    help=f"Nearest labeled rows (up to {K}, by cosine on text): best on text embeddings; "
         "explain shows the neighbours; not for screen tasks.",
    title=f"nearest-neighbour classifier (k up to {K})",
    estimators=("NearestLabeled",),
    build=build,
    rules_section=rules_section,
    explain=explain,
    # Fitted on every row, an unscreened row's nearest labeled row is itself.
    screens=False,
)
