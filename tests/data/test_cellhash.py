"""Text cells hashed from Arrow buffers give pandas' numbers (row content ids)."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from alearn.data.cellhash import VECTOR_BYTES, hash_text_column
from alearn.data.rowkeys import _content_cells, content_ids, row_hashes


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


def test_float_cells_read_as_python_writes_them():
    from alearn.data.rowkeys import cell_text

    rng = np.random.default_rng(2)
    values = np.concatenate([
        rng.normal(size=20_000) * 10.0 ** rng.integers(-12, 22, size=20_000),
        rng.integers(0, 2**62, size=20_000, dtype=np.int64).view(np.float64),  # any bits
        [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-4, 9.999999e-5, 1e9, 999999999.5, 2.0**53,
         0.1, 1 / 3, 5e-324, 1.7976931348623157e308]])
    floats32 = np.float32(0.1) * np.arange(len(values), dtype=np.float32)
    frame = pd.DataFrame({"v": values, "w": floats32})
    text = cell_text(frame)
    # Python's str of each float, whole numbers as integers; NaN stays missing.
    expected = [None if np.isnan(v) else str(int(v)) if np.isfinite(v) and v == np.floor(v)
                and abs(v) < 2.0**53 else str(float(v)) for v in values]
    assert text["v"].to_numpy(dtype=object, na_value=None).tolist() == expected
    assert text.dtypes.tolist() == frame.astype(str).dtypes.tolist()


def test_hashes_past_one_vector_step_and_in_a_sliced_chunk():
    from alearn.data.cellhash import CHUNK

    rng = np.random.default_rng(3)
    # Numbers as a CSV holds them (1 to 3 blocks), more cells than one vector step.
    cells = [f"{v:.{d}g}" for v, d in zip(rng.normal(size=CHUNK + 5000) * 1e3,
                                           rng.integers(1, 18, size=CHUNK + 5000), strict=True)]
    cells[CHUNK - 1] = None
    expected = pd.util.hash_array(np.array([c or "" for c in cells], dtype=object),
                                  categorize=False)
    hashed, missing = hash_text_column(pa.array(cells, pa.large_string()).slice(3))
    assert np.array_equal(hashed[~missing], expected[3:][~missing])
    assert missing.tolist() == [c is None for c in cells[3:]]


def test_content_ids_are_the_hashes_in_hex_with_repeats_counted():
    frame = pd.DataFrame({"a": pd.array(["1", "2", "1", None, "2", "1", "x"], dtype="str"),
                          "b": pd.array(["p", "q", "p", "r", "q", "p", None], dtype="str")})
    hashes = pd.util.hash_pandas_object(frame.astype(object), index=False).to_numpy()
    seen: dict[int, int] = {}
    expected = []
    for h in hashes:
        seen[h] = seen.get(h, 0) + 1
        expected.append(f"{h:016x}" + (f"-{seen[h]}" if seen[h] > 1 else ""))
    ids = content_ids(frame)
    assert ids.dtype == object and all(type(i) is str for i in ids)
    assert list(ids) == expected and expected[5].endswith("-3")
    assert list(content_ids(frame.iloc[[0, 1, 3]])) == [expected[i] for i in (0, 1, 3)]
    assert len(content_ids(frame.iloc[:0])) == 0


def test_float_columns_hashed_as_their_text():
    """A float column's cells are hashed without a column of their text: the ids are
    those of the text :func:`cell_text` reads (whole numbers, exponents, NaN, inf)."""
    from alearn.data.rowkeys import cell_text

    rng = np.random.default_rng(4)
    values = np.concatenate([
        rng.normal(size=5000) * 10.0 ** rng.integers(-12, 22, size=5000),
        rng.integers(0, 2**62, size=2000, dtype=np.int64).view(np.float64),
        np.round(rng.normal(size=1000) * 100),
        [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-4, 9.999999e-5, 1e9, 2.0**53, 5e-324]])
    frame = pd.DataFrame({"v": values, "w": rng.permutation(values), "k": "a"})
    text = cell_text(frame).astype(object)
    assert np.array_equal(row_hashes(frame, _content_cells), row_hashes(text))
    assert list(content_ids(frame)) == list(content_ids(text.astype("str")))


def test_a_long_chunk_is_hashed_in_slices(monkeypatch):
    import alearn.data.cellhash as cellhash

    cells = _cells() * 3
    expected = pd.util.hash_array(np.array(cells, dtype=object), categorize=False)
    monkeypatch.setattr(cellhash, "SLICE", 37)  # many slices, one ending inside a chunk
    hashed, _ = hash_text_column(pa.chunked_array([pa.array(cells[:500]), pa.array(cells[500:])]))
    assert np.array_equal(hashed, expected)
