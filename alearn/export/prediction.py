"""Using an exported model: load it safely, predict a table, explain one row.

The commands' entry points are in :mod:`alearn.export.predict`.

The export folder's ``card.json`` names the model file, its SHA-256 and the
feature columns with their types; new data is checked against them before
anything is predicted, and every problem is reported in one message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer

from alearn.data.cells import as_text
from alearn.data.tables import read_table
from alearn.data.text import join_text, text_feature_name
from alearn.errors import ConfigError, DataError, ModelFileError
from alearn.export.cardformat import CARD_FILE, read_card
from alearn.export.modelfile import load_model
from alearn.export.unseen import check_unseen, unseen_values
from alearn.models import model_of
from alearn.models.base import Row
from alearn.models.rules import format_value

ROW_COLUMN = "row"
# Probabilities in a predictions file: 4 decimals (0.8731), as people read and compare
# them; the 17 digits of a float say nothing more about a compact model fitted on a
# few dozen labels. Prediction.frame keeps them whole for Python callers.
PROBABILITY_DECIMALS = 4


@dataclass
class Exported:
    """A loaded export folder.

    Attributes
    ----------
    folder : Path
    card : dict
        The parsed ``card.json``.
    pipeline : sklearn Pipeline
    """

    folder: Path
    card: dict[str, Any]
    pipeline: Any

    @property
    def classes(self) -> list[str]:
        """Classes in the order of the probability columns."""
        return [str(c) for c in self.pipeline.classes_]

    @property
    def rules(self) -> str:
        """The text of ``rules.md`` (empty when the file is gone)."""
        path = self.folder / self.card.get("files", {}).get("rules", "rules.md")
        return path.read_text(encoding="utf-8") if path.is_file() else ""


def load_export(folder: str | Path, trust: bool = False) -> Exported:
    """Load an export folder's pipeline after checking the model file's SHA-256.

    Parameters
    ----------
    folder : str or Path
    trust : bool
        Allow a joblib (pickle) model file, which runs code when loaded.

    Returns
    -------
    Exported
    """
    folder = Path(folder)
    card = read_card(folder)
    try:
        info = card["model_file"]
        name, fmt, digest = str(info["file"]), str(info["format"]), str(info["sha256"])
    except (KeyError, TypeError):
        raise ModelFileError(f"{folder / CARD_FILE}: names no model file") from None
    if Path(name).name != name or name in ("", ".", ".."):
        raise ModelFileError(f"{folder / CARD_FILE}: model file {name!r} is outside the folder")
    pipeline = load_model(folder / name, digest, fmt, trust=trust)
    if not hasattr(pipeline, "predict_proba") or not hasattr(pipeline, "classes_"):
        raise ModelFileError(f"{folder / name}: not a fitted classifier pipeline")
    return Exported(folder=folder, card=card, pipeline=pipeline)


def check_features(frame: pd.DataFrame, card: dict[str, Any], where: str) -> pd.DataFrame:
    """The model's feature columns from ``frame``, typed as in training.

    Raises
    ------
    DataError
        One message naming every missing column and every numeric column
        holding text.
    """
    numeric, categorical = card["data"]["numeric"], card["data"]["categorical"]
    documents = list(card["data"].get("text") or [])
    missing = [c for c in [*numeric, *categorical, *documents] if c not in frame.columns]
    problems = []
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''} "
                        + ", ".join(repr(c) for c in missing))
    out: dict[str, pd.Series] = {}
    wrong = []
    for col in numeric:
        if col in missing:
            continue
        series = frame[col]
        if pd.api.types.is_bool_dtype(series) or not (
                pd.api.types.is_numeric_dtype(series) or series.dtype == object
                or pd.api.types.is_string_dtype(series)):
            wrong.append(f"{col!r} (type {series.dtype})")
            continue
        values = pd.to_numeric(series, errors="coerce")
        bad = values.isna() & series.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            wrong.append(f"{col!r} (row {row + 1} holds {series.iloc[row]!r})")
            continue
        out[col] = values.astype(float)
    if wrong:
        problems.append("numeric column" + ("s" if len(wrong) > 1 else "") + " with text: "
                        + ", ".join(wrong))
    if problems:
        raise DataError(f"{where}: " + "; ".join(problems))
    for col in categorical:
        out[col] = as_text(frame[col])
    columns = [*numeric, *categorical]
    if documents:
        name = text_feature_name(documents)
        out[name] = join_text(frame, documents, card["data"].get("text_weights") or {})
        columns.append(name)
    return pd.DataFrame(out, index=frame.index)[columns]


def _ids(frame: pd.DataFrame, card: dict[str, Any], id_column: str | None, where: str
         ) -> tuple[str, pd.Series]:
    if id_column is not None and id_column not in frame.columns:
        raise DataError(f"{where}: no id column {id_column!r}")
    column = id_column or card["data"].get("id_column")
    if column and column in frame.columns:
        return column, frame[column].astype(str).str.strip()
    return ROW_COLUMN, pd.Series(np.arange(1, len(frame) + 1).astype(str), index=frame.index)


@dataclass
class Prediction:
    """Predictions for a table, and what the user should know about them.

    Attributes
    ----------
    frame : DataFrame
        The id column (or ``row``), ``prediction`` and ``p_<class>`` per class.
    notes : list of str
        Unseen categories, ignored extra columns, repeated ids.
    """

    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def predict_frame(model: Exported, frame: pd.DataFrame, where: str = "data",
                  id_column: str | None = None, strict: bool = False) -> Prediction:
    """Predictions and class probabilities for a table, keeping its id column.

    Parameters
    ----------
    model : Exported
    frame : DataFrame
        Must hold the model's feature columns; other columns are ignored (with a note).
    where : str
        Named in errors.
    id_column : str, optional
        Column identifying rows (default: the training data's id column).
    strict : bool
        Refuse categories the model never saw (default: a note when they are on at
        least ``UNSEEN_NOTE_SHARE`` of the rows).

    Returns
    -------
    Prediction
        The id column (or ``row``, 1-based), ``prediction``, then ``p_<class>``
        per class; and notes.

    Raises
    ------
    DataError
        Missing feature columns, numbers that are text, or (``strict``) unseen categories.
    """
    features = check_features(frame, model.card, where)
    id_name, ids = _ids(frame, model.card, id_column, where)
    notes = check_unseen(features, model.pipeline, where, strict)
    # Columns the training data had (the target, those left out) are expected here.
    known = model.card["data"]
    used = {*known["numeric"], *known["categorical"], *(known.get("text") or []), id_name,
            known.get("target"), known.get("id_column"), *(known.get("left_out") or {})}
    extra = [c for c in frame.columns if c not in used]
    if extra:
        notes.append(f"{where}: ignored column{'s' if len(extra) > 1 else ''} the model does "
                     f"not use: {', '.join(repr(c) for c in extra[:5])}"
                     + (f" and {len(extra) - 5} more" if len(extra) > 5 else ""))
    repeated = ids[ids.duplicated()]
    if id_name != ROW_COLUMN and not repeated.empty:
        notes.append(f"{where}: id column {id_name!r} repeats {repeated.nunique()} value"
                     f"{'s' if repeated.nunique() > 1 else ''} (first {repeated.iloc[0]!r}); "
                     "every row is predicted, so those ids appear more than once")
    proba = model.pipeline.predict_proba(features)
    out = pd.DataFrame({id_name: ids.to_numpy(),
                        "prediction": model.pipeline.predict(features).astype(str)})
    for k, c in enumerate(model.classes):
        out[f"p_{c}"] = proba[:, k]
    return Prediction(frame=out, notes=notes)


def rounded_predictions(frame: pd.DataFrame) -> pd.DataFrame:
    """A predictions table as ``alearn predict`` writes it: the ``p_<class>`` columns
    rounded to :data:`PROBABILITY_DECIMALS` decimals, every other column as is."""
    shown = frame.copy()
    for column in shown.columns[2:]:  # the id column and prediction come first
        shown[column] = shown[column].round(PROBABILITY_DECIMALS) + 0.0  # never -0.0
    return shown


def predictions_csv(frame: pd.DataFrame) -> str:
    """:func:`rounded_predictions` as CSV text (what ``alearn predict`` prints)."""
    return rounded_predictions(frame).to_csv(index=False, lineterminator="\n")


@dataclass
class RowExplanation:
    """Why one row got its prediction.

    Attributes
    ----------
    row : str
        The row's id (or 1-based number).
    prediction : str
    proba : dict
        Class -> probability.
    kind : {"path", "contributions", "neighbours"}
    path : list of (str, str)
        Tree: each condition of the row's rule, with the row's value of its column.
    rule : int or None
        Tree: the number of the rule in ``rules.md`` that holds for the row.
    contributions : Contributions or None
        Logistic regression / naive Bayes: per-column pushes.
    neighbours : list of (int, int, str, float, str)
        Nearest labeled rows (``knn``): number in ``rules.md``, row of the
        training data, class, nearness, values.
    nearness : str
        ``"similarity"`` (cosine) or ``"distance"``.
    values : dict
        The row's original feature values (as text).
    unseen : list of str
        Categorical columns whose value in this row was never seen in training:
        no rule or weight of the model describes that value.
    """

    row: str
    prediction: str
    proba: dict[str, float]
    kind: str
    path: list[tuple[str, str]] = field(default_factory=list)
    rule: int | None = None
    contributions: Any = None
    neighbours: list[tuple[int, int, str, float, str]] = field(default_factory=list)
    nearness: str = ""
    values: dict[str, str] = field(default_factory=dict)
    unseen: list[str] = field(default_factory=list)


def _shown(value: Any, missing: str = "missing") -> str:
    return missing if value is None or (isinstance(value, float) and np.isnan(value)) \
        else str(value)


# How each imputer strategy of the pipeline's preprocessor chooses its fill (over the
# data the model was built from, as rules.md says).
_FILLED_WITH = {"median": "the median", "most_frequent": "the most frequent",
                "constant": "a fixed fill"}


def missing_counts_as(pre: Any) -> dict[str, str]:
    """Per feature column, what a missing cell counts as, in words: the value the
    fitted preprocessor's imputer puts in its place and how it chose it.

    Parameters
    ----------
    pre : ColumnTransformer
        The fitted preprocessor (the pipeline's first step).

    Returns
    -------
    dict
        Column -> e.g. ``"missing, counts as 46.5 (the median)"``;
        columns without an imputer (text) are left out.
    """
    out: dict[str, str] = {}
    for _, part, columns in pre.transformers_:
        imputer = part.steps[0][1] if hasattr(part, "steps") else None
        if not isinstance(imputer, SimpleImputer):
            continue
        for column, fill in zip(columns, imputer.statistics_, strict=True):
            shown = (json.dumps(fill, ensure_ascii=False) if isinstance(fill, str)
                     else format_value(float(fill)))
            how = _FILLED_WITH.get(str(imputer.strategy), "the model's fill")
            out[str(column)] = f"missing, counts as {shown} ({how})"
    return out


def _marked(values: dict[str, str], unseen: list[str]) -> dict[str, str]:
    """The row's values, an unseen category marked so no table reads as describing it."""
    return {c: f"{v} (never seen in training)" if c in unseen else v for c, v in values.items()}


def explain_row(folder: str | Path, row: str, data: str | Path, trust: bool = False,
                id_column: str | None = None) -> RowExplanation:
    """Explain the prediction for one row of a data file.

    Parameters
    ----------
    folder : str or Path
        Export folder.
    row : str
        A value of the data's id column, or a 1-based row number when the data
        has no id column.
    data : str or Path
        The data file holding the row.
    trust : bool
        Allow a joblib model file.
    id_column : str, optional
        Column identifying rows (default: the training data's id column).

    Returns
    -------
    RowExplanation
    """

    model = load_export(folder, trust=trust)
    frame = read_table(data)
    features = check_features(frame, model.card, str(data))
    id_name, ids = _ids(frame, model.card, id_column, str(data))
    hits = np.flatnonzero(ids.to_numpy() == str(row).strip())
    if hits.size == 0:
        known = (f"row numbers 1..{len(frame)}" if id_name == ROW_COLUMN
                 else f"values of the id column {id_name!r}")
        raise ConfigError(f"{data}: no row {row!r}; --row takes {known}")
    one = features.iloc[[int(hits[0])]]
    pipeline = model.pipeline
    spec = model_of(pipeline[-1])
    if spec is None:
        raise ModelFileError(f"{model.folder}: {type(pipeline[-1]).__name__} is not a model "
                             "alearn exports")
    proba = dict(zip(model.classes, (float(p) for p in pipeline.predict_proba(one)[0]),
                     strict=True))
    prediction = str(pipeline.predict(one)[0])
    unseen = [c for c, mask in unseen_values(one, pipeline).items() if bool(mask.iloc[0])]
    missing = missing_counts_as(pipeline[0])
    values = _marked({c: _shown(one.iloc[0][c], missing.get(c, "missing")) for c in one.columns},
                     unseen)
    # The row's explanation is the model's own: a tree's rule, or per-column pushes.
    reading = spec.explain(Row(pipeline=pipeline, z=pipeline[0].transform(one), values=values,
                               rules=model.rules, folder=model.folder))
    return RowExplanation(row=str(row), prediction=prediction, proba=proba, kind=reading.kind,
                          path=reading.path, rule=reading.rule,
                          contributions=reading.contributions,
                          neighbours=reading.neighbours, nearness=reading.nearness,
                          values=values, unseen=unseen)
