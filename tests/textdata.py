"""Synthetic text data shared by tests in several folders (importable: tests/ is on sys.path)."""

from __future__ import annotations

import numpy as np
import pandas as pd

SPORT = ["match", "goal", "team", "coach", "league", "season", "striker", "keeper"]
TECH = ["software", "compiler", "server", "database", "kernel", "network", "python", "cloud"]
FILLER = ["the", "a", "report", "about", "new", "today", "with", "after", "big", "week"]


def text_frame(n: int = 80, seed: int = 0) -> pd.DataFrame:
    """Two topics told apart by their words; a numeric column; a label."""
    rng = np.random.default_rng(seed)
    y = rng.integers(2, size=n)
    words = [SPORT, TECH]

    def sentence(k: int, topic: int) -> str:
        mix = [rng.choice(words[topic]) if rng.random() < 0.5 else rng.choice(FILLER)
               for _ in range(k)]
        return " ".join(mix)

    return pd.DataFrame({
        "title": [sentence(6, t) for t in y],
        "body": [sentence(20, t) + "." for t in y],
        "Length": rng.normal(size=n),
        "label": np.array(["sport", "tech"])[y],
    })
