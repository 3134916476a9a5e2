"""Reading data files as people have them: every format, compressed, any separator,
decimal commas, repeated column names; and the one registry every reader shares."""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import blobs_frame

import alearn.data.delimited as delimited
from alearn.data.dataset import load_dataset
from alearn.data.delimited import sniff_separator
from alearn.data.formats import FORMATS, data_name, format_of, output_format
from alearn.data.header import peek_columns
from alearn.data.names import unique_names
from alearn.data.tables import read_data, read_table
from alearn.errors import ConfigError, DataError
from alearn.files import data_digest, file_digest
from alearn.tasks import load_task, make_task


def _frame() -> pd.DataFrame:
    return blobs_frame(n=40).round(3)


def _same_cells(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The same columns and cells, read as text or typed (numbers compared as numbers:
    pandas' JSON reader rounds in the last digit)."""
    assert list(got.columns) == list(expected.columns) and len(got) == len(expected)
    for name in expected.columns:
        if pd.api.types.is_numeric_dtype(expected[name]):
            np.testing.assert_allclose(got[name].astype(float), expected[name], rtol=1e-12)
        else:
            assert got[name].astype(str).tolist() == expected[name].astype(str).tolist()


@pytest.mark.parametrize("name, write", [
    ("d.csv", lambda f, p: f.to_csv(p, index=False)),
    ("d.tsv", lambda f, p: f.to_csv(p, sep="\t", index=False)),
    ("d.parquet", lambda f, p: f.to_parquet(p, index=False)),
    ("d.jsonl", lambda f, p: f.to_json(p, orient="records", lines=True)),
    ("d.json", lambda f, p: f.to_json(p, orient="records")),  # a JSON array
    ("d.xlsx", lambda f, p: f.to_excel(p, index=False)),
])
def test_each_format_reads_the_same_table(tmp_path, name, write):
    path = tmp_path / name
    write(_frame(), path)
    table = read_data(path)
    assert list(table.frame.columns) == list(_frame().columns)
    assert table.notes == []
    assert peek_columns(path) == list(_frame().columns)
    _same_cells(table.frame, _frame())


@pytest.mark.parametrize("suffix, opener", [
    (".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open), (".zip", None)])
@pytest.mark.parametrize("inner, write", [
    (".csv", lambda f: f.to_csv(index=False)),
    (".tsv", lambda f: f.to_csv(sep="\t", index=False)),
    (".jsonl", lambda f: f.to_json(orient="records", lines=True)),
    (".json", lambda f: f.to_json(orient="records")),
])
def test_compressed_files_read_as_the_plain_file(tmp_path, suffix, opener, inner, write):
    plain = tmp_path / f"d{inner}"
    plain.write_text(write(_frame()))
    packed = tmp_path / f"d{inner}{suffix}"
    if opener is None:
        with zipfile.ZipFile(packed, "w") as archive:
            archive.write(plain, plain.name)
    else:
        with opener(packed, "wb") as fh:
            fh.write(plain.read_bytes())
    assert format_of(packed) is FORMATS[inner[1:]] and data_name(packed) == "d"
    pd.testing.assert_frame_equal(read_table(packed), read_table(plain))
    assert peek_columns(packed) == peek_columns(plain)
    # The fingerprint is the decoded content's, and the row ids are content hashes.
    assert data_digest(packed) == file_digest(plain)
    task = make_task(name="d", data=str(packed))
    same = make_task(name="d", data=str(plain))
    assert list(load_dataset(task).ids) == list(load_dataset(same).ids)
    assert load_dataset(task).fingerprint == load_dataset(same).fingerprint


def test_a_zip_of_several_files_and_a_damaged_gzip_are_named(tmp_path):
    two = tmp_path / "two.csv.zip"
    with zipfile.ZipFile(two, "w") as archive:
        archive.writestr("a.csv", "a,b\n1,2\n")
        archive.writestr("b.csv", "a,b\n1,2\n")
    with pytest.raises(DataError, match=r"two\.csv\.zip: .*holds 2 files; expected exactly one"):
        read_table(two)
    whole = gzip.compress(_frame().to_csv(index=False).encode() * 20)
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match=r"cut\.csv\.gz: cannot read as gzip-compressed csv"):
        read_table(cut)
    with pytest.raises(DataError, match=r"cut\.csv\.gz: cannot decompress"):
        data_digest(cut)


@pytest.mark.parametrize("sep", ["\t", ";", "|", ","])
def test_the_separator_is_found_whatever_the_suffix(tmp_path, sep):
    path = tmp_path / "d.csv"
    _frame().to_csv(path, sep=sep, index=False)
    table = read_data(path)
    assert list(table.frame.columns) == list(_frame().columns)
    assert (table.notes == []) == (sep == ",")
    assert peek_columns(path) == list(_frame().columns)


@pytest.mark.parametrize("text, default, expected", [
    ("a,b\n1,2\n", ",", ","),
    ("a\tb\n1,5\t2\n", ",", "\t"),  # a comma inside a tab-separated cell
    ('a;b\n"1;5";2\n', ",", ";"),  # a quoted separator is a cell's
    ("a;b;c\n1,5;2,5;3\n", ",", ";"),  # decimal commas
    ("a,b\n1,2\n3,4,5\n", ",", ","),  # ragged: pandas names the line
    ("text\nhello; world\n", ",", ","),  # one column
    ("a,b\tc\n1,2\t3\n", "\t", "\t"),  # both split evenly: the suffix's own wins
])
def test_sniff_separator(text, default, expected):
    assert sniff_separator(text, default, "f")[0] == expected


def test_a_separator_that_cannot_be_told_is_refused(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("a;b\n1;2;3;4\n5\n6;7;8\n")
    with pytest.raises(DataError, match=r"odd\.csv: cannot tell what separates the columns"):
        read_table(path)


def test_decimal_commas_only_in_semicolon_files(tmp_path):
    semi = tmp_path / "semi.csv"
    semi.write_text("Price;Count;code;class!\n1,5;1.234;a,b;x\n-2,25;7;c,d;y\n"
                    "1.234,5;?;e,f;x\n3;4;g,h;y\n")
    table = read_data(semi)
    assert table.frame["Price"].tolist() == ["1.5", "-2.25", "1234.5", "3"]
    assert table.frame["Count"].tolist()[:2] == ["1.234", "7"]  # no comma: left alone
    assert table.frame["code"].tolist()[0] == "a,b"  # words: left alone
    assert table.notes == ["columns separated by semicolons (';'); decimal commas read as "
                           "points in 'Price'"]
    data = load_dataset(make_task(name="semi", data=str(semi)))
    assert "Price" in data.numeric and data.features["Price"].tolist()[:2] == [1.5, -2.25]
    assert any("decimal commas" in n for n in data.notices())
    comma = tmp_path / "comma.csv"
    comma.write_text('Price,class!\n"1,5",x\n"2,5",y\n')
    assert read_table(comma)["Price"].tolist() == ["1,5", "2,5"]


def test_unique_names():
    assert unique_names(["a", "b", "a", "a"]) == (["a", "b", "a.2", "a.3"],
                                                  {"a": ["a.2", "a.3"]})
    # A suffixed name already in the header is skipped; blanks are pandas' Unnamed: N.
    assert unique_names(["a", "a", "a.2", None, " "])[0] == ["a", "a.3", "a.2", "Unnamed: 3",
                                                            "Unnamed: 4"]


def test_repeated_names_are_renamed_in_every_reader_with_a_note(tmp_path):
    header = ["Size", "FEATURE", "FEATURE", "FEATURE", "colour", "class!"]
    rows = [[i, i % 3, i % 5, i % 7, "red" if i % 2 else "blue", "ab"[i % 2]]
            for i in range(30)]
    csv = tmp_path / "d.csv"
    csv.write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n")
    xlsx = tmp_path / "d.xlsx"
    pd.DataFrame(rows).to_excel(xlsx, index=False, header=header)
    expected = ["Size", "FEATURE", "FEATURE.2", "FEATURE.3", "colour", "class!"]
    for path in (csv, xlsx):
        table = read_data(path)
        assert list(table.frame.columns) == expected and peek_columns(path) == expected
        assert table.notes == ["repeated column names: the later copies are renamed "
                               "'FEATURE' -> 'FEATURE.2', 'FEATURE.3' (the first keeps its "
                               "name; a task.toml uses the new names)"]
        assert table.frame["FEATURE.3"].astype(int).tolist() == [i % 7 for i in range(30)]


def test_a_task_names_a_renamed_column(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "d.csv").write_text("Size,kind,kind\n" + "".join(
        f"{(i * 7) % 5},{'pq'[i % 2]},{'ab'[i % 2]}\n" for i in range(30)))
    (folder / "task.toml").write_text('data = "d.csv"\ntarget = "kind.2"\n'
                                      '[features]\nexclude = ["kind"]\n')
    data = load_dataset(load_task(folder))
    assert data.target == "kind.2" and data.classes == ["a", "b"]
    assert data.dropped == {"kind": "excluded in task.toml"}
    assert any("'kind' -> 'kind.2'" in n for n in data.notices())


def test_a_big_file_takes_the_fast_path_with_a_sniffed_separator(tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "FAST_CSV_BYTES", 0)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(400, 3)).round(4), columns=["a", "b", "a"])
    frame["c"] = np.where(rng.random(400) < 0.1, "?", "w")
    path = tmp_path / "big.csv"
    frame.to_csv(path, sep=";", index=False, decimal=",")
    fast = []
    real = delimited.read_fast
    monkeypatch.setattr(delimited, "read_fast",
                        lambda *a: fast.append(real(*a)) or fast[-1])
    table = read_data(path)
    assert fast and fast[0] is not None
    monkeypatch.setattr(delimited, "FAST_CSV_BYTES", 1 << 40)  # now pandas' reader
    slow = read_data(path)
    pd.testing.assert_frame_equal(table.frame, slow.frame)
    assert table.notes == slow.notes and len(table.notes) == 2  # renamed, separator
    assert list(table.frame.columns) == ["a", "b", "a.2", "c"]
    assert table.frame["a"].astype(float).tolist() == frame.iloc[:, 0].tolist()


def test_an_excel_workbook_reads_its_first_sheet_with_a_note(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        _frame().to_excel(writer, sheet_name="data", index=False)
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
    table = read_data(path)
    assert list(table.frame.columns) == list(_frame().columns)
    assert table.notes == ["book.xlsx: read its first sheet, 'data', of 2 ('data', 'notes'); "
                           "to use another, save that sheet as its own file or move it first"]
    assert table.frame["Size"].dtype == float
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(path.read_bytes()[:300])
    with pytest.raises(DataError, match=r"damaged\.xlsx: cannot read as xlsx"):
        read_table(damaged)


def test_output_formats_follow_the_suffix(tmp_path):
    for name, fmt, compression in [("p.csv", "csv", None), ("p.tsv.gz", "tsv", "gzip"),
                                   ("p.parquet", "parquet", None), ("p.pq", "parquet", None),
                                   ("p.jsonl.bz2", "jsonl", "bz2"), ("p.json", "json", None),
                                   ("p.xlsx", "xlsx", None)]:
        form, packed = output_format(tmp_path / name)
        assert (form.name, packed.method if packed else None) == (fmt, compression)
        frame = _frame()
        assert form.write is not None
        form.write(frame, tmp_path / name, packed)
        _same_cells(read_table(tmp_path / name), frame)
    with pytest.raises(ConfigError, match=r"p\.txt: --out has an unknown file type '\.txt'"):
        output_format(tmp_path / "p.txt")
    with pytest.raises(ConfigError, match=r"unknown file type '\.parquet\.gz'"):
        output_format(tmp_path / "p.parquet.gz")
    with pytest.raises(ConfigError, match="parquet cannot be written compressed"):
        output_format(tmp_path / "p.gz", "parquet")
    with pytest.raises(ConfigError, match="--format 'xls' is only read"):
        output_format(tmp_path / "p.xls", "xls")
    assert output_format(tmp_path / "p.txt", "csv")[0].name == "csv"


def test_every_reader_is_found_through_the_registry():
    suffixes = [s for fmt in FORMATS.values() for s in fmt.suffixes]
    assert len(suffixes) == len(set(suffixes))  # each suffix is one format's
    for suffix in suffixes:
        assert format_of(Path(f"x{suffix.upper()}")) is not None
    assert format_of(Path("x.parquet.gz")) is None and format_of(Path("x.gz")) is None
    assert data_name(Path("sales.2024.csv.gz")) == "sales.2024"


def test_a_quoted_cell_cut_by_the_sample_does_not_hide_the_separator(tmp_path):
    """Abstracts spanning lines: the first lines sampled end inside a quoted cell, whose
    row the csv module returns cut short; that row is not judged."""
    long = "long text about things " * 15 + "\n\n" + "more words here " * 10
    rows = ["id;abstract;x;label", *(f'{i};"{long}";{i % 7};' for i in range(300))]
    path = tmp_path / "papers.csv"
    path.write_text("\n".join(rows) + "\n")
    frame = read_table(path)
    assert frame.shape == (300, 4) and list(frame.columns) == ["id", "abstract", "x", "label"]


def test_the_columns_of_a_json_file_are_every_key_its_objects_use(tmp_path):
    """pandas makes a column of a key the first object lacks; so does the header peek
    (--target and --exclude check names against it)."""
    from alearn.data.header import peek_columns

    lines = tmp_path / "k.jsonl"
    lines.write_text('{"a": 1, "b": 2}\n{"a": 2, "b": 3, "lab": "x"}\n{"a": 3, "b": 1}\n')
    array = tmp_path / "k.json"
    array.write_text('[{"a": 1}, {"a": 2, "z": "q"}]')
    assert peek_columns(lines) == list(read_table(lines).columns) == ["a", "b", "lab"]
    assert peek_columns(array) == list(read_table(array).columns) == ["a", "z"]


@pytest.mark.parametrize("index", [False, True])
def test_parquet_read_a_few_columns_at_a_time_is_pandas_frame(tmp_path, monkeypatch, index):
    """Read in parts of a few columns (one block a column), a Parquet file gives the
    frame pandas reads, every type kept; a stored index is read whole, as pandas does."""
    import alearn.data.parquet as parquet

    monkeypatch.setattr(parquet, "PARQUET_PART_BYTES", 1)  # one column a part
    rng = np.random.default_rng(2)
    n = 50
    frame = pd.DataFrame({
        "x": rng.normal(size=n), "k": pd.array(rng.integers(0, 5, n), dtype="Int64"),
        "s": rng.choice(["a", "b", None], size=n), "b": rng.random(n) < 0.5,
        "when": pd.date_range("2020-01-01", periods=n, freq="D"),
        "cat": pd.Categorical(rng.choice(["lo", "hi"], size=n)), "7": np.arange(n)})
    frame.loc[3, "k"] = pd.NA
    path = tmp_path / "t.parquet"
    frame.set_index("7").to_parquet(path) if index else frame.to_parquet(path, index=False)
    pd.testing.assert_frame_equal(read_table(path), pd.read_parquet(path))
