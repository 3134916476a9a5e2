"""Data files as people have them, through the command: any separator, decimal commas,
Excel, compressed files, JSON arrays, repeated column names, folders of bare files, and
outputs in the format their suffix names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SHARED, blobs_frame

from alearn.journal.labels import current_labels

Writer = Callable[[pd.DataFrame, Path], None]


def _pool(n: int = 40) -> pd.DataFrame:
    """An unlabeled pool: a numeric column with decimals, a word column, an empty label."""
    rng = np.random.default_rng(3)
    y = rng.integers(2, size=n)
    return pd.DataFrame({"Size": (rng.normal(size=n) + 3 * y).round(2),
                         "colour": np.array(["red", "blue"])[y], "label": [None] * n})


@pytest.mark.parametrize("name, write", [
    ("tabs.csv", lambda f, p: f.to_csv(p, sep="\t", index=False)),
    ("semi.csv", lambda f, p: f.to_csv(p, sep=";", decimal=",", index=False)),
    ("book.xlsx", lambda f, p: f.to_excel(p, index=False)),
    ("pool.csv.gz", lambda f, p: f.to_csv(p, index=False)),
    ("array.json", lambda f, p: f.to_json(p, orient="records")),
])
def test_label_reads_the_file_as_its_columns(cli, tmp_path, name, write):
    path = tmp_path / name
    write(_pool(), path)
    store = tmp_path / "s.db"
    done = cli("label", path, "--target", "label", "--classes", "no,yes", "--budget", "3",
               "--store", store, stdin="no\nyes\nno\n")
    assert done.code == 0, done.err
    # Each row shows its two fields, the number read as a number (not '2,5', not a
    # tab-joined line of every cell).
    sizes = {f"{v:g}" for v in _pool()["Size"]}
    shown = [line.split() for line in done.out.splitlines() if line.startswith(" Size ")]
    assert len(shown) == 3 and all(len(s) == 2 and s[1] in sizes for s in shown)
    assert sum(line.startswith(" colour ") for line in done.out.splitlines()) == 3
    assert len(current_labels(store)) == 3
    if name == "semi.csv":
        said = " ".join((done.out + done.err).split())  # lines wrapped at the width
        assert "columns separated by semicolons (';'); decimal commas read as points in " \
               "'Size'" in said


def _shared_task(tmp_path: Path, file: str, **keys: str) -> Path:
    data = SHARED / "classify" / file
    if not data.is_file():
        pytest.skip(f"{data} is not here")
    folder = tmp_path / data.stem
    folder.mkdir()
    extra = "".join(f"{k} = {v}\n" for k, v in keys.items())
    (folder / "task.toml").write_text(f'data = "{data}"\nbudgets = [4, 8]\nseeds = 1\n'
                                      f'strategies = ["margin", "random"]\n{extra}')
    return folder


def test_run_loads_moot_files_with_repeated_column_names(cli, tmp_path):
    # hypothyroid repeats 'on' and 'query'; COMPAS53 repeats 'decile_score'.
    hypo = _shared_task(tmp_path, "hypothyroid.csv",
                        features='{ exclude = ["query.3"] }')
    compas = _shared_task(tmp_path, "COMPAS53.csv")
    done = cli("run", hypo, compas, "--out", tmp_path / "o")
    assert done.code == 0, done.err
    said = " ".join((done.out + done.err).split())
    assert "'on' -> 'on.2'; 'query' -> 'query.2', 'query.3'" in said
    assert "'decile_score' -> 'decile_score.2'" in said
    assert "column 'query.3' left out (excluded in task.toml)" in said
    results = pd.read_csv(tmp_path / "o" / "results.csv")
    assert set(results["task"]) == {"hypothyroid", "COMPAS53"}


def test_run_on_a_folder_of_bare_data_files(cli, tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    blobs_frame(seed=1).to_csv(folder / "alpha.csv", index=False)
    blobs_frame(seed=2).to_csv(folder / "beta.csv.gz", index=False)
    blobs_frame(seed=3).to_csv(folder / "gamma.tsv", sep="\t", index=False)
    (folder / "README.md").write_text("not data\n")
    done = cli("run", folder, "--seeds", "1", "--out", tmp_path / "o")
    assert done.code == 0, done.err
    results = pd.read_csv(tmp_path / "o" / "results.csv")
    assert sorted(set(results["task"])) == ["alpha", "beta", "gamma"]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("x")
    refused = cli("run", empty, "--out", tmp_path / "o2")
    assert refused.code == 2 and "no task.toml here or in its sub-folders, and no data " \
        "file" in refused.err


@pytest.fixture
def labeled(cli, tmp_path: Path) -> tuple[Path, Path]:
    """A store with six labels of a pool, and a model exported from it."""
    pool = tmp_path / "pool.csv"
    frame = _pool()
    frame.to_csv(pool, index=False)
    store = tmp_path / "s.db"
    answers = "".join("yes\n" if s > 1.5 else "no\n" for s in frame["Size"])
    done = cli("label", pool, "--target", "label", "--classes", "no,yes", "--budget", "6",
               "--store", store, stdin=answers)
    assert done.code == 0, done.err
    model = tmp_path / "model"
    assert cli("export", store, "--out", model).code == 0
    return store, model


def test_predict_and_labels_write_the_format_their_suffix_names(cli, tmp_path, labeled):
    store, model = labeled
    parquet = tmp_path / "p.parquet"
    assert cli("predict", model, tmp_path / "pool.csv", "--out", parquet).code == 0
    predicted = pd.read_parquet(parquet)
    assert len(predicted) == 40 and {"prediction", "p_no", "p_yes"} <= set(predicted.columns)
    assert cli("predict", model, tmp_path / "pool.csv", "--out", tmp_path / "p.csv").code == 0
    pd.testing.assert_frame_equal(predicted.astype(str),
                                  pd.read_csv(tmp_path / "p.csv").astype(str))

    for name, read in [("x.xlsx", pd.read_excel), ("x.csv.gz", pd.read_csv),
                       ("x.json", pd.read_json),
                       ("x.jsonl", lambda p: pd.read_json(p, lines=True))]:
        done = cli("labels", store, "--fields", "Size", "--out", tmp_path / name)
        assert done.code == 0, done.err
        back = read(tmp_path / name)
        assert list(back.columns) == ["id", "label", "annotator", "time", "Size"]
        assert back["label"].tolist() == current_labels(store)["label"].tolist()
    assert (tmp_path / "x.csv.gz").read_bytes()[:2] == b"\x1f\x8b"  # gzip's magic


def test_every_output_format_is_the_same_bytes_on_every_run(cli, tmp_path):
    """Same command, same bytes: no time in a gzip header or a workbook, a zip entry
    named as the output (not a temporary file); a field of numbers and words (JSON)
    is written to Parquet as text."""
    import json
    import time

    rows = [{"ticket": f"t{i}", "size": i * 1.5, "ref": i if i % 2 else f"s{i}"}
            for i in range(12)]
    data = tmp_path / "t.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert cli("label", data, "--target", "label", "--id", "ticket", cwd=tmp_path,
               stdin="a\nb\na\nq\n").code == 0
    store = tmp_path / "t.labels.db"
    suffixes = ("csv.gz", "csv.zip", "tsv.bz2", "jsonl.xz", "json", "xlsx", "parquet")

    def write_all() -> dict[str, bytes]:
        out = {}
        for suffix in suffixes:
            path = tmp_path / f"labels.{suffix}"
            done = cli("labels", store, "--fields", "ref", "--out", path, cwd=tmp_path)
            assert done.code == 0, (suffix, done.err)
            out[suffix] = path.read_bytes()
        return out

    first = write_all()
    second = int(time.time()) + 1
    while time.time() < second:  # until the clock shows another second: what a stamp shows
        time.sleep(0.05)
    assert write_all() == first
    import zipfile

    assert zipfile.ZipFile(tmp_path / "labels.csv.zip").namelist() == ["labels.csv"]
    back = pd.read_parquet(tmp_path / "labels.parquet")
    assert len(back) == 3 and all(isinstance(v, str) for v in back["ref"])
