"""Labeling-session latency through the real CLI: ``alearn label`` in a pseudo-terminal.

Writes an unlabeled CSV of N rows x 20 numeric features (three Gaussian
classes; no id column, so rows are known by their content hash) in a
temporary folder, starts the real command with its default settings
(``alearn label pool.csv --target label --classes a,b,c``: batch 1, margin,
logistic regression, k-means start) in a pseudo-terminal (pexpect, a dev
dependency), and plays a person who presses the true class's key as soon as
each row is on the screen (``--think`` waits that long first). It prints

* time to first row: from starting the command until the first row's screen
  is complete (Python start-up, reading, typing the columns, row ids,
  preprocessing, the cold start);
* key -> next row: from sending a key until the next row's screen is
  complete (the label committed and synced, the next row chosen, drawn and
  written to the terminal), median and 90th percentile;
* how many rows were chosen while a retrain was still under way (the screen
  says "model retraining"): with batch 1 every key makes a retrain due, and
  on a big pool it runs in the background;
* the peak memory of the ``alearn`` process (``getrusage`` of the child).

    .venv/bin/python bench/session_latency.py [--rows 100000 1000000] [--labels 40]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pexpect

from alearn.data.rowkeys import content_ids

FEATURES = 20
CLASSES = np.array(["a", "b", "c"])
KEYS = {c: str(i + 1) for i, c in enumerate(CLASSES)}
ALEARN = str(Path(sys.executable).with_name("alearn"))
ROW = re.compile(r"row ([0-9a-f]{16}(?:-\d+)?)\r?\n")
END = r"q quit\r?\n"


def make_pool(path: Path, n: int, seed: int = 0) -> dict[str, str]:
    """Write the CSV; return each row's content id -> its true class."""
    rng = np.random.default_rng(seed)
    y = rng.integers(len(CLASSES), size=n)
    centres = rng.normal(scale=1.5, size=(len(CLASSES), FEATURES))
    frame = pd.DataFrame(centres[y] + rng.normal(size=(n, FEATURES)),
                         columns=[f"x{i}" for i in range(FEATURES)])
    frame.to_csv(path, index=False, float_format="%.6g")
    # The ids alearn gives the rows: the content hash of the cells as written.
    written = pd.read_csv(path, dtype=str)
    return dict(zip(content_ids(written), CLASSES[y], strict=True))


def pct(values: list[float], q: float) -> str:
    return f"{1000 * float(np.percentile(values, q)):6.1f} ms" if values else "   n/a"


def run(n: int, labels: int, think: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        truth = make_pool(folder / "pool.csv", n)
        made = time.perf_counter() - t0
        size = (folder / "pool.csv").stat().st_size
        env = dict(os.environ, TERM="dumb", COLUMNS="160", LINES="60")
        t0 = time.perf_counter()
        child = pexpect.spawn(ALEARN, ["label", "pool.csv", "--target", "label",
                                       "--classes", ",".join(CLASSES)],
                              cwd=str(folder), env=env, encoding="utf-8", timeout=600,
                              dimensions=(60, 160))
        child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
        child.expect(END)
        first = time.perf_counter() - t0
        text = child.before
        steps, stale = [], 0
        for _ in range(labels):
            row = ROW.findall(text)[-1]
            if think:
                time.sleep(think)
            t0 = time.perf_counter()
            child.send(KEYS[truth[row]])
            child.expect(END)
            steps.append(time.perf_counter() - t0)
            text = child.before
            stale += "model retraining" in text
        child.send("q")
        child.expect(pexpect.EOF)
        child.close()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\n{n:,} rows x {FEATURES} numeric features ({size / 1e6:.0f} MB CSV, made in "
          f"{made:.1f} s); alearn label, default settings (batch 1, margin, logreg); "
          f"{labels} keys, think {think:g} s")
    print(f"  time to first row      : {first:6.1f} s")
    print(f"  key -> next row        : median {1000 * statistics.median(steps):6.1f} ms, "
          f"p90 {pct(steps, 90)}, max {pct(steps, 100)}")
    print(f"  rows chosen while a retrain ran: {stale} of {labels}")
    print(f"  peak memory (alearn)   : {peak:,.0f} MB (largest child so far)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--labels", type=int, default=40, help="keys pressed per pool")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds to wait before each key (0: as fast as the screen)")
    args = parser.parse_args()
    for n in args.rows:
        run(n, args.labels, args.think)


if __name__ == "__main__":
    main()
