"""The fast CSV reader (pyarrow, for big plain files) reads exactly what pandas reads,
and the vectorised content hashes are pandas' own numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import alearn.data.delimited as delimited
from alearn.data.cells import plain_numbers
from alearn.data.numbertext import written_text
from alearn.data.rowkeys import content_ids, row_hashes, text_hashes
from alearn.data.tables import read_table
from alearn.errors import DataError
from alearn.progress import silent


def pandas_read(path):
    """What :func:`read_table` read before the fast reader (pandas' C reader)."""
    frame = pd.read_csv(path, dtype=str, na_values=["?"], skipinitialspace=True,
                        encoding="utf-8", encoding_errors="strict")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


TOKENS = st.sampled_from(["1", "2.5", "-0", "a", "b c", "NA", "?", "", " ", '"', '"x"',
                          "\r", "é", "nan", "None", "\t", "-1.#IND", "<NA>", "1e5"])
FIELD = st.lists(TOKENS, max_size=3).map("".join)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(["c0", "c1", "x y", "é", "Size"]), min_size=1,
                      max_size=3, unique=True),
       rows=st.lists(st.lists(FIELD, min_size=1, max_size=4), min_size=1, max_size=5),
       eol=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans())
def test_fast_reader_reads_what_pandas_reads(tmp_path, monkeypatch, names, rows, eol, bom):
    monkeypatch.setattr(delimited, "FAST_CSV_BYTES", 0)
    text = ",".join(names) + eol + "".join(",".join(r) + eol for r in rows)
    path = tmp_path / "t.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    read = delimited.read_fast(path, ",", len(names), silent)
    if read is None:
        return  # pandas reads it (quotes, skipped spaces, blank lines, ragged rows)
    fast, written = read
    ref = pandas_read(path)
    assert fast.shape == ref.shape
    for k, column in enumerate(ref.columns):
        cells = fast[k]
        if k in written:  # numbers written as their own text: that text, and its hashes
            assert cells.dtype == np.float64
            cells = written_text(cells)
            assert np.array_equal(written[k], text_hashes(pa.array(ref[column].array)))
        assert cells.dtype == ref[column].dtype
        assert cells.isna().tolist() == ref[column].isna().tolist()
        assert cells.fillna("").tolist() == ref[column].fillna("").tolist()


def test_a_big_plain_file_is_read_fast_and_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "FAST_CSV_BYTES", 0)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(500, 3)), columns=["a", "b", "c"])
    frame["d"] = np.where(rng.random(500) < 0.1, "?", "w")
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    _, written = delimited.read_fast(path, ",", 4, silent)
    assert sorted(written) == [0, 1, 2]  # the numbers pandas wrote, as numbers
    pd.testing.assert_frame_equal(read_table(path), pandas_read(path))
    phases = []
    read_table(path, progress=phases.append)
    assert phases[0].name == "reading big.csv" and phases[-1].done == phases[-1].total


@pytest.mark.parametrize("body, expected", [
    (b"a,b\n1,2\n3,4,5\n", "cannot read as csv"),  # ragged: pandas' reader names it
    (b"a,b\n1,caf\xe9\n", "not UTF-8 text (line 2"),
])
def test_files_pyarrow_refuses_get_pandas_message(tmp_path, monkeypatch, body, expected):
    monkeypatch.setattr(delimited, "FAST_CSV_BYTES", 0)
    path = tmp_path / "bad.csv"
    path.write_bytes(body)
    with pytest.raises(DataError, match=expected.replace("(", r"\(")):
        read_table(path)


def test_row_hashes_are_pandas_numbers():
    frame = pd.DataFrame({"a": pd.array(["x", None, "y", "x", "é"], dtype="str"),
                          "b": [1.5, np.nan, 2.0, 1.5, 4.0],
                          "c": pd.Series(["p", np.nan, 3, "p", None], dtype=object)})
    for part in (frame.astype(str), frame[["a"]].astype(str), frame, frame[[]]):
        expected = pd.util.hash_pandas_object(part, index=False).to_numpy()
        assert np.array_equal(row_hashes(part), expected)


def test_content_ids_number_repeats():
    frame = pd.DataFrame({"a": ["1", "2", "1", "1"], "b": ["x", "y", "x", "x"]}).astype(str)
    ids = content_ids(frame)
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    assert ids[0] == f"{int(hashes[0]):016x}" and ids[1] == f"{int(hashes[1]):016x}"
    assert ids[2] == ids[0] + "-2" and ids[3] == ids[0] + "-3"


@pytest.mark.parametrize("cells, plain", [
    (["1", "2.5", None, "1e3"], True),
    (["1", "-0", "2"], False),  # pandas reads "-0" as the integer 0: its own path
    (["1", "NAN", "2"], False),  # a present cell that is not a number
    (["1", "x"], False),
])
def test_plain_numbers_match_to_numeric(cells, plain):
    series = pd.Series(pd.array(cells, dtype="str"))
    got = plain_numbers(series)
    assert (got is not None) == plain
    if plain:
        expected = pd.to_numeric(series, errors="coerce").astype(float).to_numpy()
        assert np.array_equal(got, expected, equal_nan=True)
