"""Row ids of big files come from the fast paths (text hashed from Arrow buffers,
floats cast by pyarrow) and are byte for byte the ids stores were written with."""

import io

import numpy as np
import pandas as pd
import pytest

from alearn.commands import open_label_session
from alearn.data.cellhash import CHUNK

ROWS = CHUNK + 5_000  # past one vector window of cells


def reference_ids(frame: pd.DataFrame) -> list[str]:
    """Content ids as the release before the fast paths made them: every cell
    through ``astype(str)`` (whole floats as integers), pandas' own hash."""
    text = frame.astype(str)
    for name in frame.columns:
        if frame[name].dtype == np.float64:
            values = frame[name].to_numpy()
            with np.errstate(invalid="ignore"):
                whole = np.isfinite(values) & (np.floor(values) == values) & \
                    (np.abs(values) < 2.0**53)
            cells = text[name].to_numpy(dtype=object, na_value=np.nan)
            cells[whole] = values[whole].astype(np.int64).astype(str)
            text[name] = pd.Series(cells, dtype="str")
    hashes = pd.util.hash_pandas_object(text, index=False).to_numpy()
    seen: dict[int, int] = {}
    out = []
    for h in hashes:
        seen[h] = seen.get(h, 0) + 1
        out.append(f"{int(h):016x}" + (f"-{seen[h]}" if seen[h] > 1 else ""))
    return out


def spread_of_floats(rng: np.random.Generator, n: int) -> np.ndarray:
    """Floats of every magnitude, whole ones, repeats, zeros and gaps."""
    values = rng.normal(size=n) * 10.0 ** rng.integers(-8, 20, size=n)
    values[::9] = np.round(values[::9])
    values[::13] = np.nan
    values[1:43:3] = [0.0, -0.0, 1e-4, 9.99e8, 1e9, 7.0, -3.25, 0.1, 1e16, 123.5,
                      2.0**53, -1e-5, 5e-324, 1.5e30]
    return values


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_big_file_ids_are_the_stored_ids(tmp_path, cli, suffix):
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"a": spread_of_floats(rng, ROWS),
                          "b": rng.normal(size=ROWS),
                          "c": rng.integers(0, 3, size=ROWS).astype(float)})
    frame.iloc[100] = frame.iloc[50]  # a repeated record: its id gets "-2"
    path = tmp_path / f"pool.{suffix}"
    if suffix == "parquet":
        frame.to_parquet(path, index=False)
        expected = reference_ids(frame)
    else:
        frame.to_csv(path, index=False)
        expected = reference_ids(pd.read_csv(path, dtype=str))
    assert expected[100] == expected[50] + "-2"
    store = tmp_path / "s.db"
    args = ("label", path, "--target", "label", "--classes", "x,y", "--store", store)
    assert cli(*args, stdin="x\ny\nx\n").code == 0
    first = pd.read_csv(io.StringIO(cli("labels", store).out), dtype=str)
    assert len(first) == 3 and set(first["id"]) <= set(expected)
    # Resumed: the three stored rows are found again, and a fourth is added.
    assert cli(*args, stdin="y\n").code == 0
    again = pd.read_csv(io.StringIO(cli("labels", store).out), dtype=str)
    assert len(again) == 4 and set(first["id"]) < set(again["id"]) <= set(expected)
    # Every row's id, not only the labeled ones.
    with open_label_session(path, target="label", classes="x,y", store=store) as session:
        assert list(session.ids) == expected
