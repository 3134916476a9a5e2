"""--cluster without dask.distributed installed: one line saying what to install."""

import sys


def test_without_distributed_says_what_to_install(cli, task_dir, tmp_path, monkeypatch):
    study = task_dir(seeds=2, budgets=[4, 8], strategies=["margin"])
    monkeypatch.setitem(sys.modules, "distributed", None)  # import now raises ImportError
    result = cli("run", study, "--out", tmp_path / "out", "--cluster", "local:2")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "pip install 'alearn[dask]'" in result.err
