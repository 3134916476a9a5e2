"""Does ``alearn agreement``'s κ on the shared random rows estimate the annotators' true κ?
(issue 24)

Two simulated annotators with known error rates each run their own labeling session
on the same development classify task (every CSV in ../shared/moot/classify/): the
session's learner (the task's model, k-means start, margin sampling, one label per
retrain) trained on *their own* answers, and the session's audit rule
(:func:`alearn.estimates.audit.next_row`: every 4th label the unanswered row with the
smallest key of one random order, the same order for both, as sessions of one seed
draw). Each person's model therefore chooses different rows.

An annotator errs more on hard rows, as people do: row ``i``'s hardness is one minus
the probability a cross-validated logistic regression gives its true class, and
annotator ``a`` with error rate ``e_a`` answers it wrongly (a uniformly chosen other
class) with probability ``min(0.9, e_a * hardness_i / mean hardness)`` (so ``e_a`` is
their error rate over the pool). Each annotator's answer to every pool row is drawn
once, so their *true* κ is Cohen's κ of the two answer vectors over the whole pool.

At 32 and 64 labels each, the bench compares with that true κ:

* κ on the shared random rows (:func:`alearn.estimates.audit.shared_random_rows`,
  what ``alearn agreement`` reports) with its 95 % interval: how often the
  interval holds the true κ (goal: >= 90 %), the mean error (bias);
* κ on every row both labeled (mostly rows their models chose): its bias.

Error-rate pairs cycle with the seed through ``PAIRS``. Per task and seed: the
run's pool/test split of ``alearn run`` (the pool is what the sessions label).

    .venv/bin/python bench/agreement.py                   # 27 tasks, 20 seeds, 2 jobs
    .venv/bin/python bench/agreement.py --seeds 3 --only iris glass
"""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from devtasks import classify_parser, classify_tasks, data_missing
from joblib import Parallel, delayed
from sklearn.metrics import cohen_kappa_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from alearn.engine.learner import Learner
from alearn.estimates.agreement import LEVEL, MISSING, agreement
from alearn.estimates.audit import AUDIT_EVERY, audit_keys, next_row, shared_random_rows
from alearn.kinds.classify.simulate import SimTask, seed_split
from alearn.models import make_model

BUDGETS = (32, 64)
# The two annotators' error rates over the pool, by seed (cycled).
PAIRS = ((0.05, 0.15), (0.10, 0.10), (0.10, 0.25), (0.20, 0.30))
GOAL_COVERAGE = 0.90
MAX_ERROR = 0.9


def hardness(X: object, y: np.ndarray, seed: int) -> np.ndarray:
    """One minus the cross-validated probability of each row's true class (logistic
    regression), scaled to mean 1 (all ones when every row is easy)."""
    folds = min(5, int(pd.Series(y).value_counts().min()))
    if folds < 2:
        return np.ones(y.size)
    model = make_model("logreg", seed)
    proba = cross_val_predict(model, X, y, cv=StratifiedKFold(folds, shuffle=True,
                                                              random_state=seed),
                              method="predict_proba")
    classes = np.unique(y)
    hard = 1 - proba[np.arange(y.size), np.searchsorted(classes, y)]
    return hard / hard.mean() if hard.mean() > 0 else np.ones(y.size)


def answers(truth: np.ndarray, classes: np.ndarray, weight: np.ndarray, rate: float,
            rng: np.random.Generator) -> np.ndarray:
    """An annotator's answer to every row: wrong with probability ``rate * weight``."""
    wrong = rng.random(truth.size) < np.minimum(MAX_ERROR, rate * weight)
    code = np.searchsorted(classes, truth)
    shift = rng.integers(1, classes.size, size=truth.size)  # another class, uniformly
    return np.where(wrong, classes[(code + shift) % classes.size], truth)


def session(task: SimTask, X: object, start: np.ndarray, given: np.ndarray,
            keys: np.ndarray, seed: int, budget: int) -> tuple[list[int], list[bool]]:
    """One person's session: the rows they label, in order, and which were audit rows."""
    spec = task.spec
    learner = Learner(X, model=spec.model, strategy="margin", start=spec.start,
                      start_size=spec.start_size, batch=1, seed=seed, start_rows=start,
                      text=bool(task.text))
    rows: list[int] = []
    audit: list[bool] = []
    while learner.n_labeled < budget:
        row, is_audit = next_row(learner, learner.n_labeled, AUDIT_EVERY, keys)
        if row is None:
            break
        learner.teach([row], [given[row]])
        rows.append(row)
        audit.append(is_audit)
    return rows, audit


def one_seed(task: SimTask, seed: int) -> list[dict[str, object]]:
    """Both sessions on one seed; a record per budget."""
    records: list[dict[str, object]] = []
    with threadpool_limits(1):
        data = seed_split(task, seed)
        y = data.y_pool.astype(str)
        classes = np.unique(y)
        weight = hardness(data.X_pool, y, seed)
        rates = PAIRS[seed % len(PAIRS)]
        given = [answers(y, classes, weight, rate, np.random.default_rng([seed, 24, a]))
                 for a, rate in enumerate(rates)]
        true_kappa = float(cohen_kappa_score(given[0], given[1]))
        keys = audit_keys(seed, y.size)
        top = min(BUDGETS[-1], y.size)
        runs = [session(task, data.X_pool, data.start, g, keys, seed, top) for g in given]
        code = {c: k for k, c in enumerate(classes)}
        for budget in BUDGETS:
            codes = np.full((y.size, 2), MISSING)
            audited = np.zeros((y.size, 2), dtype=bool)
            for j, (rows, audit) in enumerate(runs):
                codes[rows[:budget], j] = [code[v] for v in given[j][rows[:budget]]]
                audited[rows[:budget], j] = audit[:budget]
            base = {"task": task.spec.name, "seed": seed, "budget": budget,
                    "rates": f"{rates[0]:.2f}/{rates[1]:.2f}", "true": true_kappa}
            random_rows, _ = shared_random_rows(keys, audited, np.ones(y.size, dtype=bool))
            both = np.flatnonzero((codes != MISSING).all(axis=1))
            for name, rows in (("random", random_rows), ("all shared", both)):
                figure = agreement(codes[rows], classes.size, seed).pairs[0].kappa \
                    if rows.size else None
                records.append({**base, "rows": name, "n": int(rows.size),
                                "kappa": None if figure is None else figure.value,
                                "low": None if figure is None else figure.low,
                                "high": None if figure is None else figure.high})
    return records


def report(frame: pd.DataFrame) -> None:
    """Coverage and bias per budget and row set; per error-rate pair for the random rows."""
    frame = frame.copy()
    frame["defined"] = frame["kappa"].notna()
    frame["error"] = frame["kappa"] - frame["true"]
    frame["covered"] = (frame["low"] <= frame["true"]) & (frame["true"] <= frame["high"])
    frame["width"] = frame["high"] - frame["low"]
    print(f"\nκ against the true κ over the pool ({LEVEL:.0%} intervals; goal: coverage "
          f">= {GOAL_COVERAGE:.0%} on the shared random rows); n = task x seed pairs with a κ")
    print(f"{'rows':<11} {'labels':>6} {'rows used':>9} {'bias':>7} {'MAE':>6} {'cover':>6} "
          f"{'width':>6} {'n':>5} {'no κ':>5}")
    for (rows, budget), part in frame.groupby(["rows", "budget"], sort=False):
        ok = part[part["defined"]]
        print(f"{rows:<11} {budget:>6} {part['n'].mean():>9.1f} {ok['error'].mean():+7.3f} "
              f"{ok['error'].abs().mean():6.3f} {ok['covered'].mean():6.1%} "
              f"{ok['width'].mean():6.3f} {len(ok):>5} {len(part) - len(ok):>5}")
    print("\nby error rates (shared random rows; bias, coverage; all shared rows: bias)")
    for (rates, budget), part in frame.groupby(["rates", "budget"]):
        rnd = part[(part["rows"] == "random") & part["defined"]]
        alls = part[(part["rows"] == "all shared") & part["defined"]]
        print(f"  {rates} @{budget:>3}: true κ {rnd['true'].mean():.3f}; random rows "
              f"{rnd['error'].mean():+.3f}, {rnd['covered'].mean():.1%} (n {len(rnd)}); all "
              f"shared {alls['error'].mean():+.3f}")


def main() -> None:
    parser = classify_parser(__doc__, seeds=20)
    parser.add_argument("--only", nargs="*", help="task names to run (default: all)")
    parser.add_argument("--out", type=Path, help="write every record as CSV here")
    args = parser.parse_args()
    if data_missing(args.data):
        return
    started = time.perf_counter()
    tasks = classify_tasks(args.data, args.only)
    chunks = Parallel(n_jobs=args.jobs)(delayed(one_seed)(task, seed)
                                        for task in tasks for seed in range(args.seeds))
    frame = pd.DataFrame([r for chunk in chunks for r in chunk])
    if args.out:
        frame.to_csv(args.out, index=False)
    print(f"{len(tasks)} tasks x {args.seeds} seeds; two annotators per seed (error rates "
          f"{', '.join(f'{a}/{b}' for a, b in PAIRS)} by seed), margin sampling, k-means "
          f"start, batch 1, audit every {AUDIT_EVERY}th label")
    report(frame)
    print(f"wall time: {time.perf_counter() - started:.1f} s with --jobs {args.jobs}")


if __name__ == "__main__":
    main()
