import numpy as np
import pandas as pd
import pytest

from alearn.data.dataset import load_dataset
from alearn.data.rowkeys import content_ids
from alearn.data.tables import read_table
from alearn.engine.features import MAX_CATEGORIES, build_preprocessor
from alearn.errors import DataError
from alearn.tasks import make_task


def spec_for(path, **kw):
    return make_task(name="t", data=str(path), **kw)


def test_moot_conventions(tmp_path):
    path = tmp_path / "m.csv"
    # Leading spaces in names, CRLF line ends, `?` for missing, an ignored X column.
    path.write_bytes(b" Age, colour,IgnoreX,Zip, class!\r\n30,red,1,01234,a\r\n?,blue,2,05678,b\r\n"
                     b"41,?,3,09999,a\r\n")
    data = load_dataset(spec_for(path))
    assert data.target == "class!"
    assert data.numeric == ["Age", "Zip"]
    assert data.categorical == ["colour"]
    assert "IgnoreX" in data.dropped
    assert np.isnan(data.features["Age"].iloc[1])
    assert pd.isna(data.features["colour"].iloc[2])
    assert list(data.labels) == ["a", "b", "a"]


def test_explicit_keys_override_conventions(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Code,size,kind!\n1,3,a\n2,4,b\n3,5,a\n")
    data = load_dataset(spec_for(path, categorical=("Code",), numeric=("size",)))
    assert data.categorical == ["Code"] and data.numeric == ["size"]
    assert data.features["Code"].tolist() == ["1", "2", "3"]


def test_non_numeric_value_in_declared_numeric_column_is_named(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Age,class!\n30,a\nthirty,b\n")
    with pytest.raises(DataError) as info:
        load_dataset(spec_for(path, numeric=("Age",)))
    message = str(info.value)
    assert "m.csv" in message and "'Age'" in message and "'thirty'" in message


def test_words_in_a_column_numeric_by_moot_name_make_it_categorical(tmp_path):
    # Shaped like MOOT's credit.g.csv: PROPERTY_MAGNITUDE is upper-case but holds words.
    path = tmp_path / "credit.g.csv"
    path.write_text("DURATION,PROPERTY_MAGNITUDE,housing,class!\n6,real estate,own,good\n"
                    "48,car,own,bad\n12,?,rent,good\n42,life insurance,free,good\n")
    data = load_dataset(spec_for(path))
    assert data.numeric == ["DURATION"]
    assert data.categorical == ["PROPERTY_MAGNITUDE", "housing"]
    assert pd.isna(data.features["PROPERTY_MAGNITUDE"].iloc[2])
    [note] = [n for n in data.notices() if "PROPERTY_MAGNITUDE" in n]
    assert "'real estate'" in note and "categorical" in note and "features.numeric" in note


def test_plain_csv_types_are_inferred(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("Name,height,label\nann,1.5,x\nbob,1.7,y\ncy,1.6,x\n")
    data = load_dataset(spec_for(path, target="label"))
    assert data.numeric == ["height"] and data.categorical == ["Name"]


@pytest.mark.parametrize("content, needle", [
    ("", "empty"),
    ("A,b!\n", "no data rows"),
    ("A,b!,c!\n1,x,y\n", "several class columns"),
    ("A,B\n1,2\n", "no target column"),
])
def test_bad_files(tmp_path, content, needle):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=needle) as info:
        load_dataset(spec_for(path))
    assert "bad.csv" in str(info.value)


def test_missing_file_and_unknown_column(tmp_path):
    with pytest.raises(DataError, match="no such data file"):
        load_dataset(spec_for(tmp_path / "nope.csv"))
    path = tmp_path / "ok.csv"
    path.write_text("A,b!\n1,x\n2,y\n")
    with pytest.raises(DataError, match="target names column 'label'"):
        load_dataset(spec_for(path, target="label"))
    with pytest.raises(DataError, match=r"features\.exclude names column 'Z'"):
        load_dataset(spec_for(path, exclude=("Z",)))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("A,b!\n1,caf\u00e9\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_dataset(spec_for(path))


def test_parquet_and_jsonl(tmp_path):
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "kind": ["a", "b", "a"], "y": ["p", "q", "p"]})
    frame.to_parquet(tmp_path / "d.parquet")
    frame.to_json(tmp_path / "d.jsonl", orient="records", lines=True)
    for name in ("d.parquet", "d.jsonl"):
        data = load_dataset(spec_for(tmp_path / name, target="y"))
        assert data.numeric == ["x"] and data.categorical == ["kind"]
        assert list(data.labels) == ["p", "q", "p"]


def test_id_like_and_high_cardinality_columns(tmp_path):
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame({
        "Id": np.arange(1, n + 1),
        "name": [f"person {i}" for i in range(n)],
        "city": rng.choice([f"c{i}" for i in range(150)], size=n),
        "Score": rng.normal(size=n),
        "class!": rng.choice(["a", "b"], size=n),
    })
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    data = load_dataset(spec_for(path))
    assert set(data.dropped) == {"Id", "name"}
    assert data.numeric == ["Score"] and data.categorical == ["city"]
    matrix = build_preprocessor(data.numeric, data.categorical).fit_transform(data.features)
    # Rare categories are pooled: one column per kept category, not one per value.
    assert matrix.shape[1] <= 1 + MAX_CATEGORIES
    # Explicitly included columns are kept even when they look like ids.
    kept = load_dataset(spec_for(path, include=("name", "Score")))
    assert kept.categorical == ["name"]


def test_sparse_stays_sparse():
    frame = pd.DataFrame({"c": [f"v{i % 15}" for i in range(300)], "d": ["x"] * 150 + ["y"] * 150})
    matrix = build_preprocessor([], ["c", "d"]).fit_transform(frame)
    assert hasattr(matrix, "tocsr")


def test_content_ids_are_stable_and_unique():
    frame = pd.DataFrame({"a": [1, 2, 1], "b": ["x", "y", "x"]})
    ids = content_ids(frame)
    assert len(set(ids)) == 3
    assert ids[2].endswith("-2") and ids[2].startswith(ids[0])
    again = content_ids(frame.iloc[::-1].reset_index(drop=True))
    # Same content gives the same ids, whatever the row order.
    assert list(again) == list(ids)
    assert content_ids(frame.iloc[[1]])[0] == ids[1]


def test_id_column_must_be_unique(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("key,A,b!\nk1,1,x\nk1,2,y\n")
    with pytest.raises(DataError, match="id column 'key' repeats"):
        load_dataset(spec_for(path, id="key"))


def test_sklearn_dataset():
    data = load_dataset(make_task(name="iris", data="sklearn:iris"))
    assert data.target == "target" and data.classes == ["setosa", "versicolor", "virginica"]
    assert len(data.numeric) == 4


def test_read_table_rejects_unknown_suffix(tmp_path):
    path = tmp_path / "d.xyz"
    path.write_text("x")
    with pytest.raises(DataError, match=r"unknown file type '\.xyz'; expected \.csv"):
        read_table(path)
