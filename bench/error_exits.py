"""How fast each command refuses a wrong path: wall time of a real ``alearn`` process.

Goal (issue 21): every error exit within 0.3 s. Each command is run ``--repeat``
times on a path that does not exist; the median and the slowest run are
printed, with the time of ``python -c pass`` and of importing typer (the floor
every command pays) for reference. Run it on an idle machine:

    .venv/bin/python bench/error_exits.py
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 0.3
COMMANDS = [
    ["run", "{tmp}/nowhere"],
    ["report", "{tmp}/nowhere"],
    ["label", "{tmp}/nowhere.csv"],
    ["labels", "{tmp}/nowhere.db"],
    ["export", "{tmp}/nowhere", "--out", "{tmp}/model"],
    ["predict", "{tmp}/nowhere", "{tmp}/data.csv"],
    ["explain", "{tmp}/nowhere"],
    ["agreement", "{tmp}/nowhere.db", "{tmp}/elsewhere.db"],
    ["merge", "{tmp}/nowhere.db", "{tmp}/elsewhere.db", "--out", "{tmp}/team.db"],
    ["stopping", "{tmp}/nowhere.db"],
    ["label", "{tmp}/nowhere.db", "--adjudicate"],
]


def timed(argv: list[str], repeat: int, code: int | None) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if code is not None and done.returncode != code:
            raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}, expected {code}\n"
                             f"{done.stderr}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    alearn = str(Path(sys.executable).with_name("alearn"))
    print(f"{'command':<44} {'median':>8} {'max':>8}")
    for label, argv in (("python -c pass", [sys.executable, "-c", "pass"]),
                        ("python -c 'import typer'", [sys.executable, "-c", "import typer"])):
        t = timed(argv, args.repeat, 0)
        print(f"{label:<44} {statistics.median(t):>7.3f}s {max(t):>7.3f}s")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for command in COMMANDS:
            argv = [a.format(tmp=tmp) for a in command]
            t = timed([alearn, *argv], args.repeat, 2)
            worst = max(worst, statistics.median(t))
            shown = "alearn " + " ".join(argv).replace(tmp, "TMP")
            print(f"{shown:<44} {statistics.median(t):>7.3f}s {max(t):>7.3f}s")
    verdict = "met" if worst <= GOAL else "not met"
    print(f"slowest median {worst:.3f} s; goal <= {GOAL} s: {verdict}")


if __name__ == "__main__":
    main()
