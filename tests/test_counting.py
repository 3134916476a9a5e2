"""Counts in words: one label, two labels; through the CLI, never "1 labels"."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from alearn.counting import counted, plural, signed


def test_counted_is_singular_for_one_only():
    assert counted(1, "label") == "1 label"
    assert counted(0, "label") == "0 labels"
    assert counted(2, "audit label") == "2 audit labels"
    assert counted(1, "leaf", "leaves") == "1 leaf" and plural(3, "leaf", "leaves") == "leaves"
    assert counted(1204, "row", thousands=True) == "1,204 rows"


def test_one_label_is_said_in_the_singular(tmp_path, cli):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=30), "y": rng.normal(size=30), "label": None})
    data = tmp_path / "one.csv"
    frame.to_csv(data, index=False)
    result = cli("label", data, "--target", "label", "--classes", "a,b", stdin="1\nq\n",
                 cwd=tmp_path)
    assert result.code == 0, result.err
    assert "saved 1 label (0 skipped)" in result.out
    resumed = cli("label", data, "--target", "label", stdin="q\n", cwd=tmp_path)
    assert ": 1 label, 0 skipped" in resumed.out
    # No count anywhere in the session's text is followed by a plural of one.
    text = result.out + resumed.out
    assert not re.search(r"\b1 (labels|rows|seeds|tasks|measured rows|gold rows)\b", text)


def test_signed_changes_never_show_a_negative_zero():
    assert signed(-0.0004, 2) == "+0.00" and signed(-0.0, 3) == "+0.000"
    assert signed(-0.006, 2) == "-0.01" and signed(0.04, 2) == "+0.04"
