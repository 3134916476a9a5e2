"""Optimization benchmark on the MOOT files of the "Case for Compact AI" letter (issue 5).

Runs the 53 files marked `cacm_2025_set = yes` in ../shared/moot/INDEX.tsv, 20
repeats, budgets 8/16/32 (every label counts, the start included), and prints
% optimal (mean of per-file values and ratio of sums) for alearn's default
strategy and for best-of-n random sampling, plus the wall time.

    .venv/bin/python bench/optimize.py [--seeds 20] [--jobs 2] [--strategy bestrest]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from alearn.kinds.optimize.summary import summarize_optimize
from alearn.run import runner
from alearn.tasks import TaskSpec

MOOT = Path(__file__).resolve().parents[2] / "shared" / "moot"


def cacm_files(index: Path) -> list[Path]:
    """The files of the letter's figure that still have content."""
    with index.open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [index.parent / r["path"] for r in rows if r["cacm_2025_set"] == "yes"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--strategy", nargs="*", help="strategies (default: the kind's default)")
    parser.add_argument("--only", nargs="*", help="file stems to run (default: all 53)")
    parser.add_argument("--per-task", action="store_true")
    args = parser.parse_args()

    files = cacm_files(MOOT / "INDEX.tsv")
    if args.only:
        files = [f for f in files if f.stem in args.only]
    extra = {"strategies": tuple(args.strategy)} if args.strategy else {}
    tasks = [TaskSpec(name=f.stem, data=str(f), kind="optimize", seeds=args.seeds, **extra)
             for f in files]
    started = time.perf_counter()
    result = runner.run(tasks, jobs=args.jobs)
    wall = time.perf_counter() - started
    summary = summarize_optimize(result.results, [8, 16, 32])
    if args.per_task:
        print(summary.per_task.pivot_table(index=["task", "strategy"], columns="budget",
                                           values="pct").round(1).to_string())
    print(f"{len(tasks)} files x {args.seeds} repeats; % optimal = 100*(mu - most)/(mu - lo)")
    print(f"{'strategy':<12} {'mean@8':>7} {'mean@16':>8} {'mean@32':>8}   "
          f"{'ratio@8':>7} {'ratio@16':>8} {'ratio@32':>8}   W/T/L@32 vs random")
    for strategy, rows in summary.overall.groupby("strategy", sort=False):
        r = rows.set_index("budget")
        wtl = "" if strategy == "random" else \
            f"{r.loc[32, 'wins']}/{r.loc[32, 'ties']}/{r.loc[32, 'losses']}"
        print(f"{strategy:<12} {r.loc[8, 'pct_mean']:>7.1f} {r.loc[16, 'pct_mean']:>8.1f} "
              f"{r.loc[32, 'pct_mean']:>8.1f}   {r.loc[8, 'pct_ratio']:>7.1f} "
              f"{r.loc[16, 'pct_ratio']:>8.1f} {r.loc[32, 'pct_ratio']:>8.1f}   {wtl}")
    print(f"wall time: {wall:.1f} s with --jobs {args.jobs}")


if __name__ == "__main__":
    main()
