"""Parquet files: read a few columns at a time, their header peeked, a table written
(the format :mod:`alearn.data.formats` lists as ``parquet``).

Light on import: pandas and pyarrow load when a file is read or written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alearn.progress import Phase, Report

if TYPE_CHECKING:
    import pandas as pd

PARQUET_PART_BYTES = 1 << 26  # columns read together, decoded, at most about this much


def read_parquet(path: Path, progress: Report) -> pd.DataFrame:
    """A Parquet file as pandas reads it, a few columns at a time (each about
    :data:`PARQUET_PART_BYTES` decoded): Arrow's decoded columns are let go as each
    becomes pandas' own, one block a column (no copy of the whole file into one).
    A file whose index is stored as columns, or whose names repeat, is read whole."""
    import pandas as pd
    import pyarrow.parquet as pq

    convert = {"split_blocks": True, "self_destruct": True}
    found = pq.ParquetFile(path)
    names = found.schema_arrow.names
    stored = (found.schema_arrow.pandas_metadata or {}).get("index_columns") or []
    if len(set(names)) < len(names) or any(isinstance(c, str) for c in stored) \
            or found.metadata.num_row_groups == 0:
        return pd.read_parquet(path, to_pandas_kwargs=convert)
    meta = found.metadata
    sizes = [sum(meta.row_group(g).column(k).total_uncompressed_size
                 for g in range(meta.num_row_groups)) for k in range(len(names))]
    parts, part, held, done = [], [], 0, 0
    for name, size in zip(names, sizes, strict=True):
        if part and held + size > PARQUET_PART_BYTES:
            parts.append(part)
            part, held = [], 0
        part.append(name)
        held += size
    parts.append(part)
    frames = []
    for columns in parts:
        frames.append(pd.read_parquet(path, columns=columns, to_pandas_kwargs=convert))
        done += len(columns)
        progress(Phase(f"reading {path.name}", done, len(names), "columns"))
    return frames[0] if len(frames) == 1 else pd.concat(frames, axis=1)


def parquet_header(path: Path) -> list[object]:
    """The file's column names, from its schema alone."""
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as a Parquet file, without its index."""
    import pandas as pd

    # Arrow wants one type a column; a field holding numbers and words (from a JSON
    # file, say) is written as text, as a CSV would hold it.
    mixed = [c for c in frame.columns if frame[c].dtype == object and
             pd.api.types.infer_dtype(frame[c], skipna=True).startswith("mixed")]
    if mixed:
        frame = frame.assign(**{str(c): frame[c].map(lambda v: v if pd.isna(v) else str(v))
                                for c in mixed})
    frame.to_parquet(path, index=False)
