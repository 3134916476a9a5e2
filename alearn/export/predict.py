"""What ``alearn predict`` and ``alearn explain`` do, on an exported model.

The export folder's ``card.json`` names the model file, its SHA-256 and the
feature columns with their types; new data is checked against them before
anything is predicted (:mod:`alearn.export.prediction`). These entry points
check the folder first and load pandas and the model code only then, so a
wrong path is refused at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alearn.data.formats import output_format
from alearn.errors import ConfigError
from alearn.export.cardformat import read_card
from alearn.files import check_output_file, write_atomic

if TYPE_CHECKING:
    import pandas as pd

    from alearn.export.prediction import Prediction, RowExplanation


def predict_data(folder: str | Path, data: str | Path, trust: bool = False,
                 id_column: str | None = None, out: str | Path | None = None,
                 strict: bool = False) -> Prediction:
    """What ``alearn predict`` does: load an export folder, predict every row of a file.

    Parameters
    ----------
    folder : path
        Written by ``alearn export``.
    data : path
        A data file (:mod:`alearn.data.formats`).
    trust : bool
        Allow a joblib model file.
    id_column : str, optional
        Column identifying rows.
    out : path, optional
        Also write the predictions there (atomically), in the format its suffix
        names (:func:`alearn.data.formats.output_format`); checked first.
    strict : bool
        Refuse categories never seen in training.

    Returns
    -------
    Prediction
    """
    # The output's format is settled, and its folder checked, before anything is read.
    form, compression = output_format(Path(out) if out is not None else None)
    if out is not None:
        check_output_file(out, "--out")
    read_card(folder)  # a folder that is not an export is refused before pandas loads
    from alearn.data.tables import read_table
    from alearn.export.prediction import load_export, predict_frame, rounded_predictions

    model = load_export(folder, trust=trust)
    result = predict_frame(model, read_table(data), where=str(data), id_column=id_column,
                           strict=strict)
    if out is not None:
        write = form.write
        assert write is not None
        shown = rounded_predictions(result.frame)
        write_atomic(Path(out), lambda tmp: write(shown, tmp, compression))
    return result


def predict_file(folder: str | Path, data: str | Path, trust: bool = False,
                 id_column: str | None = None, out: str | Path | None = None,
                 strict: bool = False) -> pd.DataFrame:
    """:func:`predict_data`, returning only the predictions table.

    Returns
    -------
    DataFrame
        The id column (or ``row``), ``prediction`` and ``p_<class>`` per class.
    """
    return predict_data(folder, data, trust=trust, id_column=id_column, out=out,
                        strict=strict).frame


def explain(folder: str | Path, *, row: str | None = None, data: str | Path | None = None,
            id_column: str | None = None, trust: bool = False) -> str | RowExplanation:
    """What ``alearn explain`` shows: the model's rules, or why ``row`` of ``data``
    got its prediction.

    Returns
    -------
    str or RowExplanation
        ``rules.md`` as written (without ``row``), else the row's explanation.

    Raises
    ------
    ConfigError
        ``data`` without ``row`` or the other way round, or no such row.
    ModelFileError
    """
    if row is None and data is not None:
        raise ConfigError("--data is only used with --row ID")
    if row is not None and data is None:
        raise ConfigError("--row needs --data FILE, the data file holding that row")
    read_card(folder)  # a folder that is not an export is refused before pandas loads
    from alearn.export.prediction import explain_row, load_export

    if row is None:
        return load_export(folder, trust=trust).rules
    return explain_row(folder, row, data, trust=trust, id_column=id_column)
