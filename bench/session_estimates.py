"""How honest is the accuracy a labeling session shows? (issue 12, item 7)

Simulates labeling sessions on the development classify tasks (every CSV in
../shared/moot/classify/, plus the bundled tasks/ with ``--bundled``): per
task and seed the stratified pool/test split of ``alearn run``, the session's
learner (the task's model, k-means start, margin sampling, one label per
retrain) and the session's audit rule (:func:`alearn.estimates.audit.next_row`:
every k-th label drawn at random), with the known labels playing the human.
At 8, 16 and 32 labels it compares each candidate estimate of the model's
accuracy with its true accuracy on the held-out test rows, and prints per
budget the mean absolute error of the point, the mean signed error (bias),
how often the interval holds the true value (coverage) and its mean width.
It also prints what the audit rows cost: the session model's test accuracy as
a share of the all-labels ceiling (``alearn run``'s metric) for each audit
share, beside the session without audit rows (``--every 0``, which is
``alearn run``'s margin learner).

Candidates (``--every`` chooses the audit shares; 0 = no audit rows):

* ``cv``: 5-fold CV on the labels (:func:`alearn.estimates.accuracy.cv_estimate`,
  what sessions showed before), with the Wilson interval on the labels;
* ``audit`` (what a session shows now,
  :func:`alearn.estimates.accuracy.learner_audit_estimate`): the audit rows,
  each predicted by a model fitted without it, in a Beta posterior whose
  prior is the model's mean top probability over the unlabeled rows counted
  as ``PRIOR_LABELS`` labels; the posterior mean and central interval;
* ``audit-wilson``: accuracy on the audit rows alone, Wilson interval;
* ``audit-exact``: the same point, Clopper-Pearson interval;
* ``audit-holdout``: one model fitted without any audit row, scored on them
  (Wilson interval);
* ``ppi``: prediction-powered: the model's mean top probability over the
  unlabeled rows, corrected by the audit rows' (correct - probability), with
  a t interval;
* ``confidence``: the model's mean top probability over the unlabeled rows (no
  interval; it needs no audit rows).

    .venv/bin/python bench/session_estimates.py                 # 27 tasks, 10 seeds, 2 jobs
    .venv/bin/python bench/session_estimates.py --seeds 3 --only iris glass --every 0 2
"""

from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from devtasks import ROOT, classify_parser, classify_tasks, data_missing
from joblib import Parallel, delayed
from scipy.stats import binomtest
from scipy.stats import t as student_t
from threadpoolctl import threadpool_limits

from alearn.engine.learner import Learner
from alearn.engine.scoring import predict_now
from alearn.estimates.accuracy import (
    LEVEL,
    audit_estimate,
    cv_estimate,
    held_out_predictions,
    interval,
    learner_audit_estimate,
)
from alearn.estimates.audit import audit_keys, next_row
from alearn.kinds.classify.simulate import SimTask, seed_split
from alearn.models import fit_quietly, make_model
from alearn.tasks import load_task

BUDGETS = (8, 16, 32)
GOAL_MAE = 0.05
GOAL_COVERAGE = 0.80


def _row(name: str, point: float | None, low: float | None = None,
         high: float | None = None) -> dict[str, object]:
    return {"estimator": name, "point": point, "low": low, "high": high}


def _ppi(conf_pool: np.ndarray, correct: np.ndarray, conf: np.ndarray
         ) -> tuple[float, float, float]:
    """Prediction-powered mean: pool confidence plus the audit rows' mean correction."""
    rect = correct.astype(float) - conf
    point = float(conf_pool.mean() + rect.mean())
    m = rect.size
    if m < 2:
        return point, 0.0, 1.0
    se = math.sqrt(conf_pool.var(ddof=1) / conf_pool.size + rect.var(ddof=1) / m)
    half = float(student_t.ppf(0.5 + LEVEL / 2, m - 1)) * se
    return min(max(point, 0.0), 1.0), max(point - half, 0.0), min(point + half, 1.0)


def estimates(task: SimTask, learner: Learner, X: object, audit: np.ndarray,
              seed: int) -> list[dict[str, object]]:
    """Every candidate estimate for the learner's current model."""
    spec = task.spec
    rows = np.asarray(learner.order, dtype=int)
    labels = learner.labels[rows].astype(str)
    text = bool(task.text)
    out = []
    cv = cv_estimate(X, rows, labels, spec.model, seed, text=text)
    out.append(_row("cv", cv.accuracy, cv.low, cv.high))
    model = learner.model if not learner.pending else learner.fit_detached()
    unlabeled = np.flatnonzero(learner.eligible)
    conf_pool = None
    if model is not None and unlabeled.size:
        conf_pool = model.predict_proba(X[unlabeled]).max(axis=1)
        out.append(_row("confidence", float(conf_pool.mean())))
    if not audit.any():
        return out
    shown = learner_audit_estimate(learner, X, audit, seed)
    out.append(_row("audit", shown.accuracy, shown.low, shown.high))
    est = audit_estimate(X, rows, labels, audit, spec.model, seed, text=text)
    out.append(_row("audit-wilson", est.accuracy, est.low, est.high))
    test = np.flatnonzero(audit)
    correct, conf = held_out_predictions(X, rows, labels, test, spec.model, seed, text=text)
    k, m = int(correct.sum()), int(test.size)
    if est.accuracy is not None:
        ci = binomtest(k, m).proportion_ci(LEVEL, method="exact")
        out.append(_row("audit-exact", est.accuracy, float(ci.low), float(ci.high)))
    train = np.flatnonzero(~audit)
    if len(set(labels[train])) >= 2:
        fitted = fit_quietly(make_model(spec.model, seed, text=text), X[rows[train]],
                             labels[train])
        hits = int(np.sum(fitted.predict(X[rows[test]]).astype(str) == labels[test]))
        low, high = interval(hits, m)
        out.append(_row("audit-holdout", hits / m, low, high))
    if conf_pool is not None and est.accuracy is not None:
        out.append(_row("ppi", *_ppi(conf_pool, correct, conf)))
    return out


def one_seed(task: SimTask, seed: int, shares: list[int]) -> list[dict[str, object]]:
    """Simulate one session per audit share on one seed; a row per budget and estimator."""
    spec = task.spec
    records: list[dict[str, object]] = []
    with threadpool_limits(1):
        data = seed_split(task, seed)
        ceiling = fit_quietly(make_model(spec.model, seed, text=bool(task.text)), data.X_pool,
                              data.y_pool)
        ceil_acc = float(np.mean(ceiling.predict(data.X_test).astype(str) == data.y_test))
        keys = audit_keys(seed, len(data.pool))
        top = min(BUDGETS[-1], len(data.pool))
        for every in shares:
            learner = Learner(data.X_pool, model=spec.model, strategy=spec.strategies[0],
                              start=spec.start, start_size=spec.start_size, batch=1, seed=seed,
                              start_rows=data.start, text=bool(task.text))
            marks: list[bool] = []
            while learner.n_labeled < top:
                row, is_audit = next_row(learner, learner.n_labeled, every, keys)
                if row is None:
                    break
                learner.teach([row], [data.y_pool[row]])
                marks.append(is_audit)
                n = learner.n_labeled
                if n not in BUDGETS:
                    continue
                truth = float(np.mean(predict_now(learner, data.X_test) == data.y_test))
                base = {"task": spec.name, "seed": seed, "every": every, "budget": n,
                        "truth": truth, "ceiling": ceil_acc, "audit_rows": int(sum(marks))}
                for est in estimates(task, learner, data.X_pool, np.asarray(marks), seed):
                    records.append({**base, **est})
    return records


def load_tasks(args: argparse.Namespace) -> list[SimTask]:
    """The classify development tasks (and the bundled ones with ``--bundled``)."""
    bundled = [load_task(p) for p in sorted((ROOT / "tasks").iterdir())
               if (p / "task.toml").is_file()] if args.bundled else []
    return classify_tasks(args.data, args.only, bundled)


def report(frame: pd.DataFrame) -> None:
    """Print the estimate table and the label-efficiency table."""
    curve = frame.drop_duplicates(["task", "seed", "every", "budget"])
    frame = frame.dropna(subset=["point"]).copy()
    frame["error"] = frame["point"] - frame["truth"]
    frame["covered"] = (frame["low"] <= frame["truth"]) & (frame["truth"] <= frame["high"])
    frame["width"] = frame["high"] - frame["low"]
    print(f"\nestimates against the true test accuracy ({LEVEL:.0%} intervals; goals: MAE <= "
          f"{GOAL_MAE}, coverage >= {GOAL_COVERAGE:.0%}); n = task x seed cases with an "
          "estimate")
    print(f"{'audit every':>11} {'estimator':<14} {'labels':>6} {'audits':>6} {'MAE':>6} "
          f"{'bias':>7} {'cover':>6} {'width':>6} {'n':>5}")
    for (every, name), part in frame.groupby(["every", "estimator"], sort=True):
        for budget, rows in part.groupby("budget"):
            has = rows["low"].notna()
            cover = f"{rows.loc[has, 'covered'].mean():6.1%}" if has.any() else "     -"
            width = f"{rows.loc[has, 'width'].mean():6.3f}" if has.any() else "     -"
            print(f"{every:>11} {name:<14} {budget:>6} {rows['audit_rows'].mean():>6.1f} "
                  f"{rows['error'].abs().mean():6.3f} {rows['error'].mean():+7.3f} {cover} "
                  f"{width} {len(rows):>5}")
    curve = curve.assign(pct=100 * curve["truth"] / curve["ceiling"])
    per_task = curve.groupby(["every", "budget", "task"])["pct"].mean().reset_index()
    table = per_task.groupby(["every", "budget"])["pct"].mean().unstack("budget")
    print("\nlabel efficiency: mean % of the all-labels ceiling (test accuracy), tasks weighted "
          "equally")
    print(table.round(1).to_string())


def main() -> None:
    parser = classify_parser(__doc__, seeds=10)
    parser.add_argument("--every", type=int, nargs="*", default=[0, 2, 4],
                        help="audit shares to compare (0: no audit rows)")
    parser.add_argument("--only", nargs="*", help="task names to run (default: all)")
    parser.add_argument("--bundled", action="store_true", help="also the tasks/ folder")
    parser.add_argument("--out", type=Path, help="write every estimate as CSV here")
    args = parser.parse_args()
    if data_missing(args.data):
        return
    started = time.perf_counter()
    tasks = load_tasks(args)
    chunks = Parallel(n_jobs=args.jobs)(delayed(one_seed)(task, seed, args.every)
                                        for task in tasks for seed in range(args.seeds))
    frame = pd.DataFrame([r for chunk in chunks for r in chunk])
    if args.out:
        frame.to_csv(args.out, index=False)
    print(f"{len(tasks)} tasks x {args.seeds} seeds; margin sampling, k-means start of 8, "
          f"batch 1; audit every {args.every} labels")
    report(frame)
    print(f"wall time: {time.perf_counter() - started:.1f} s with --jobs {args.jobs}")


if __name__ == "__main__":
    main()
