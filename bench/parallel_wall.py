"""Wall time of an ``alearn label --evaluate`` session, one command at a time vs k at once.

The evaluator sleeps ``--sleep`` seconds (default 1) and prints the row's goals, as
a slow benchmark would; the session measures ``--rows`` rows (default 12) through the
real command (``python -m alearn.cli``, start-up included). Goal of issue 26: k = 4
finishes in at most 0.4 x the time of k = 1.

    python bench/parallel_wall.py [--rows 12] [--sleep 1] [--k 1 4]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def session_seconds(folder: Path, rows: int, k: int, sleep: float) -> float:
    """Wall seconds of one ``alearn label --evaluate --parallel k`` run to ``rows`` rows."""
    store = folder / f"k{k}.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SLEEP": str(sleep)}
    command = f"{sys.executable} {folder / 'evaluate.py'}"
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "alearn.cli", "label", str(folder / "opt.csv"),
                           "--evaluate", command, "--parallel", str(k), "--budget", str(rows),
                           "--store", str(store)], env=env, capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"k = {k}: exit {done.returncode}: {done.stderr.strip()}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12)
    parser.add_argument("--sleep", type=float, default=1.0)
    parser.add_argument("--k", type=int, nargs="*", default=[1, 4])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rng = np.random.default_rng(0)
        a, b = rng.random(200).round(3), rng.random(200).round(3)
        pd.DataFrame({"A": a, "B": b, "Speed+": a + b, "Cost-": a * b}).to_csv(
            folder / "opt.csv", index=False)
        (folder / "evaluate.py").write_text(textwrap.dedent("""\
            import json, os, time
            a, b = float(os.environ["ALEARN_A"]), float(os.environ["ALEARN_B"])
            time.sleep(float(os.environ["SLEEP"]))
            print(json.dumps({"Speed+": a + b, "Cost-": a * b}))
            """))
        times = {k: session_seconds(folder, args.rows, k, args.sleep) for k in args.k}
    base = times[args.k[0]]
    print(f"{args.rows} rows, evaluator sleeps {args.sleep:g} s (wall time, start-up included)")
    for k, seconds in times.items():
        print(f"k = {k}: {seconds:6.1f} s   {seconds / base:5.2f} x k = {args.k[0]}")


if __name__ == "__main__":
    main()
