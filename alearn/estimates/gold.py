"""True labels for measuring a labeling session (``alearn label --gold``).

Gold labels come from a column of the data or from a file. A file is matched
to the data by row identity, never by position: through the data's id column
when the task declares one, else by the content hash of each row, which works
when the file is a labeled copy of the data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alearn.data.cells import as_text
from alearn.data.dataset import Dataset
from alearn.data.rowkeys import content_ids
from alearn.data.tables import read_table
from alearn.errors import DataError
from alearn.seeds import Stream, stream
from alearn.spec import TaskSpec

# Gold rows a session measures its accuracy on, at most (a seeded sample past it).
GOLD_MAX_ROWS = 20_000


def gold_sample(gold: np.ndarray | None, seed: int, max_rows: int) -> np.ndarray:
    """The rows accuracy is measured on: those with a gold label, at most ``max_rows``
    of them (a sample drawn from the session's seed).

    Parameters
    ----------
    gold : ndarray of object or None
        True labels per row (NaN where unknown).
    seed : int
    max_rows : int

    Returns
    -------
    ndarray of int
        Row positions, sorted.
    """
    if gold is None:
        return np.empty(0, dtype=int)
    rows = np.flatnonzero([isinstance(v, str) for v in gold])
    if rows.size > max_rows:
        rng = stream(seed, Stream.GOLD)
        rows = np.sort(rng.choice(rows, size=max_rows, replace=False))
    return rows


def gold_labels(data: Dataset, gold: str, column: str | None, task: TaskSpec) -> np.ndarray:
    """True labels aligned with the data's rows (NaN where unknown).

    Parameters
    ----------
    data : Dataset
    gold : str
        The ``--gold`` value: a column name or a file path.
    column : str or None
        ``gold`` when it names a column of the data.
    task : TaskSpec

    Returns
    -------
    ndarray of object

    Raises
    ------
    DataError
        The file has no label column or cannot be matched to the data.
    """
    if column is not None:
        return as_text(data.table[column]).to_numpy(dtype=object)
    path = Path(gold)
    table = read_table(path)
    label_column = next((c for c in (data.target, task.target, "label") if c and c in table),
                        None)
    if label_column is None:
        raise DataError(f"{path}: no label column; expected {data.target or task.target!r} "
                        "or 'label'")
    # Ids match only when the task declares its id column: without one the data's
    # ids are content hashes, which a file's own ``id`` column never equals.
    id_column = task.id if task.id is not None and task.id in table else None
    if id_column is not None:
        ids = table[id_column].astype(str).str.strip().to_numpy(dtype=object)
    else:
        columns = [c for c in data.table.columns if c != data.target]
        missing = [c for c in columns if c not in table]
        if missing:
            raise DataError(f"{path}: cannot match gold rows to the data: no id column and "
                            f"column {missing[0]!r} is missing")
        ids = content_ids(table[columns], legacy=data.legacy_ids)
    values = as_text(table[label_column]).to_numpy(dtype=object)
    index = pd.Index(ids)
    if not index.is_unique:
        raise DataError(f"{path}: the gold ids repeat; each row may appear once")
    found = index.get_indexer(data.ids)
    out = np.full(len(data.ids), np.nan, dtype=object)
    hit = found >= 0
    if not hit.any():
        raise DataError(f"{path}: no gold row matches a row of the data (by "
                        f"{'id column ' + repr(id_column) if id_column else 'row content'})")
    out[hit] = values[found[hit]]
    return out
