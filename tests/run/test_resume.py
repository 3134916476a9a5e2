"""Resumable runs: units kept as they finish, reruns compute only what is missing."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = ("results.csv", "summary.json")


def units(out):
    return sorted((out / "units").rglob("*.json"))


def same_files(a, b):
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in FILES)


@pytest.fixture
def study(task_dir, tmp_path):
    for name in ("a", "b"):
        task_dir(name, seeds=4, budgets=[4, 8], strategies=["margin"])
    return tmp_path / "tasks"


@pytest.fixture
def reference(cli, study, tmp_path):
    out = tmp_path / "reference"
    assert cli("run", study, "--out", out, "--jobs", 1).code == 0
    return out


def test_rerun_reuses_every_unit_and_writes_the_same_bytes(cli, study, reference):
    assert len(units(reference)) == 8
    before = {f: (reference / f).read_bytes() for f in FILES}
    result = cli("run", study, "--out", reference, "--jobs", 2)
    assert result.code == 0 and "reused 8 of 8 finished units" in result.err
    assert all((reference / f).read_bytes() == b for f, b in before.items())


def test_deleted_and_corrupt_units_are_recomputed(cli, study, reference, tmp_path):
    out = tmp_path / "out"
    assert cli("run", study, "--out", out, "--jobs", 1).code == 0
    kept = units(out)
    kept[0].unlink()
    kept[1].write_text(kept[1].read_text()[:40])  # truncated mid-write by something else
    kept[2].write_text('{"key": "other", "seed": 0, "task": "a", "rows": []}\n')
    result = cli("run", study, "--out", out, "--jobs", 1)
    assert result.code == 0 and "reused 5 of 8 finished units" in result.err
    assert f"{kept[1]}: unit file is unreadable" in result.err
    assert f"{kept[2]}: unit file is unreadable" in result.err
    assert same_files(out, reference)


def test_changed_task_recomputes_only_that_task(cli, study, reference):
    toml = study / "b" / "task.toml"
    toml.write_text(toml.read_text().replace("budgets = [4, 8]", "budgets = [4, 6]"))
    result = cli("run", study, "--out", reference, "--jobs", 1)
    assert result.code == 0 and "reused 4 of 8 finished units" in result.err
    # The old key's folder of b is gone; a's is untouched.
    assert len(units(reference)) == 8
    data = study / "a" / "data.csv"
    data.write_text(data.read_text().replace("red", "pink"))
    assert "reused 4 of 8" in cli("run", study, "--out", reference, "--jobs", 1).err


def test_fresh_recomputes_everything(cli, study, reference, tmp_path):
    result = cli("run", study, "--out", reference, "--jobs", 1, "--fresh")
    assert result.code == 0 and "reused" not in result.err


def test_out_of_another_study_is_refused(cli, study, reference, task_dir):
    other = task_dir("c", seeds=2, budgets=[4, 8], strategies=["margin"])
    result = cli("run", other, "--out", reference)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "different study" in result.err and "--fresh" in result.err
    assert cli("run", other, "--out", reference, "--fresh").code == 0


def test_more_seeds_later_reuse_the_first_ones(cli, study, tmp_path):
    out = tmp_path / "out"
    assert cli("run", study, "--out", out, "--seeds", 2, "--jobs", 1).code == 0
    assert "reused 4 of 6" in cli("run", study, "--out", out, "--seeds", 3, "--jobs", 1).err


def _start(study, out):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "alearn.cli", "run", str(study), "--out",
                             str(out), "--jobs", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for_units(proc, out, count):
    deadline = time.monotonic() + 240
    while len(units(out)) < count:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_killed_run_resumes_to_identical_results(cli, study, reference, tmp_path):
    out = tmp_path / "out"
    proc = _start(study, out)
    _wait_for_units(proc, out, 3)
    proc.kill()
    proc.wait()
    done = len(units(out))
    assert 3 <= done < 8 and not (out / "results.csv").exists()
    result = cli("run", study, "--out", out, "--jobs", 1)
    assert result.code == 0 and f"reused {done} of 8" in result.err
    assert same_files(out, reference)


def test_ctrl_c_says_how_to_resume(study, tmp_path):
    out = tmp_path / "out"
    proc = _start(study, out)
    _wait_for_units(proc, out, 2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    # "2 of 8 units are kept", or "1 of 8 units is kept" when a unit on disk was not
    # yet counted as the interrupt came.
    assert re.search(r"of \d+ units (is|are) kept under", err), err
    assert "run the same command again to resume" in err
    assert "Traceback" not in err
    # No half-written unit: every file there reads back whole.
    assert not [p for p in (out / "units").rglob(".*")]
