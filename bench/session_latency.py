"""Labeling-session latency (issue 3): keystroke -> next row, and retrain + requery.

Builds an unlabeled pool of N rows x 20 numeric features (three Gaussian
classes, an id column, an empty label column) as a task folder in a temporary
directory, opens a real session on it (SQLite store on disk, logistic
regression, margin sampling, batch 20) and plays the human with the known
classes. It reports:

* keystroke -> next row (no retrain): the median time of ``session.label``
  (the event is committed and synced to the store), ``session.current`` (next
  row, why it was chosen, progress) and rendering the screen, over the labels
  that do not complete a batch;
* retrain + requery: the median time of ``Learner.fit`` (fit on the labels,
  rescore the whole pool), and of a whole keystroke that completes a batch
  (retrain, cross-validated estimate, next row, screen).

BLAS threads are limited with threadpoolctl (``--threads``, default 1): on a
shared 2-core machine one thread is as fast for these small matrix products
and does not fight other processes; ``--compare-threads`` measures both.

    .venv/bin/python bench/session_latency.py [--rows 100000 1000000] [--labels 60]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console
from threadpoolctl import threadpool_limits

from alearn.render.class_answer import screen
from alearn.session.classes import open_session

FEATURES = 20
CLASSES = np.array(["a", "b", "c"])


def make_pool(folder: Path, n: int, seed: int = 0) -> np.ndarray:
    """Write a task folder with an unlabeled pool; return the true classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(len(CLASSES), size=n)
    centres = rng.normal(scale=1.5, size=(len(CLASSES), FEATURES))
    X = centres[y] + rng.normal(size=(n, FEATURES))
    frame = pd.DataFrame(X, columns=[f"F{i}" for i in range(FEATURES)])
    frame.insert(0, "id", [f"r{i}" for i in range(n)])
    frame["label"] = pd.Series([None] * n, dtype=object)
    frame.to_parquet(folder / "pool.parquet", index=False)
    (folder / "task.toml").write_text(
        'name = "latency"\ndata = "pool.parquet"\nid = "id"\ntarget = "label"\n')
    return CLASSES[y]


def ms(seconds: list[float]) -> str:
    return f"{1000 * statistics.median(seconds):7.1f} ms" if seconds else "    n/a"


def run(n: int, labels: int, batch: int, threads: int | None, compare: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        truth = make_pool(folder, n)
        made = time.perf_counter() - t0
        with threadpool_limits(threads):
            t0 = time.perf_counter()
            session = open_session(folder, classes="a,b,c", batch=batch,
                                   store=folder / "s.db", annotator="bench")
            opened = time.perf_counter() - t0
            index = {rid: i for i, rid in enumerate(session.ids)}
            console = Console(file=io.StringIO(), width=100, force_terminal=False)
            plain, retrain_steps = [], []
            with session:
                view = session.current()
                for _ in range(labels):
                    t0 = time.perf_counter()
                    step = session.label(truth[index[view.row_id]])
                    view = session.current()
                    console.print(screen(view, step, width=console.width))
                    elapsed = time.perf_counter() - t0
                    (retrain_steps if step.retrained else plain).append(elapsed)
                fits = {}
                for limit in ((1, None) if compare else (threads,)):
                    with threadpool_limits(limit):
                        times = []
                        for _ in range(5):
                            t0 = time.perf_counter()
                            session.learner.fit()
                            times.append(time.perf_counter() - t0)
                        fits[limit] = times
                t0 = time.perf_counter()
                session.undo()
                undo = time.perf_counter() - t0
    print(f"\n{n:,} rows x {FEATURES} features, logreg, margin, batch {batch}, "
          f"{labels} labels (BLAS threads: {threads or 'default'})")
    print(f"  make pool {made:.1f} s, open session (load, preprocess, start) {opened:.1f} s")
    print(f"  keystroke -> next row, no retrain : {ms(plain)}  (median of {len(plain)})")
    print(f"  keystroke with retrain + estimate : {ms(retrain_steps)}  "
          f"(median of {len(retrain_steps)})")
    for limit, times in fits.items():
        print(f"  retrain + requery (Learner.fit)   : {ms(times)}  "
              f"(median of 5, BLAS threads: {limit or 'default'})")
    print(f"  undo (rebuild by replay)          : {1000 * undo:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--labels", type=int, default=60)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads (0: library default)")
    parser.add_argument("--compare-threads", action="store_true",
                        help="also time the retrain with the default thread count")
    args = parser.parse_args()
    for n in args.rows:
        run(n, args.labels, args.batch, args.threads or None, args.compare_threads)


if __name__ == "__main__":
    main()
