from pathlib import Path

import pytest

from alearn.errors import ConfigError
from alearn.tasks import discover_tasks, load_task, make_task


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "task.toml").write_text(text)
    return folder


def test_defaults_and_keys(tmp_path):
    folder = write(tmp_path / "t", 'data = "d.csv"\nmodel = "tree"\nbudgets = [4, 8]\n'
                   '[features]\nexclude = ["a"]\n')
    spec = load_task(folder)
    assert spec.name == "t"
    assert spec.model == "tree"
    assert spec.budgets == (4, 8)
    assert spec.exclude == ("a",)
    assert spec.strategies == ("margin", "entropy", "least-confident", "random")
    assert spec.seeds == 20 and spec.test_size == 0.3 and spec.batch == 1
    assert spec.data_path == folder / "d.csv"


@pytest.mark.parametrize("text, needle", [
    ('data = "d.csv"\nmodle = "tree"\n', "unknown key 'modle'"),
    ('data = "d.csv"\nmodel = "forest"\n', "model = 'forest' is not known"),
    ('data = "d.csv"\nstrategies = ["margin", "magic"]\n', "strategies = 'magic'"),
    ('data = "d.csv"\nbudgets = [16, 8]\n', "budgets must be increasing"),
    ('data = "d.csv"\nseeds = true\n', "key 'seeds' must be a whole number"),
    ('data = "d.csv"\ntest_size = 1.5\n', "test_size must be between 0 and 1"),
    ('data = "d.csv"\n[features]\nincludes = ["a"]\n', "unknown key 'features.includes'"),
    ('name = "x"\n', "missing key 'data'"),
    ('data = "d.csv\n', "not valid TOML"),
])
def test_bad_task_files_name_the_problem(tmp_path, text, needle):
    folder = write(tmp_path / "t", text)
    with pytest.raises(ConfigError) as info:
        load_task(folder)
    assert needle in str(info.value)
    assert "task.toml" in str(info.value)


def test_discover_expands_folders_and_rejects_empty(tmp_path):
    write(tmp_path / "all" / "b", 'data = "x.csv"\n')
    write(tmp_path / "all" / "a", 'data = "x.csv"\n')
    assert [t.name for t in discover_tasks([tmp_path / "all"])] == ["a", "b"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"no task\.toml"):
        discover_tasks([tmp_path / "empty"])
    with pytest.raises(ConfigError, match="repeated: a"):
        discover_tasks([tmp_path / "all" / "a", tmp_path / "all" / "a"])


def test_bare_data_file_is_a_task(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("A,b!\n1,x\n")
    spec = load_task(path)
    assert spec.name == "rows" and spec.data_path == path
    with pytest.raises(ConfigError, match="no such data file"):
        load_task(tmp_path / "missing.csv")


def test_spec_is_validated_in_code_too():
    with pytest.raises(ConfigError, match="batch must be at least 1"):
        make_task(name="x", data="d.csv", batch=0)
