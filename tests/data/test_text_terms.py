"""Text columns that give TF-IDF no terms are left out with a note, not a traceback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alearn.data.dataset import load_dataset
from alearn.data.text import has_terms
from alearn.errors import DataError
from alearn.tasks import load_task

N = 120
SAME_WORDS = [f"alpha beta gamma delta epsilon zeta eta theta {1000 + i}" for i in range(N)]


def test_words_in_every_row_give_no_terms_but_ordinary_text_does():
    assert not has_terms(pd.Series(SAME_WORDS))
    rng = np.random.default_rng(0)
    vocabulary = np.array(["bug", "crash", "login", "page", "slow", "button", "report",
                           "error", "save"])
    ordinary = pd.Series([" ".join(rng.choice(vocabulary, 6)) for _ in range(N)])
    assert has_terms(ordinary)
    assert not has_terms(pd.Series(["the and of", "a an the"] * 30))  # stop words only


def test_column_without_terms_is_left_out_with_its_reason(tmp_path):
    y = np.arange(N) % 2
    data = tmp_path / "d.csv"
    pd.DataFrame({"notes": SAME_WORDS, "Size": y + np.linspace(0, 1, N),
                  "class!": np.array(["a", "b"])[y]}).to_csv(data, index=False)
    loaded = load_dataset(load_task(data))
    assert loaded.text == [] and list(loaded.features.columns) == ["Size"]
    assert "text with no usable words" in loaded.dropped["notes"]
    assert any("'notes' left out" in n for n in loaded.notices())


def test_only_a_column_without_terms_is_one_error_naming_it(tmp_path):
    data = tmp_path / "d.csv"
    pd.DataFrame({"notes": SAME_WORDS, "class!": ["a", "b"] * (N // 2)}).to_csv(data,
                                                                               index=False)
    with pytest.raises(DataError, match="'notes', text with no usable words"):
        load_dataset(load_task(data))
