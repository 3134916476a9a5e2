"""A big CSV file's columns of numbers are held as float64 without their text
(alearn.data.numbertext), and nothing alearn records or shows changes: the same
row ids, features, digests, fields on screen and cells as read as when every
cell is read as text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from conftest import SHARED

import alearn.data.delimited as delimited
from alearn.data.datachange import RowDigests, digest_columns
from alearn.data.dataset import cells_as_read, goal_values, load_dataset
from alearn.data.numbertext import number_text, written_numbers
from alearn.data.rowid import detect_id, with_id
from alearn.data.rowkeys import content_ids
from alearn.session.views import RowReader
from alearn.tasks import load_task


def _both(path, monkeypatch, **changes):
    """The dataset read with columns of numbers held as numbers (blocks of 4 KB, so
    columns are joined and some turn to text after their first blocks), and as text."""
    task = load_task(path)
    if changes:
        import dataclasses

        task = dataclasses.replace(task, **changes)
    monkeypatch.setattr(delimited, "FAST_CSV_BYTES", 0)
    monkeypatch.setattr(delimited, "BLOCK_BYTES", 4096)
    lean = load_dataset(task, require_target=False)
    monkeypatch.setattr(delimited, "FAST_CSV_BYTES", 1 << 62)
    text = load_dataset(task, require_target=False)
    return lean, text


def _same(lean, text):
    assert not text.written
    assert list(lean.ids) == list(text.ids)
    pd.testing.assert_frame_equal(lean.features, text.features, check_exact=True)
    assert (lean.numeric, lean.categorical, lean.text, lean.dropped) == \
        (text.numeric, text.categorical, text.text, text.dropped)
    if text.labels is not None:
        assert list(pd.Series(lean.labels).fillna("?")) == \
            list(pd.Series(text.labels).fillna("?"))
    pd.testing.assert_frame_equal(cells_as_read(lean), text.table, check_exact=True)
    columns = digest_columns(None, text)
    assert digest_columns(None, lean) == columns
    digest_lean, digest_text = RowDigests(lean, columns), RowDigests(text, columns)
    reader_lean, reader_text = RowReader(lean, set()), RowReader(text, set())
    rows = range(0, len(text.ids), max(1, len(text.ids) // 97))
    assert [digest_lean(r) for r in rows] == [digest_text(r) for r in rows]
    assert [reader_lean.fields(r) for r in rows] == [reader_text.fields(r) for r in rows]
    legacy = [content_ids(d.table.drop(columns=[d.target] if d.target else []),
                          legacy=True, written=d.written) for d in (lean, text)]
    assert list(legacy[0]) == list(legacy[1])
    if text.goals:
        assert np.array_equal(goal_values(lean), goal_values(text), equal_nan=True)


# The development files the fast reader reads (the others have spaces after their
# commas, which pandas' reader skips: they are read as text, as before).
MOOT = [p for p in sorted((SHARED / "classify").glob("*.csv"))
        + sorted((SHARED / "optimize").glob("*/*.csv"))[::3] if delimited._plain_csv(p, ",")]


@pytest.mark.skipif(not MOOT, reason="../shared/moot is not beside the repository")
@pytest.mark.parametrize("path", MOOT, ids=lambda p: p.stem)
def test_moot_files_load_the_same_with_their_numbers_held_as_numbers(path, monkeypatch):
    lean, text = _both(path, monkeypatch)
    _same(lean, text)


def _tricky(tmp_path, rows=3000):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({
        "record_id": rng.permutation(np.arange(10_000, 10_000 + 3 * rows, 3))[:rows],
        "counter": np.arange(1, rows + 1),
        "x": rng.normal(size=rows) * 10.0 ** rng.integers(-6, 11, size=rows),
        "whole": rng.integers(-50, 50, size=rows),
        "padded": [f"{v:.2f}" for v in rng.normal(size=rows)],  # 1.50: kept as text
        "late_word": rng.normal(size=rows).round(3).astype(str),
        "gappy": np.where(rng.random(rows) < 0.2, "?", rng.normal(size=rows).astype(str)),
        "label": rng.choice(["yes", "no"], size=rows),
    })
    frame.loc[rows - 5, "late_word"] = "n/k"  # a word after many blocks of numbers
    path = tmp_path / "tricky.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_file_of_every_kind_of_number_loads_the_same(tmp_path, monkeypatch):
    path = _tricky(tmp_path)
    lean, text = _both(path, monkeypatch, target="label")
    assert set(lean.written) == {"record_id", "x", "whole", "gappy"}
    assert lean.table["late_word"].dtype != np.float64  # its word made it text again
    assert lean.dropped["counter"] == "a row counter"
    _same(lean, text)
    # The id a new store would take is found, and named by the same cells.
    exclude = {lean.target}
    assert detect_id(lean.table, exclude, lean.written) == \
        detect_id(text.table, exclude) == "record_id"
    by_id = [with_id(d, "record_id") for d in (lean, text)]
    assert list(by_id[0].ids) == list(by_id[1].ids)
    assert "record_id" not in by_id[0].written
    _same(by_id[0], by_id[1])


def test_moot_lower_case_and_declared_categories_stay_text(tmp_path, monkeypatch):
    rows = 2000
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"Size": rng.normal(size=rows), "level": rng.integers(0, 4, rows),
                          "Grade": rng.integers(0, 3, rows), "class!": rng.choice(["a", "b"],
                                                                                 rows)})
    path = tmp_path / "moot.csv"
    frame.to_csv(path, index=False)
    lean, text = _both(path, monkeypatch, categorical=("Grade",))
    assert lean.written == ("Size",)
    assert lean.categorical == ["level", "Grade"]
    _same(lean, text)


@pytest.mark.parametrize("cells, numbers", [
    (["1.5", "2", None, "0.1", "-3"], [1.5, 2, np.nan, 0.1, -3]),
    (["1e-05", "1e+16", "1000000000", "123456789.5"], [1e-5, 1e16, 1e9, 123456789.5]),
    (["1.50", "2"], None), (["007"], None), (["+3"], None), (["-0"], None),
    (["1e3"], None), (["0.00001"], None), (["10000000000000000"], None),
    (["inf", "1"], None), (["abc"], None), ([None, None], None), (["17.0"], None),
])
def test_a_column_is_held_as_numbers_only_when_its_text_comes_back(cells, numbers):
    column = pa.array(cells, pa.large_string())
    values = written_numbers(column)
    if numbers is None:
        assert values is None
    else:
        assert np.array_equal(values, np.array(numbers, dtype=float), equal_nan=True)
        assert number_text(values).equals(column)
