"""--cluster: units on dask.distributed, identical results, clear errors (loopback only)."""

import os
import socket

import pytest

distributed = pytest.importorskip("distributed")

from alearn import commands  # noqa: E402
from alearn.run import cluster as cluster_module  # noqa: E402
from alearn.run import runner  # noqa: E402
from alearn.tasks import discover_tasks  # noqa: E402

FILES = ("results.csv", "summary.json")


@pytest.fixture(scope="module")
def local_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture
def study(task_dir, tmp_path):
    for name in ("a", "b"):
        task_dir(name, seeds=4, budgets=[4, 8], strategies=["margin"])
    return tmp_path / "tasks"


def same_files(a, b):
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in FILES)


def test_scheduler_address_gives_the_local_results(cli, study, tmp_path, local_cluster):
    assert cli("run", study, "--out", tmp_path / "local", "--jobs", 1).code == 0
    seen = []
    commands.run_tasks([study], out=tmp_path / "dask", cluster=local_cluster.scheduler_address,
                       progress=lambda done, total: seen.append((done, total)))
    assert same_files(tmp_path / "local", tmp_path / "dask")
    # The bar counts every unit finished anywhere on the cluster.
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    assert [d for d, _ in seen] == list(range(9))


def test_local_n_starts_and_stops_its_own_cluster(cli, study, tmp_path):
    assert cli("run", study, "--out", tmp_path / "local", "--jobs", 1).code == 0
    result = cli("run", study, "--out", tmp_path / "dask", "--cluster", "local:2")
    assert result.code == 0, result.err
    assert same_files(tmp_path / "local", tmp_path / "dask")


async def _die():
    os._exit(1)


def test_worker_killed_mid_run_results_identical(study, local_cluster):
    tasks = discover_tasks([study])
    expected = runner.run(tasks, seeds=6, jobs=1).results
    killed = []
    with distributed.Client(local_cluster) as client:
        def kill_one(done, total):
            if done == 2 and not killed:
                worker = sorted(client.scheduler_info()["workers"])[0]
                killed.append(worker)
                client.run(_die, workers=[worker], wait=False)

        got = runner.run(tasks, seeds=6, client=client, progress=kill_one).results
        client.wait_for_workers(2, timeout=60)
    assert killed
    assert got.to_csv(index=False) == expected.to_csv(index=False)


def test_unreachable_scheduler_one_line_exit_2(cli, study, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 1.5)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tmp_path / "out"
    result = cli("run", study, "--out", out, "--cluster", f"tcp://127.0.0.1:{port}")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert f"tcp://127.0.0.1:{port}: cannot reach a Dask scheduler within 1.5 s" in result.err
    assert not out.exists()


@pytest.mark.parametrize("address", ["local:0", "local:two"])
def test_bad_local_worker_count(cli, study, tmp_path, address):
    result = cli("run", study, "--out", tmp_path / "out", "--cluster", address)
    assert result.code == 2 and "expected local:N" in result.err
