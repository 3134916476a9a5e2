"""Optimization benchmark: alearn's default beside random and Optuna, same rows, same metric.

Sets (from ../shared/moot/INDEX.tsv): ``--set cacm`` = the 53 files of the
"Case for Compact AI" letter (``cacm_2025_set = yes``); ``--set hpo`` = the 31
development files of ``optimize/hpo-health/``; ``--set heldout`` = every other
``optimize/`` file (29: in neither development family, never used to choose a
setting). Budgets 8/16/32 (every label
counts, the start included). Each run's measured rows are scored two ways:

- rule B (alearn's honest rule): the reported best row is the measured row
  whose d2h, normalised over the *measured* rows only, is lowest;
- rule A (the letter's rule): the measured row whose d2h normalised over *all*
  rows of the file is lowest (an optimizer cannot know this).

Both are reported as % optimal = 100 · (mean d2h − d2h of the best row) /
(mean d2h − min d2h), file-wide d2h, as the mean over files and the ratio of
sums, with paired W/T/L (per file and seed) of alearn's default vs every other
method. Optuna's samplers (``bench/optimize_peers.py``) are handed d2h
normalised with the file's own min/max, which alearn never sees.

    python bench/optimize.py --set cacm [--seeds 20] [--jobs 2]
    python bench/optimize.py --set hpo --seeds 20 --peer-seeds 5 --peers optuna-gp optuna-tpe
    python bench/optimize.py --set cacm --seeds 5 --parallel 2 4 8   # k rows at once
    python bench/optimize.py --set heldout --seeds 5 --parallel 4
    python bench/optimize.py --set hpo --seeds 5 --parallel 4 --lies  # kb-4 and cl-4 too
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from optimize_runs import BUDGETS, file_units, peer_unit  # beside this script

MOOT = Path(__file__).resolve().parents[2] / "shared" / "moot"
DEFAULT = "gpei"


def set_files(index: Path, name: str) -> list[Path]:
    """The files of a benchmark set: ``cacm`` (letter's 53), ``hpo`` (hpo-health) or
    ``heldout`` (the optimize files in neither)."""
    with index.open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    if name == "cacm":
        keep = [r for r in rows if r["cacm_2025_set"] == "yes"]
    elif name == "hpo":
        keep = [r for r in rows if r["path"].startswith("optimize/hpo-health/")]
    else:
        keep = [r for r in rows if r["path"].startswith("optimize/")
                and r["cacm_2025_set"] != "yes"
                and not r["path"].startswith("optimize/hpo-health/")]
    return [index.parent / r["path"] for r in keep]


def cacm_files(index: Path) -> list[Path]:
    """The files of the letter's figure that still have content."""
    return set_files(index, "cacm")


def report(units: list[tuple], stats: dict, methods: list[str], default: str) -> None:
    """Print % optimal (both rules), W/T/L of the default vs each method, seconds per run."""
    for rule, title in (("B", "rule B (best by d2h over measured rows: what alearn reports)"),
                        ("A", "rule A (best by d2h over all rows: the letter's rule)")):
        print(f"\n% optimal, {title}")
        print(f"{'method':<12} {'seeds':>5} " + " ".join(f"{'mean@' + str(b):>8}" for b in BUDGETS)
              + "   " + " ".join(f"{'ratio@' + str(b):>8}" for b in BUDGETS)
              + "   W/T/L of " + default + " @" + "/".join(map(str, BUDGETS)))
        by = {(f, s, m): sc for f, s, m, sc, _ in units}
        for m in methods:
            mine = [(f, s) for f, s, mm, _, _ in units if mm == m]
            seeds = len({s for _, s in mine})
            cells, ratios, wtl = [], [], []
            for b in BUDGETS:
                per_file: dict[str, list[float]] = {}
                for f, s in mine:
                    per_file.setdefault(f, []).append(by[(f, s, m)][(rule, b)])
                most = {f: float(np.mean(v)) for f, v in per_file.items()}
                pct = [100 * (stats[f][0] - most[f]) / (stats[f][0] - stats[f][1]) for f in most]
                gained = sum(stats[f][0] - most[f] for f in most)
                gap = sum(stats[f][0] - stats[f][1] for f in most)
                cells.append(f"{np.mean(pct):>8.1f}")
                ratios.append(f"{100 * gained / gap:>8.1f}")
                if m != default:
                    d = np.array([by[(f, s, m)][(rule, b)] - by[(f, s, default)][(rule, b)]
                                  for f, s in mine if (f, s, default) in by])
                    wtl.append(f"{(d > 1e-12).sum()}/{(abs(d) <= 1e-12).sum()}/"
                               f"{(d < -1e-12).sum()}")
            print(f"{m:<12} {seeds:>5} " + " ".join(cells) + "   " + " ".join(ratios) + "   "
                  + "  ".join(wtl))
    print("\nW/T/L: paired over (file, seed) on the seeds both ran; W = the default's reported "
          "row closer to heaven.")
    print("CPU seconds per 32-label run: " + ", ".join(
        f"{m} {np.mean([sec for *_, mm, _, sec in units if mm == m]):.3f}" for m in methods))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["cacm", "hpo", "heldout"], default="cacm",
                        dest="set_name")
    parser.add_argument("--seeds", type=int, default=20, help="repeats of alearn and random")
    parser.add_argument("--peer-seeds", type=int, default=5, help="repeats of each Optuna peer")
    parser.add_argument("--peers", nargs="*", default=[], choices=["optuna-gp", "optuna-tpe"],
                        help="Optuna samplers to run beside alearn (cached per file and seed)")
    parser.add_argument("--gp-seeds", type=int, help="repeats of optuna-gp (default: "
                        "--peer-seeds; it costs ~100x the others)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--strategy", nargs="*", default=[DEFAULT],
                        help="alearn strategies (the first is the one W/T/L is about)")
    parser.add_argument("--parallel", nargs="*", type=int, default=[],
                        help="also run the first strategy with k rows under way at once "
                        "(e.g. 2 4 8), and plain top-k at the largest k")
    parser.add_argument("--lies", action="store_true",
                        help="also each lie at each k: the kriging believer (kb-k, the GP's "
                        "mean) and the constant liar (cl-k, as good as the best measured)")
    parser.add_argument("--only", nargs="*", help="file stems to run (default: the whole set)")
    parser.add_argument("--every", type=int, default=1, help="every k-th file (quick looks)")
    args = parser.parse_args()

    files = set_files(MOOT / "INDEX.tsv", args.set_name)[:: args.every]
    if args.only:
        files = [f for f in files if f.stem in args.only]
    methods = [*dict.fromkeys([*args.strategy, "random"])]
    if args.parallel:
        first = args.strategy[0]
        methods += [f"{first} k={k}" for k in args.parallel if k > 1]
        methods.append(f"{first} top-{max(args.parallel)}")
        if args.lies:
            methods += [f"{first} {lie}-{k}" for lie in ("kb", "cl")
                        for k in args.parallel if k > 1]
    started = time.perf_counter()
    # One job per file, largest first, so the last job to finish is a short one.
    by_size = sorted(files, key=lambda p: p.stat().st_size, reverse=True)
    per_file = Parallel(n_jobs=args.jobs)(delayed(file_units)(p, args.seeds, methods)
                                          for p in by_size)
    wall = time.perf_counter() - started
    stats = {f: (mu, lo) for (f, mu, lo), _ in per_file}
    units = [unit for _, file_runs in per_file for unit in file_runs]
    gp_seeds = args.peer_seeds if args.gp_seeds is None else args.gp_seeds
    peer_started = time.perf_counter()
    units += Parallel(n_jobs=args.jobs)(delayed(peer_unit)(p, s, m, args.set_name)
                                        for m in args.peers for s in range(
                                            gp_seeds if m == "optuna-gp" else args.peer_seeds)
                                        for p in files)
    peer_wall = time.perf_counter() - peer_started
    print(f"set {args.set_name}: {len(files)} files; budgets {'/'.join(map(str, BUDGETS))}; "
          f"alearn and random x {args.seeds} seeds"
          + ((f", Optuna peers x {args.peer_seeds} seeds" if args.peers else "")
          + (f" (optuna-gp x {gp_seeds})" if "optuna-gp" in args.peers else "")))
    if args.peers:
        print("note: the Optuna peers are handed d2h normalised with the file's own min/max "
              "(all rows), which alearn never sees.")
    report(units, stats, [*methods, *args.peers], args.strategy[0])
    print(f"wall time, alearn + random: {wall:.1f} s with --jobs {args.jobs}"
          + (f"; Optuna peers: {peer_wall:.1f} s (cache hits are free)" if args.peers else ""))


if __name__ == "__main__":
    main()
