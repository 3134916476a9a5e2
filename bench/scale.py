"""Scale-out benchmark (issue 10): local joblib against a Dask LocalCluster, and resume.

Generates a study of classification tasks (mostly small, every fourth one
large), runs it with ``--jobs N`` (joblib) and with ``--cluster local:N``
(dask.distributed), and prints the wall times, the overhead ratio, each
engine's peak resident memory per worker, and whether the two runs wrote
byte-identical ``results.csv``/``summary.json``. Then it starts the same run as
``alearn run`` in a subprocess, kills it once half the units are kept, resumes
it, and prints how many units the resume recomputed and whether its files
match. Goal: Dask within 1.3x of joblib, and a resume that recomputes nothing
already finished.

    .venv/bin/python bench/scale.py                      # 60 tasks x 20 seeds, 2 workers
    .venv/bin/python bench/scale.py --tasks 12 --seeds 4 # a quick look
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.datasets import make_classification

from alearn.run import outputs, runner
from alearn.run.cluster import open_client
from alearn.run.units import UnitStore
from alearn.tasks import discover_tasks

ROOT = Path(__file__).resolve().parents[1]
FILES = (outputs.RESULTS_FILE, outputs.SUMMARY_FILE)


def make_study(root: Path, count: int, seeds: int) -> Path:
    """Task folders ``t00 …``: 300 rows x 8 features, every fourth 2000 rows x 20."""
    tasks = root / "tasks"
    for i in range(count):
        large = i % 4 == 3
        X, y = make_classification(n_samples=2000 if large else 300,
                                   n_features=20 if large else 8, n_informative=5,
                                   n_classes=3, random_state=i)
        frame = pd.DataFrame(X, columns=[f"X{j}" for j in range(X.shape[1])]).round(4)
        frame["class!"] = np.array(["a", "b", "c"])[y]
        folder = tasks / f"t{i:02d}"
        folder.mkdir(parents=True)
        frame.to_csv(folder / "data.csv", index=False)
        (folder / "task.toml").write_text(f'data = "data.csv"\nseeds = {seeds}\n'
                                          'strategies = ["margin"]\nbudgets = [4, 8, 16]\n')
    return tasks


def _max_rss_mib() -> tuple[int, float]:
    # ru_maxrss is in KiB on Linux: the peak of this worker process so far.
    return os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peaks(pairs) -> str:
    per_pid = dict(pairs)
    return ", ".join(f"{v:.0f}" for v in sorted(per_pid.values(), reverse=True))


def timed_joblib(tasks, out: Path, jobs: int) -> tuple[float, str]:
    started = time.perf_counter()
    outputs.write_run(runner.run(tasks, jobs=jobs), out)
    wall = time.perf_counter() - started
    # The same loky executor is reused: ask each of its workers for its peak.
    peaks = Parallel(n_jobs=jobs)(delayed(_max_rss_mib)() for _ in range(8 * jobs))
    return wall, _peaks(peaks)


def timed_dask(tasks, out: Path, workers: int) -> tuple[float, str]:
    started = time.perf_counter()  # includes starting the cluster, as a user waits for it
    with open_client(f"local:{workers}") as client:
        outputs.write_run(runner.run(tasks, client=client), out)
        wall = time.perf_counter() - started
        peaks = client.run(_max_rss_mib).values()
    return wall, _peaks(peaks)


def same(a: Path, b: Path) -> bool:
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in FILES)


def resume(study: Path, out: Path, reference: Path, jobs: int, total: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "alearn.cli", "run", str(study), "--out", str(out),
               "--jobs", str(jobs)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while len(list((out / "units").rglob("*.json"))) < total // 2 and proc.poll() is None:
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    kept = len(list((out / "units").rglob("*.json")))
    store = UnitStore(out)
    started = time.perf_counter()
    outputs.write_run(runner.run(discover_tasks([study]), jobs=jobs, units=store), out)
    wall = time.perf_counter() - started
    print(f"resume: killed with {kept} of {total} units kept; the resume recomputed "
          f"{store.saved} (missing: {total - kept}) in {wall:.1f} s; "
          f"files identical to the uninterrupted run: {same(out, reference)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="--jobs N and local:N")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory(prefix="alearn-scale-") as tmp:
        root = Path(tmp)
        study = make_study(root, args.tasks, args.seeds)
        tasks = discover_tasks([study])
        total = args.tasks * args.seeds
        print(f"study: {args.tasks} tasks ({args.tasks // 4} large: 2000 rows x 20) x "
              f"{args.seeds} seeds = {total} units; {args.workers} workers; "
              f"{os.cpu_count()} cores")
        local, local_mem = timed_joblib(tasks, root / "joblib", args.workers)
        print(f"joblib --jobs {args.workers}: {local:.1f} s; peak RSS per worker MiB: "
              f"{local_mem}")
        dask, dask_mem = timed_dask(tasks, root / "dask", args.workers)
        print(f"dask --cluster local:{args.workers}: {dask:.1f} s (cluster start included); "
              f"peak RSS per worker MiB: {dask_mem}")
        print(f"overhead ratio dask/joblib: {dask / local:.2f} (goal <= 1.3); "
              f"identical results: {same(root / 'joblib', root / 'dask')}")
        resume(study, root / "resumed", root / "joblib", args.workers, total)


if __name__ == "__main__":
    main()
