"""``alearn label`` option checks (alearn.commands)."""

import pandas as pd
import pytest

from alearn import commands
from alearn.errors import ConfigError


@pytest.fixture
def pool(tmp_path):
    path = tmp_path / "pool.csv"
    pd.DataFrame({"x1": [0.1, 2.0, -1.5, 0.7, 3.1, -0.2], "x2": [1, 0, 1, 1, 0, 0],
                  "label": [None] * 6}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("name", ["certainty", "uncertainty", "gpei"])
def test_classify_label_refuses_other_kinds_strategies(pool, tmp_path, cli, name):
    store = tmp_path / "s.db"
    with pytest.raises(ConfigError, match="not known for classify tasks; expected one of "
                       "margin, entropy, least-confident, random"):
        commands.open_label_session(pool, target="label", strategy=name, store=store)
    result = cli("label", pool, "--target", "label", "--strategy", name, "--store", store)
    assert result.code == 2 and "not known for classify tasks" in result.err
    assert not store.exists()


def test_classify_label_takes_its_strategies(pool, tmp_path):
    with commands.open_label_session(pool, target="label", strategy="entropy",
                                     store=tmp_path / "s.db") as session:
        assert session.settings.strategy == "entropy"
