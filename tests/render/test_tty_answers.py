"""The real ``alearn label`` in a pseudo-terminal: what a person types and sees in the
first hour with their own data: class names that differ only by case, a goal prompt
that is a line editor, the two keys of a screen, and a wide file's notes and fields."""

import json
import os
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pexpect = pytest.importorskip("pexpect")

from alearn.journal.labels import current_labels  # noqa: E402
from alearn.journal.store import read_store  # noqa: E402

ALEARN = str(Path(sys.executable).with_name("alearn"))
TIMEOUT = 90  # the first import of scikit-learn is slow on a busy machine
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
ROW = re.compile(r"row ([0-9a-f]{16})\b")


def spawn(*args, cwd, height=40, width=120, term="xterm-256color"):
    env = dict(os.environ, TERM=term, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return pexpect.spawn(ALEARN, ["label", *map(str, args)], cwd=str(cwd), env=env,
                         encoding="utf-8", timeout=TIMEOUT, dimensions=(height, width))


def plain(text):
    return ESCAPE.sub("", text).replace("\r", "")


def screen(child):
    """The next full screen (from its last ``row`` header to the keys line)."""
    child.expect(r"q quit")
    text = plain(child.before)
    starts = [m.start() for m in re.finditer(r"(?m)^row \S+$", text)]
    return text[starts[-1]:] if starts else text


def finish(child):
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def pool(tmp_path, n=30):
    rng = np.random.default_rng(3)
    path = tmp_path / "pool.csv"
    pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n),
                  "label": None}).to_csv(path, index=False)
    return path


def test_a_name_that_differs_only_by_case_asks_and_a_mistaken_class_frees_its_key(tmp_path):
    store = tmp_path / "s.db"
    child = spawn(pool(tmp_path), "--target", "label", "--store", store, cwd=tmp_path)
    child.expect("class of this row")
    child.sendline("good")
    assert "[1] good (1)" in screen(child)
    child.send("n")
    child.expect("class name")
    child.send(" Good \r")
    child.expect(r"'Good' is like the existing class 'good': use 'good'\? \[Y/n\]")
    child.send("n")  # no: a class of its own, on the next key
    text = screen(child)
    assert "(new class, key 2)" in text and "[2] Good (1)" in text
    child.send("u")  # the mistake undone: the class has no label left, its key is free
    text = screen(child)
    assert "class 'Good' has no label left (key 2 is free)" in " ".join(text.split())
    assert "[2]" not in text.split("\n")[-3:][0] and "2 Good" not in text
    child.send("n")
    child.expect("class name")
    child.send("GOOD\r")
    child.expect(r"use 'good'\? \[Y/n\]")
    child.send("\r")  # Enter: the existing class
    assert "typed 'GOOD': the existing class" in screen(child)
    child.send("q")
    finish(child)
    assert list(current_labels(store)["label"]) == ["good", "good"]

    child = spawn(pool(tmp_path), "--target", "label", "--store", store, cwd=tmp_path)
    text = screen(child)  # resumed: the same classes and keys as before quitting
    assert "[1] good (2)" in text and "Good" not in text and "[2]" not in text
    child.send("q")
    finish(child)


def goals_csv(tmp_path, n=40):
    rng = np.random.default_rng(0)
    a, b = rng.random(n).round(3), rng.random(n).round(3)
    path = tmp_path / "opt.csv"
    pd.DataFrame({"A": a, "B": b, "Speed+": a + b, "Cost-": b}).to_csv(path, index=False)
    return path


def test_the_goal_prompt_is_a_line_editor_and_u_steps_back_within_the_row(tmp_path):
    store = tmp_path / "s.db"
    child = spawn(goals_csv(tmp_path), "--store", store, cwd=tmp_path, height=24, width=80)
    first = ROW.search(screen(child)).group(1)
    child.expect(r"Speed\+ \(maximise\):")
    child.send("5\r")
    text = screen(child)
    assert "this row so far: Speed+ 5" in text and "u or ↑ back to Speed+" in text
    assert ROW.search(text).group(1) == first  # the header stays at the top
    child.expect(r"Cost- \(minimise\):")
    child.send("u\r")  # at the second goal: back to the first, its value ready to edit
    assert "this row so far" not in screen(child)
    child.expect(r"Speed\+ \(maximise\):(?:\x1b\[[0-9;?]*[A-Za-z]|\s)*5")
    child.send("\x1b[D")  # Left arrow: edits, never enters the line
    child.send("1\r")
    child.expect(r"Cost- \(minimise\):")
    child.send("7\r")
    text = screen(child)
    assert f"row {first}: Speed+ 15 · Cost- 7" in text and "u undo the previous row" in text
    second = ROW.search(text).group(1)
    child.expect(r"Speed\+ \(maximise\):")
    child.send("3\r")
    child.expect(r"Cost- \(minimise\):")
    child.send("\x1b")  # Esc: this row starts again
    text = screen(child)
    assert "this row so far" not in text and ROW.search(text).group(1) == second
    child.expect(r"Speed\+ \(maximise\):")
    child.send("u\r")  # at the first goal, with nothing typed: undo the previous row
    assert f"undid measurement of row {first}" in screen(child)
    child.expect(r"Speed\+ \(maximise\):")
    child.send("\x03")  # Ctrl-C: quit, as on every screen
    child.expect("saved 0 measured rows")
    finish(child)
    _, events = read_store(store)
    assert [e.action for e in events] == ["label", "undo"]
    assert json.loads(events[0].value) == {"Speed+": 15.0, "Cost-": 7.0}


def test_a_screen_task_offers_relevant_and_not_relevant_on_keys_from_the_first_row(tmp_path):
    rng = np.random.default_rng(1)
    words = np.array(["model", "testing", "defect", "survey", "review", "metric", "code"])
    n = 40
    folder = tmp_path / "review"
    folder.mkdir()
    pd.DataFrame({"title": [" ".join(rng.choice(words, 6)) + f" t{k}" for k in range(n)],
                  "label": None}).to_csv(folder / "papers.csv", index=False)
    (folder / "task.toml").write_text('kind = "screen"\ndata = "papers.csv"\ntarget = "label"\n'
                                      'positive = "yes"\ntext = ["title"]\n')
    store = tmp_path / "s.db"
    child = spawn(folder, "--store", store, cwd=tmp_path, term="dumb")
    text = screen(child)
    assert "[1] yes — relevant (0)  [2] no — not relevant (0)" in text
    assert "1 yes · 2 no · n type a class name" in text and "class of this row" not in text
    child.send("2")
    assert "[2] no — not relevant (1)" in screen(child)
    child.send("1")
    assert "[1] yes — relevant (1)" in screen(child)
    child.send("q")
    finish(child)
    assert list(current_labels(store)["label"]) == ["no", "yes"]  # as typed names were


def test_constant_columns_make_one_note_and_every_field_pages_under_the_header(tmp_path):
    rng = np.random.default_rng(2)
    n, p = 50, 120
    frame = pd.DataFrame(rng.normal(size=(n, p)).round(3),
                         columns=[f"v{j:03d}" for j in range(p)])
    for j in range(20):
        frame[f"flat{j:02d}"] = 0
    frame["label"] = None
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    child = spawn(path, "--target", "label", "--classes", "a,b", "--store", tmp_path / "s.db",
                  cwd=tmp_path, height=24, width=80)  # (rich takes a dumb terminal as 25 lines)
    first = screen(child)
    lines = first.splitlines()
    assert lines[0].startswith("row ") and len(lines) < 24, first
    notes = [line for line in lines if line.startswith("note:")]
    assert len(notes) == 1 and re.match(
        r"note: 20 columns left out \(constant\): flat00, flat01, flat02.*… — \? lists all 20$",
        notes[0]), notes
    child.send("?")
    listed = " ".join(screen(child).split())
    assert ", ".join(f"flat{j:02d}" for j in range(20)) in listed
    child.send("f")
    shown = []
    for page in range(1, 30):
        text = screen(child)
        lines = text.splitlines()
        assert lines[0].startswith("row ") and len(lines) < 24  # the header stays
        shown += re.findall(r"^ ((?:v|flat)\d+) ", text, flags=re.M)
        found = re.search(r"fields ([\d,]+)–([\d,]+) of 140 · page (\d+)/(\d+)", text)
        assert found and int(found.group(3)) == page, text
        if page == int(found.group(4)):
            break
        child.send("\x1b[6~" if page % 2 else " ")  # PgDn, or space
    assert shown == list(frame.columns[:-1])  # every field once, in file order
    child.send("\x1b[5~")  # PgUp: the page before
    assert f"page {page - 1}/{page}" in screen(child)
    child.send("q")
    finish(child)
