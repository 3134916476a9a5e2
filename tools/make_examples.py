"""Write the small example files the README's commands use (examples/).

Run from the repository root: ``python tools/make_examples.py``. The files are
generated from a fixed seed (nothing is copied from a data set), so running it
again writes the same bytes; tests/test_readme.py checks they are up to date.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Words each kind of ticket tends to use: titles are a few of its words and one shared.
WORDS = {
    "bug": ["crash", "error", "fails", "broken", "exception", "freeze", "wrong", "missing"],
    "feature": ["add", "support", "option", "allow", "new", "export", "dark mode", "shortcut"],
    "question": ["how", "why", "where", "docs", "explain", "help", "possible", "meaning"],
}
SHARED = ["login", "settings", "report", "upload", "search", "dashboard", "api", "email"]


def tickets(n: int = 120, seed: int = 7) -> pd.DataFrame:
    """Support tickets: an id, a title, a priority, a resolution that gives the answer
    away (hide it), and a few labels already given."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(list(WORDS), size=n, p=[0.45, 0.35, 0.2])
    titles = [" ".join([*rng.choice(WORDS[k], size=2, replace=False), rng.choice(SHARED)])
              for k in kinds]
    priority = np.round(rng.gamma(2.0, 8.0, size=n) + np.where(kinds == "bug", 12, 0), 1)
    resolution = np.array({"bug": "fixed", "feature": "planned", "question": "answered"}[k]
                          for k in kinds)
    label = np.where(rng.random(n) < 0.05, kinds, "")
    return pd.DataFrame({"ticket": [f"T{i:04d}" for i in range(1, n + 1)], "title": titles,
                         "priority": priority, "resolution": resolution, "label": label})


def new_flowers(n: int = 12, seed: int = 3) -> pd.DataFrame:
    """Measurements of flowers to classify with a model exported from tasks/iris: around
    the three species' typical sizes, with the iris task's column names."""
    rng = np.random.default_rng(seed)
    centres = np.array([[5.0, 3.4, 1.5, 0.25], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
    rows = centres[rng.integers(3, size=n)] + rng.normal(scale=0.25, size=(n, 4))
    rows = np.round(np.clip(rows, 0.1, None), 1)
    columns = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(0, "flower", [f"f{i}" for i in range(1, n + 1)])
    return frame


TOPICS = {
    "yes": ["active learning", "labeling budget", "uncertainty sampling", "query strategy",
            "annotation cost", "few labels"],
    "no": ["image compression", "network latency", "database index", "compiler pass",
           "battery life", "cache misses"],
}
FILLER = ["a study of", "towards", "revisiting", "on the", "an empirical look at", "fast"]


def papers(n: int = 80, seed: int = 11) -> pd.DataFrame:
    """Papers to screen for a review on active learning: a title, an abstract, and a
    decision column to fill in (a few given)."""
    rng = np.random.default_rng(seed)
    decision = np.where(rng.random(n) < 0.2, "yes", "no")
    title = [f"{rng.choice(FILLER)} {rng.choice(TOPICS[d])}" for d in decision]
    abstract = [" ".join(["We", *(rng.choice(TOPICS[d]) for _ in range(3)), "and",
                          str(rng.choice(TOPICS["no"])), "are compared on", str(k), "tasks."])
                for d, k in zip(decision, rng.integers(3, 30, size=n), strict=True)]
    given = np.where(rng.random(n) < 0.1, decision, "")
    return pd.DataFrame({"title": title, "abstract": abstract, "decision": given})


FILES = {"tickets.csv": tickets, "new-flowers.csv": new_flowers, "papers.csv": papers}


def texts() -> dict[str, str]:
    """Each example file's name and its CSV text."""
    return {name: make().to_csv(index=False, lineterminator="\n") for name, make in FILES.items()}


def main() -> None:
    EXAMPLES.mkdir(exist_ok=True)
    for name, text in texts().items():
        (EXAMPLES / name).write_text(text, encoding="utf-8")
        print(f"wrote {EXAMPLES / name}")


if __name__ == "__main__":
    main()
