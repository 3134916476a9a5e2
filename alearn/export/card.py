"""The model card: what an exported model was built from and how good it is.

``card.json`` is the record ``alearn predict`` and ``alearn explain`` read
(feature columns and types, classes, model file and its SHA-256);
``card.md`` is the same for people.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from alearn.counting import counted
from alearn.engine.features import text_options
from alearn.export.cardformat import CARD_FORMAT, CARD_VERSION, alearn_version
from alearn.models import model_title

if TYPE_CHECKING:  # pragma: no cover
    from alearn.export.training import TrainingData


# Values scikit-learn uses as placeholders for "not given" during a deprecation: the
# parameter has no effect of its own (e.g. LogisticRegression's penalty="deprecated",
# whose effect is l1_ratio's), so the card leaves it out.
SENTINELS = ("deprecated", "warn")


def _jsonable(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _effective(value: Any) -> bool:
    """Whether a parameter value says something: JSON-ready and not a placeholder."""
    return _jsonable(value) and not (isinstance(value, str) and value in SENTINELS)


def build_card(train: TrainingData, pipeline: Any, *, model_file: str, fmt: str,
               sha256: str) -> dict[str, Any]:
    """The card as a JSON-ready dict.

    Parameters
    ----------
    train : TrainingData
        What the model was fitted on.
    pipeline : sklearn Pipeline
        The fitted pipeline.
    model_file, fmt, sha256 : str
        The model file's name (in the export folder), format and SHA-256.

    Returns
    -------
    dict
    """
    import sklearn
    import skops

    data, estimator = train.data, pipeline[-1]
    settings = {k: v for k, v in sorted(estimator.get_params().items()) if _effective(v)}
    counts = {str(k): int(v) for k, v in sorted(Counter(train.labels.astype(str)).items())}
    preprocessing = ("numeric: median fill, standard scaling; categorical: most frequent fill, "
                     "one-hot (at most 20 columns, rarer values pooled)")
    if data.text:
        options = text_options(train.spec)
        preprocessing += (f"; text: TF-IDF of word n-grams up to {options.ngrams}, stop "
                          f"words: {options.stop_words}, LSA components: {options.lsa}")
    return {
        "format": CARD_FORMAT,
        "version": CARD_VERSION,
        "data": {
            "name": data.name,
            "source": data.source,
            "fingerprint": data.fingerprint,
            "rows": len(data.features),
            "target": data.target,
            "id_column": _id_column(train),
            "numeric": list(data.numeric),
            "categorical": list(data.categorical),
            "text": list(data.text),
            "text_weights": dict(data.text_weights),
            "left_out": dict(data.dropped),
        },
        "labels": {"count": int(train.labels.size), "per_class": counts},
        "classes": [str(c) for c in np.asarray(estimator.classes_)],
        "model": {
            "name": train.model,
            "title": model_title(train.model),
            "estimator": type(estimator).__name__,
            "settings": settings,
            "seed": train.seed,
            "preprocessing": preprocessing,
        },
        "descriptions": _descriptions(train, estimator),
        "source": train.source,
        "learning_curve": {"method": train.curve_method, "points": train.curve},
        "versions": {"alearn": alearn_version(), "scikit-learn": sklearn.__version__,
                     "skops": skops.__version__},
        "model_file": {"file": model_file, "format": fmt, "sha256": sha256},
        "files": {"rules": "rules.md", "card": "card.md"},
    }


def _descriptions(train: TrainingData, estimator: Any) -> dict[str, Any] | None:
    """The class descriptions fitted beside the labels, and the share of the model's
    weights they still carry (``None`` without descriptions)."""
    if train.spec is None or not train.spec.describe:
        return None
    share = getattr(estimator, "description_share_", None)
    return {"classes": dict(train.spec.describe),
            "weight": None if share is None else round(float(share), 4)}


def description_line(card: dict[str, Any]) -> list[str]:
    """The card's line on class descriptions (none without them)."""
    found = card.get("descriptions")
    if not found:
        return []
    said = "; ".join(f"{c}: \"{t}\"" for c, t in found["classes"].items())
    weight = "" if found.get("weight") is None else \
        f" (they still carry {100 * found['weight']:.0f} % of the model's weight)"
    return [f"- **Class descriptions**: {said}{weight}"]


def _id_column(train: TrainingData) -> str | None:
    """The data's id column: the one whose values are the row ids, if any."""
    table, ids = train.data.table, train.data.ids
    for column in table.columns:
        if column in train.data.features.columns or column == train.data.target:
            continue
        values = table[column].astype(str).str.strip().to_numpy(dtype=object)
        if len(values) == len(ids) and bool(np.all(values == ids)):
            return str(column)
    return None


def _settings_text(settings: dict[str, Any]) -> str:
    shown = {k: v for k, v in settings.items() if v is not None and _effective(v)}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _interval(point: dict[str, Any]) -> str:
    low, high = point.get("low"), point.get("high")
    return "-" if low is None or high is None else f"{low:.2f}-{high:.2f}"


def accuracy_line(card: dict[str, Any]) -> str:
    """Which estimate the card carries, for the exported model: its number, interval
    and what it was measured on (``-`` when there is none)."""
    points = [p for p in card["learning_curve"]["points"] if p.get("exported")]
    if not points or points[0]["accuracy"] is None:
        return "- **Accuracy**: not estimated (too few labels)"
    p = points[0]
    how = p.get("estimate") or f"on {p['n_eval']} held-out test rows of the simulated run"
    span = "" if p.get("low") is None else f" [{p['low']:.2f}, {p['high']:.2f}]"
    return f"- **Accuracy**: {p['accuracy']:.2f}{span}{_majority(p)} ({how})"


def _majority(point: dict[str, Any]) -> str:
    """``, majority class 0.70``, flagged when the accuracy is not above it (cards made
    before it was recorded have none)."""
    majority = point.get("majority")
    if majority is None or point.get("accuracy") is None:
        return ""
    text = f", majority class {majority:.2f}"
    if point["accuracy"] <= majority:
        text += f" — no better than always answering {point.get('majority_class')!r}"
    return text


def card_markdown(card: dict[str, Any]) -> str:
    """``card.md``: the card for people."""
    data, labels, model = card["data"], card["labels"], card["model"]
    src, curve, mf = card["source"], card["learning_curve"], card["model_file"]
    per_class = ", ".join(f"{k} {v}" for k, v in labels["per_class"].items())
    if src.get("kind") == "task":
        origin = (f"task `{src['path']}`, simulated run: seed {src['seed']}, strategy "
                  f"{src['strategy']}, first {counted(src['budget'], 'label')} bought")
    else:
        who = ", ".join(f"{k} {v}" for k, v in src.get("annotators", {}).items())
        stored = counted(src.get("store_labels", 0), "label")
        origin = (f"label store `{src.get('path')}`: {stored} "
                  f"(annotators: {who or 'none'}) after {src.get('seeded_from_data', 0)} "
                  "already in the data's target column")
    lines = [
        f"# Model card: {data['name']}",
        "",
        f"- **Model**: {model['title']} (`{model['estimator']}`, seed {model['seed']})",
        f"- **Settings**: {_settings_text(model['settings'])}",
        f"- **Preprocessing**: {model['preprocessing']}",
        f"- **Labels**: {labels['count']} ({per_class}), from {origin}",
        f"- **Classes**: {', '.join(card['classes'])}",
        *description_line(card),
        accuracy_line(card),
        f"- **Data**: {data['source']} ({counted(data['rows'], 'row')}), "
        f"SHA-256 `{data['fingerprint']}`",
        f"- **Target**: {data['target'] or '-'}; **id column**: {data['id_column'] or '-'}",
        f"- **Numeric columns**: {', '.join(data['numeric']) or '-'}",
        f"- **Categorical columns**: {', '.join(data['categorical']) or '-'}",
        *([f"- **Text columns**: {', '.join(data['text'])}"] if data.get("text") else []),
        f"- **Model file**: `{mf['file']}` ({mf['format']}), SHA-256 `{mf['sha256']}`",
        "- **Versions**: " + ", ".join(f"{k} {v}" for k, v in card["versions"].items()),
        "",
        "## Learning curve",
        "",
    ]
    if curve["points"]:
        lines += ["| labels | accuracy | 90 % interval | majority class | macro-F1 | rows scored |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for p in curve["points"]:
            mark = " (exported)" if p.get("exported") else ""
            accuracy = _score(p["accuracy"])
            if p.get("majority") is not None and p["accuracy"] is not None \
                    and p["accuracy"] <= p["majority"]:
                accuracy += " (not above majority)"
            lines.append(f"| {p['labels']}{mark} | {accuracy} | {_interval(p)} | "
                         f"{_score(p.get('majority'))} | {_score(p['macro_f1'])} | "
                         f"{p['n_eval']} |")
    else:
        lines.append("Too few labels to estimate a learning curve.")
    lines += ["", f"How estimated: {curve['method']}", "",
              "The model's rules are in `rules.md`. `alearn predict` refuses the model file if "
              "its SHA-256 differs from the one above."]
    return "\n".join(lines) + "\n"
