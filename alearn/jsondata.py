"""Summary tables as JSON-ready rows (the bottom layer: no alearn imports)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def json_records(frame: pd.DataFrame) -> list[dict]:
    """A summary table as JSON-ready rows: plain ints, floats rounded to 6 places,
    NaN as ``None`` (every kind's summary writes its tables this way)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if np.isnan(value) else round(float(value), 6)
    return value
