"""Labeling-session latency through the real CLI: ``alearn label`` in a pseudo-terminal.

Writes an unlabeled file of N rows x 20 numeric features (three Gaussian
classes; no id column, so rows are known by their content hash) in a
temporary folder, as CSV (numbers written to 6 digits) or Parquet (float64
columns), starts the real command with its default settings
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
* the peak memory of the ``alearn`` process (its ``VmHWM``, read before it quits).

Then a table of every size and format, with the cost of each added row: the
first row's time and the peak memory (bytes) from the next smaller file of the
same format (a 1,000-row file for the smallest), so whether they grow
linearly is read off the column (the same number down it: linear).

With ``--phases`` it opens each file once more in a fresh process, in-process
(no terminal), and prints where the first row's time and memory go: each phase
of opening as it starts (imports, reading, typing the columns, row ids,
features, cold start), with the seconds since the process started and its
resident and peak memory then.

    .venv/bin/python bench/session_latency.py [--rows 100000 1000000] [--formats csv parquet]
        [--labels 40] [--big]       # --big: 10M rows Parquet too (about 1.6 GB of data)
    .venv/bin/python bench/session_latency.py --rows 1000000 --phases
"""

from __future__ import annotations

import argparse
import os
import re
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


BASE_ROWS = 1_000  # the file whose first row and memory the others are compared with


def make_pool(path: Path, n: int, seed: int = 0) -> dict[str, str]:
    """Write the file (CSV or Parquet, by its suffix); return each row's content id ->
    its true class."""
    rng = np.random.default_rng(seed)
    y = rng.integers(len(CLASSES), size=n)
    centres = rng.normal(scale=1.5, size=(len(CLASSES), FEATURES))
    frame = pd.DataFrame(centres[y] + rng.normal(size=(n, FEATURES)),
                         columns=[f"x{i}" for i in range(FEATURES)])
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
        written = frame
    else:
        frame.to_csv(path, index=False, float_format="%.6g")
        written = pd.read_csv(path, dtype=str)
    # The ids alearn gives the rows: the content hash of the cells as read.
    return dict(zip(content_ids(written), CLASSES[y], strict=True))


def memory_mb(pid: int | str = "self") -> tuple[float, float]:
    """A live process's resident and peak resident memory (``VmRSS``, ``VmHWM``), in MB."""
    status = {line.split(":")[0]: line.split()[1]
              for line in Path(f"/proc/{pid}/status").read_text().splitlines()
              if line.startswith(("VmRSS", "VmHWM"))}
    return int(status["VmRSS"]) / 1024, int(status["VmHWM"]) / 1024


def pct(values: list[float], q: float) -> str:
    return f"{1000 * float(np.percentile(values, q)):6.1f} ms" if values else "   n/a"


def run(n: int, kind: str, labels: int, think: float, quiet: bool = False) -> dict[str, float]:
    """One session on a new file of ``n`` rows; print what it measured (unless
    ``quiet``) and return it."""
    name = f"pool.{kind}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        truth = make_pool(folder / name, n)
        made = time.perf_counter() - t0
        size = (folder / name).stat().st_size
        env = dict(os.environ, TERM="dumb", COLUMNS="160", LINES="60")
        t0 = time.perf_counter()
        child = pexpect.spawn(ALEARN, ["label", name, "--target", "label",
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
        peak = memory_mb(child.pid)[1]
        child.send("q")
        child.expect(pexpect.EOF)
        child.close()
    if quiet:
        return {"first": first, "peak": peak}
    print(f"\n{n:,} rows x {FEATURES} numeric features ({size / 1e6:.0f} MB {kind}, made in "
          f"{made:.1f} s); alearn label, default settings (batch 1, margin, logreg); "
          f"{labels} keys, think {think:g} s")
    print(f"  time to first row      : {first:6.1f} s")
    print(f"  key -> next row        : median {1000 * statistics.median(steps):6.1f} ms, "
          f"p90 {pct(steps, 90)}, max {pct(steps, 100)}")
    print(f"  rows chosen while a retrain ran: {stale} of {labels}")
    print(f"  peak memory (alearn)   : {peak:,.0f} MB")
    return {"first": first, "median": statistics.median(steps),
            "p90": float(np.percentile(steps, 90)), "peak": peak}


def open_phases(path: str, started: float) -> None:
    """In this (fresh) process: open a session on ``path`` and print each phase of
    opening as it starts, with the time since ``started`` and the memory then."""
    from alearn.commands import open_label_session

    def line(what: str) -> None:
        rss, peak = memory_mb()
        print(f"  {time.perf_counter() - started:6.2f} s  {rss:6,.0f} MB now  "
              f"{peak:6,.0f} MB peak  {what}")

    line("imports done")
    seen: list[str] = []

    def progress(phase: object) -> None:
        name = str(getattr(phase, "name", phase))
        if not seen or seen[-1] != name:
            seen.append(name)
            line(name)

    with tempfile.TemporaryDirectory() as tmp:
        session = open_label_session(path, target="label", classes=",".join(CLASSES),
                                     store=Path(tmp) / "store.sqlite", progress=progress)
        line(f"first row chosen ({session.current().row_id})")
        session.close()


def phases(n: int, kind: str) -> None:
    """Open a new file of ``n`` rows in a fresh process and print its phases."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"pool.{kind}"
        make_pool(path, n)
        print(f"\n{n:,} rows, {kind}: opening in-process (no terminal)")
        # The clock starts before any import; this bench's own (pandas, pexpect) come
        # after alearn's, so "imports done" is alearn's start-up.
        child = ("import time; started = time.perf_counter(); import alearn.session.types; "
                 f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                 f"from session_latency import open_phases; open_phases({str(path)!r}, started)")
        subprocess.run([sys.executable, "-c", child], check=True)


def growth(results: dict[tuple[str, int], dict[str, float]],
           base: dict[str, dict[str, float]]) -> None:
    """The table of every run, with the cost of each added row: from the next smaller
    file of the same format (a 1,000-row one for the smallest)."""
    print(f"\nGrowth (per added row, from the next smaller file of the same format; "
          f"{BASE_ROWS:,} rows: " + ", ".join(f"{kind} {b['first']:.1f} s, {b['peak']:,.0f} MB"
                                              for kind, b in base.items()) + ")")
    print(f"{'format':8} {'rows':>11} {'first row':>10} {'key median':>11} {'key p90':>9} "
          f"{'peak MB':>8} {'first us/row':>13} {'peak bytes/row':>15}")
    before = {kind: (BASE_ROWS, b) for kind, b in base.items()}
    for (kind, n), r in sorted(results.items()):
        m, b = before[kind]
        print(f"{kind:8} {n:>11,} {r['first']:>8.2f} s {1000 * r['median']:>8.1f} ms "
              f"{1000 * r['p90']:>6.1f} ms {r['peak']:>8,.0f} "
              f"{1e6 * (r['first'] - b['first']) / (n - m):>13.2f} "
              f"{2**20 * (r['peak'] - b['peak']) / (n - m):>15,.0f}")
        before[kind] = (n, r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", choices=["csv", "parquet"],
                        default=["csv", "parquet"])
    parser.add_argument("--big", action="store_true",
                        help="also 10,000,000 rows Parquet (needs several GB of memory)")
    parser.add_argument("--labels", type=int, default=40, help="keys pressed per pool")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds to wait before each key (0: as fast as the screen)")
    parser.add_argument("--phases", action="store_true",
                        help="only where opening each file spends its time and memory")
    args = parser.parse_args()
    runs = [(kind, n) for kind in args.formats for n in sorted(args.rows)]
    if args.big:
        runs.append(("parquet", 10_000_000))
    if args.phases:
        for kind, n in runs:
            phases(n, kind)
        return
    base = {kind: run(BASE_ROWS, kind, 1, 0.0, quiet=True) for kind in dict(runs)}
    results = {(kind, n): run(n, kind, args.labels, args.think) for kind, n in runs}
    growth(results, base)


if __name__ == "__main__":
    main()
