"""Text cells hashed from Arrow buffers give pandas' numbers (row content ids)."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from alearn.data.cellhash import VECTOR_BYTES, hash_text_column
from alearn.data.rowkeys import content_ids, row_hashes


def _cells() -> list[str]:
    rng = np.random.default_rng(1)
    alphabet = list("ab0.-é漢😀 xyz,\"\n")
    # Every length up to past the vector limit (each byte count of the last block),
    # then free text: multi-byte characters put lengths in bytes off characters.
    lengths = [*range(VECTOR_BYTES + 20), 200, 1000]
    return ["".join(rng.choice(alphabet, size=n)) for n in lengths for _ in range(5)]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_hashes_are_pandas_numbers(kind):
    cells = _cells()
    expected = pd.util.hash_array(np.array(cells, dtype=object), categorize=False)
    chunked = pa.chunked_array([pa.array(cells[:150], kind), pa.array(cells[150:], kind)])
    hashed, missing = hash_text_column(chunked)
    assert np.array_equal(hashed, expected) and not missing.any()
    # A slice starts inside the buffers (Arrow's offset).
    hashed, _ = hash_text_column(pa.array(cells, kind).slice(7, 300))
    assert np.array_equal(hashed, expected[7:307])


def test_missing_cells_and_row_ids_match_the_object_path():
    cells = [*_cells(), None, ""]
    frame = pd.DataFrame({"a": pd.array(cells, dtype="str"),
                          "b": pd.array(cells[::-1], dtype="str")})
    objects = frame.astype(object)
    assert np.array_equal(row_hashes(frame),
                          pd.util.hash_pandas_object(objects, index=False).to_numpy())
    assert list(content_ids(frame)) == list(content_ids(objects.astype("string[python]")))
