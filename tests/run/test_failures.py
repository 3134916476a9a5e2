"""One bad task never costs the others: reported in the tables, summary.json and stderr.

The study is real MOOT files, one shaped like MOOT's credit.g.csv, and a broken task.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared" / "moot"

# The header of MOOT's classify/credit.g.csv: PROPERTY_MAGNITUDE is upper-case
# (numeric by the convention) but holds words such as "real estate".
CREDIT_G = {
    "checking_status": ["<0", "0<=X<200", "no checking", ">=200"],
    "DURATION": [6, 12, 24, 36, 48],
    "credit_history": ["existing paid", "critical/other existing credit", "delayed previously"],
    "CREDIT_AMOUNT": [1169, 5951, 2096, 7882, 4870],
    "PROPERTY_MAGNITUDE": ["real estate", "car", "life insurance", "no known property"],
    "AGE": [22, 35, 49, 67],
    "housing": ["own", "rent", "for free"],
}
MOOT_FILES = ("iris.csv", "bridges.version1.csv", "glass.csv")
SETTINGS = 'seeds = 2\nbudgets = [4, 8]\nstrategies = ["margin"]\n'


def credit_g(path: Path, rows: int = 120) -> Path:
    """Write a credit.g-shaped CSV whose class depends on DURATION and checking_status."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({c: rng.choice(np.array(v, dtype=object), rows)
                          for c, v in CREDIT_G.items()})
    good = (frame["DURATION"] < 30) ^ (frame["checking_status"] == "<0")
    frame["class!"] = np.where(good, "good", "bad")
    frame.to_csv(path, index=False)
    return path


def study(root: Path, broken: bool = True) -> Path:
    """A folder of task folders over MOOT files, the credit.g-shaped one, and (with
    ``broken``) one folder whose task.toml has an unknown model."""
    tasks = root / "tasks"
    for name in MOOT_FILES:
        folder = tasks / name.removesuffix(".csv").replace(".", "_")
        folder.mkdir(parents=True)
        (folder / "task.toml").write_text(f'data = "{SHARED / "classify" / name}"\n{SETTINGS}')
    folder = tasks / "credit_g"
    folder.mkdir()
    credit_g(folder / "credit.g.csv")
    (folder / "task.toml").write_text(f'data = "credit.g.csv"\n{SETTINGS}')
    if broken:
        folder = tasks / "broken"
        folder.mkdir()
        (folder / "task.toml").write_text(f'data = "{SHARED / "classify" / "iris.csv"}"\n'
                                          f'model = "forest"\n{SETTINGS}')
    return tasks


@pytest.fixture
def moot_study(tmp_path: Path):
    """``moot_study(broken=True)`` makes the study folder under tmp_path and returns it."""
    if not (SHARED / "classify").is_dir():
        pytest.skip(f"{SHARED} is not here")
    return lambda broken=True: study(tmp_path, broken)


def test_broken_task_among_moot_tasks_others_run_exit_2(cli, moot_study, tmp_path):
    tasks = moot_study()
    out = tmp_path / "out"
    result = cli("run", tasks, "--out", out, "--jobs", 1)
    assert result.code == 2
    assert "Traceback" not in result.err
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "'broken'" in errors[0] and "model = 'forest'" in errors[0]
    assert "Failed tasks (1)" in result.out and "broken" in result.out
    frame = pd.read_csv(out / "results.csv")
    # credit.g's PROPERTY_MAGNITUDE holds words: categorical with a note, not a failure.
    assert sorted(frame["task"].unique()) == ["bridges_version1", "credit_g", "glass", "iris"]
    assert "'PROPERTY_MAGNITUDE' is numeric by its upper-case name" in result.err
    summary = json.loads((out / "summary.json").read_text())
    [failed] = summary["failed"]
    assert failed["task"] == "broken" and failed["path"].endswith("broken/task.toml")
    assert "model = 'forest'" in failed["message"]
    assert "broken" not in [t["name"] for t in summary["tasks"]]
    again = cli("report", out, "--no-per-task")
    assert again.code == 2 and "Failed tasks (1)" in again.out and "'broken'" in again.err


def test_clean_run_has_no_failed_key(cli, moot_study, tmp_path):
    out = tmp_path / "out"
    assert cli("run", moot_study(broken=False), "--out", out, "--jobs", 1).code == 0
    assert "failed" not in json.loads((out / "summary.json").read_text())


def test_declared_numeric_column_with_words_fails_that_task_only(cli, moot_study, tmp_path):
    tasks = moot_study(broken=False)
    toml = tasks / "credit_g" / "task.toml"
    toml.write_text(toml.read_text() + '[features]\nnumeric = ["PROPERTY_MAGNITUDE"]\n')
    out = tmp_path / "out"
    result = cli("run", tasks, "--out", out, "--jobs", 2)
    assert result.code == 2
    [failed] = json.loads((out / "summary.json").read_text())["failed"]
    assert failed["task"] == "credit_g" and failed["path"].endswith("credit_g/task.toml")
    assert "column 'PROPERTY_MAGNITUDE' is numeric but row" in failed["message"]
    assert "credit_g" not in set(pd.read_csv(out / "results.csv")["task"])


def test_data_file_deleted_between_runs(cli, moot_study, tmp_path):
    tasks = moot_study(broken=False)
    out = tmp_path / "out"
    assert cli("run", tasks, "--out", out, "--jobs", 1).code == 0
    (tasks / "credit_g" / "credit.g.csv").unlink()
    result = cli("run", tasks, "--out", out, "--jobs", 1)
    assert result.code == 2 and "credit.g.csv" in result.err
    assert "reused 6 of 6 finished units" in result.err
    assert sorted(set(pd.read_csv(out / "results.csv")["task"])) == [
        "bridges_version1", "glass", "iris"]


def test_a_single_failing_task_keeps_its_one_line_error(cli, moot_study, tmp_path):
    tasks = moot_study()
    out = tmp_path / "out"
    result = cli("run", tasks / "broken", "--out", out)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_every_task_failing_writes_nothing(cli, task_dir, tmp_path):
    task_dir("a", model="forest")
    task_dir("b", budgets=[8, 500])
    out = tmp_path / "out"
    result = cli("run", tmp_path / "tasks", "--out", out)
    assert result.code == 2 and "Failed tasks (2)" in result.out
    assert not (out / "results.csv").exists()
