"""The real ``alearn label`` in a pseudo-terminal: long and wide rows fit the screen,
``e`` and ``f`` show the rest, and a hidden column never appears."""

import os
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pexpect = pytest.importorskip("pexpect")

ALEARN = str(Path(sys.executable).with_name("alearn"))
TIMEOUT = 90  # the first import of scikit-learn is slow on a busy machine
HEIGHT, WIDTH = 24, 100
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(*args, cwd):
    env = dict(os.environ, TERM="dumb", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return pexpect.spawn(ALEARN, ["label", *map(str, args)], cwd=str(cwd), env=env,
                         encoding="utf-8", timeout=TIMEOUT, dimensions=(HEIGHT, WIDTH))


def screen(child):
    """The next full screen (from its ``row`` header to the keys line), escapes removed."""
    child.expect(r"q quit\r?\n")
    text = ESCAPE.sub("", child.before).replace("\r", "")
    return text[[m.start() for m in re.finditer(r"(?m)^row ", text)][-1]:]


def lines(text):
    return text.splitlines()


@pytest.fixture
def tickets(tmp_path):
    rng = np.random.default_rng(0)
    n = 30
    words = np.array(["crash", "start", "config", "file", "missing", "home", "login", "page",
                      "slow", "button"])
    abstract = [" ".join(rng.choice(words, 250)) + f" END{k}" for k in range(n)]
    frame = pd.DataFrame({"ticket": [f"T-{100 + k}" for k in range(n)],
                          "title": [f"title {k} " + " ".join(rng.choice(words, 5))
                                    for k in range(n)],
                          "abstract": abstract, "Priority": rng.normal(size=n),
                          "resolution": [f"SECRET{k}" for k in range(n)], "label": None})
    path = tmp_path / "tickets.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_long_field_keeps_the_header_on_screen_and_e_shows_it_whole(tickets, tmp_path):
    child = spawn(tickets, "--target", "label", "--classes", "bug,feature", "--hide",
                  "resolution", "--store", tmp_path / "s.db", cwd=tmp_path)
    first = screen(child)
    shown = lines(first)
    assert len(shown) < HEIGHT, first  # the whole screen fits: the header stays in view
    row = re.match(r"row (T-\d+)", shown[0]).group(1)
    k = int(row.split("-")[1]) - 100
    assert f"title {k} " in first and "Priority" in first  # the key fields are there
    assert f"END{k}" not in first and "e shows the whole text" in first
    assert "e expand text" in shown[-1]
    child.send("e")
    full = screen(child)
    assert f"END{k}" in full and lines(full)[0] == f"row {row}"
    assert "e shorten text" in full
    child.send("e")  # again: the first lines only
    assert f"END{k}" not in screen(child)
    child.send("1")
    after = screen(child)
    assert f"row {row}: bug" in after and len(lines(after)) < HEIGHT
    child.send("f")
    child.send("q")
    child.expect(pexpect.EOF)
    transcript = ESCAPE.sub("", child.before)
    child.close()
    assert child.exitstatus == 0
    # The hidden column is on no screen: neither its name nor a value.
    for text in (first, full, after, transcript):
        assert "resolution" not in text and "SECRET" not in text


def test_a_wide_row_shows_the_fields_that_fit_and_f_shows_them_all(tmp_path):
    rng = np.random.default_rng(1)
    n, p = 60, 300
    X = rng.normal(size=(n, p))
    frame = pd.DataFrame(X, columns=[f"f{j:03d}" for j in range(p)])
    frame["label"] = np.where(X[:, 250] > 0, "yes", "no")
    frame.loc[12:, "label"] = None
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    child = spawn(path, "--target", "label", "--classes", "no,yes", "--store", tmp_path / "s.db",
                  cwd=tmp_path)
    first = screen(child)
    names = re.findall(r"^ (f\d{3}) ", first, flags=re.M)
    assert len(lines(first)) < HEIGHT and 5 <= len(names) < p
    assert f"{p - len(names)} more fields (the model's strongest shown first)" in first
    assert "f all fields" in first
    assert "f or PgDn shows all" in first
    child.send("f")  # every field in file order, a page at a time under the row's header
    every = screen(child)
    assert lines(every)[0].startswith("row ") and len(lines(every)) < HEIGHT
    page = re.findall(r"^ (f\d{3}) ", every, flags=re.M)
    assert page == [f"f{j:03d}" for j in range(len(page))]
    assert f"fields 1–{len(page)} of {p} · page 1/" in every and "f fewer fields" in every
    child.send("\x1b[6~")  # PgDn: the next page
    following = screen(child)
    assert re.findall(r"^ (f\d{3}) ", following, flags=re.M)[0] == f"f{len(page):03d}"
    child.send("f")
    assert "more fields" in screen(child)
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
