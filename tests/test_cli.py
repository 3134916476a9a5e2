import json
import re

import pytest


def test_run_writes_results_and_report_rerenders(cli, task_dir, tmp_path):
    folder = task_dir(seeds=2, budgets=[4, 8], strategies=["margin"])
    out = tmp_path / "out"
    result = cli("run", folder, "--out", out, "--plot", out / "curves.png")
    assert result.code == 0, result.err
    assert "blobs" in result.out and "margin" in result.out and "% ceil" in result.out
    assert (out / "results.csv").is_file() and (out / "curves.png").stat().st_size > 1000
    assert (out / "results.csv").stat().st_mode & 0o044  # readable by others, as umask allows
    summary = json.loads((out / "summary.json").read_text())
    assert summary["summaries"]["accuracy"]["budgets"] == [4, 8]
    again = cli("report", out, "--no-per-task")
    assert again.code == 0 and "All 1 task:" in again.out


def test_results_identical_for_any_jobs(cli, task_dir, tmp_path):
    folder = task_dir(seeds=3, budgets=[4, 8], strategies=["margin", "entropy"])
    for jobs in (1, 2):
        assert cli("run", folder, "--jobs", jobs, "--out", tmp_path / f"j{jobs}").code == 0
    for name in ("results.csv", "summary.json"):
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes()


@pytest.mark.parametrize("keys, needle", [
    ({"model": "forest"}, "model = 'forest' is not known"),
    ({"target": "nope"}, "target names column 'nope'"),
    ({"budgets": [8, 200]}, "fewer than the largest budget 200"),
])
def test_bad_input_one_line_exit_2_nothing_written(cli, task_dir, tmp_path, keys, needle):
    folder = task_dir(**keys)
    out = tmp_path / "out"
    result = cli("run", folder, "--out", out)
    assert result.code == 2
    assert needle in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_debug_shows_traceback(task_dir, tmp_path):
    from alearn.cli import main
    from alearn.errors import ConfigError

    with pytest.raises(ConfigError):
        main(["--debug", "run", str(task_dir(model="forest")), "--out", str(tmp_path / "o")])


def test_usage_errors(cli, tmp_path):
    assert cli("run", tmp_path / "none").code == 2
    assert cli("report", tmp_path).code == 2
    assert cli("run", tmp_path, "--jobs", "0").code == 2
    assert cli("frobnicate").code == 2


def test_version_from_package_metadata(cli):
    from importlib.metadata import version

    result = cli("--version")
    assert result.code == 0 and result.out.strip() == f"alearn {version('alearn')}"


def test_error_line_wraps_between_words_on_a_narrow_terminal(cli, tmp_path, monkeypatch):
    import io

    from rich.console import Console

    import alearn.render

    missing = "no-such-results-folder"
    piped = cli("report", missing, cwd=tmp_path)
    assert piped.code == 2 and len(piped.err.strip().splitlines()) == 1  # one line piped
    screen = io.StringIO()
    monkeypatch.setattr(alearn.render, "err", Console(file=screen, force_terminal=True,
                                                      width=60, no_color=True))
    assert cli("report", missing, cwd=tmp_path).code == 2
    lines = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue()).splitlines()
    assert len(lines) > 1 and lines[0].startswith("error: ")
    # Every break falls between words: the words are those of the piped line, unbroken.
    assert " ".join(lines).split() == piped.err.split()
    assert all(len(line) <= 60 for line in lines)
