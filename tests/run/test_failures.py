"""One bad task never costs the others: reported in the tables, summary.json and stderr."""

import json

import pandas as pd


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
