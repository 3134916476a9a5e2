"""Gold labels (``alearn label --gold FILE``) matched to the data by row identity."""

import numpy as np
import pandas as pd
import pytest

from alearn.data.dataset import load_dataset
from alearn.errors import DataError
from alearn.estimates.gold import gold_labels
from alearn.tasks import make_task


def frame(n=12):
    rng = np.random.default_rng(0)
    truth = np.array(["a", "b"])[rng.integers(2, size=n)]
    return pd.DataFrame({"id": [f"r{i}" for i in range(n)], "x1": rng.normal(size=n).round(3),
                         "x2": rng.normal(size=n).round(3), "label": np.nan, "truth": truth})


def gold_of(tmp_path, data, gold, task_id=None):
    path, gold_path = tmp_path / "data.csv", tmp_path / "gold.csv"
    data.to_csv(path, index=False)
    gold.to_csv(gold_path, index=False)
    task = make_task(name="t", data=str(path), target="label", id=task_id, exclude=("truth",))
    return gold_labels(load_dataset(task, require_target=False), str(gold_path), None, task)


def test_undeclared_id_column_is_matched_by_content(tmp_path):
    # A labeled copy of data with an `id` column the task does not declare: the
    # data's ids are content hashes, so rows match by content, not by `id`.
    data = frame()
    gold = data.assign(label=data["truth"]).sample(frac=1, random_state=1)
    assert list(gold_of(tmp_path, data, gold)) == data["truth"].tolist()


def test_declared_id_column_is_matched_by_id(tmp_path):
    data = frame()
    gold = data[["id", "truth"]].rename(columns={"truth": "label"}).iloc[::-1]
    assert list(gold_of(tmp_path, data, gold, task_id="id")) == data["truth"].tolist()


def test_undeclared_id_alone_cannot_match(tmp_path):
    data = frame()
    gold = data[["id", "truth"]].rename(columns={"truth": "label"})
    with pytest.raises(DataError, match="no id column and column 'x1' is missing"):
        gold_of(tmp_path, data, gold)
