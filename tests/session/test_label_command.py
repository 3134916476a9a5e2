"""``alearn label`` and ``alearn explain`` option checks (alearn.commands)."""

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


def test_explain_options_go_together(tmp_path):
    with pytest.raises(ConfigError, match="--data is only used with --row ID"):
        commands.explain(tmp_path, data=tmp_path / "d.csv")
    with pytest.raises(ConfigError, match="--row needs --data FILE"):
        commands.explain(tmp_path, row="3")


def test_class_session_refuses_a_screen_only_strategy(pool, tmp_path, cli):
    from alearn.session.classes import open_session

    store = tmp_path / "s.db"
    with pytest.raises(ConfigError, match="--strategy 'certainty' is not known for classify "
                                          "tasks") as refused:
        open_session(pool, target="label", strategy="certainty", store=store)
    assert refused.value.exit_code == 2
    with pytest.raises(ConfigError, match="--start 'sometimes' is not known for classify"):
        open_session(pool, target="label", start="sometimes", store=store)
    assert not store.exists()


def test_options_a_session_does_not_read_are_refused_by_name(pool, tmp_path):
    from alearn.session.classes import open_class_session
    from alearn.session.measure import open_measure_session
    from alearn.session.options import LabelOptions
    from alearn.tasks import load_task

    opt = tmp_path / "opt.csv"
    pd.DataFrame({"A": [0.1, 0.5, 0.9, 0.3], "Speed+": [1, 2, 3, 4]}).to_csv(opt, index=False)
    for flag in ("classes", "batch", "model", "gold", "text", "target"):
        with pytest.raises(ConfigError, match=rf"^--{flag} is for classification tasks; "
                           rf".*opt\.csv is an optimize task"):
            open_measure_session(load_task(opt), LabelOptions(**{flag: "x"}))
    for flag in ("evaluate", "timeout"):
        with pytest.raises(ConfigError, match=r"^--evaluate and --timeout are for optimize "
                           r"tasks .*pool\.csv is a classification task"):
            open_class_session(load_task(pool), LabelOptions(target="label", **{flag: "1"}))
    assert not list(tmp_path.glob("*.db"))
