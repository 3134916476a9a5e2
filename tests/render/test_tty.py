"""End to end: the real ``alearn label`` in a pseudo-terminal, driven by keystrokes."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pexpect = pytest.importorskip("pexpect")

from alearn import commands  # noqa: E402
from alearn.journal.labels import current_labels  # noqa: E402

ALEARN = str(Path(sys.executable).with_name("alearn"))
ROW = re.compile(r"row ([0-9a-f]{16}(?:-\d+)?)\r?\n")
TIMEOUT = 90  # the first import of scikit-learn is slow on a busy machine


@pytest.fixture
def pool(tmp_path):
    rng = np.random.default_rng(0)
    n = 40
    truth = np.array(["a", "b", "c"])[rng.integers(3, size=n)]
    frame = pd.DataFrame({"x1": rng.normal(size=n) + (truth == "b") * 3,
                          "x2": rng.normal(size=n), "label": None})
    path = tmp_path / "pool.csv"
    frame.to_csv(path, index=False)
    return path


def spawn(*args, cwd):
    env = dict(os.environ, TERM="dumb", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return pexpect.spawn(ALEARN, ["label", *map(str, args)], cwd=str(cwd), env=env,
                         encoding="utf-8", timeout=TIMEOUT, dimensions=(60, 120))


def screen(child):
    """Wait for the next full screen (it ends with the keys line); return its text."""
    child.expect(r"q quit\r?\n")
    return child.before


def row_of(text):
    """The id of the row a screen shows (its first line)."""
    return ROW.search(text).group(1)


def press(child, key, confirm):
    """Send one key; check its confirmation; return the id of the row shown next."""
    child.send(key)
    text = screen(child)
    assert confirm in text, text
    return row_of(text)


def test_keys_undo_quit_resume_and_export(pool, tmp_path):
    store = tmp_path / "s.db"
    child = spawn(pool, "--target", "label", "--classes", "a,b,c", "--batch", "2",
                  "--store", store, cwd=tmp_path)
    first = row_of(screen(child))
    second = press(child, "1", f"row {first}: a")
    child.send("2")
    text = screen(child)
    assert f"row {second}: b" in text and "retrained on 2 labels" in text
    third = row_of(text)
    assert press(child, "x", "unknown key 'x'") == third  # unknown keys change nothing
    # Undo brings the undone row back.
    assert press(child, "u", f"undid label b of row {second}") == second
    upcoming = press(child, "3", f"row {second}: c")
    assert press(child, "?", "undo the last action") == upcoming
    child.send("q")
    child.expect("saved 2 labels")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    labels = current_labels(store)
    assert labels["id"].tolist() == [first, second]
    assert labels["label"].tolist() == ["a", "c"]

    # Resume: the same next row; Ctrl-C behaves like q.
    child = spawn(pool, "--target", "label", "--store", store, cwd=tmp_path)
    text = screen(child)
    assert "resumed" in text and row_of(text) == upcoming
    child.send("\x03")
    child.expect("saved 2 labels")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    out = tmp_path / "labels.jsonl"
    done = subprocess.run([ALEARN, "labels", str(store), "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    exported = pd.read_json(out, lines=True)
    assert exported["id"].tolist() == [first, second]
    assert exported["label"].tolist() == ["a", "c"]


def test_sigkill_between_keystrokes_loses_no_confirmed_label(pool, tmp_path):
    store = tmp_path / "s.db"
    child = spawn(pool, "--target", "label", "--classes", "a,b,c", "--batch", "2",
                  "--store", store, cwd=tmp_path)
    confirmed = []
    row = row_of(screen(child))
    for key, cls in (("1", "a"), ("2", "b"), ("1", "a")):
        shown = press(child, key, f"row {row}: {cls}")
        confirmed.append((row, cls))
        row = shown
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    labels = current_labels(store)
    assert list(zip(labels["id"], labels["label"], strict=True)) == confirmed

    # The session resumes where it stopped, and the lock died with the process.
    child = spawn(pool, "--target", "label", "--store", store, cwd=tmp_path)
    assert row_of(screen(child)) == row
    press(child, "3", f"row {row}: c")
    # Killed right after a keystroke: the store stays readable either way.
    child.send("1")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    labels = current_labels(store)
    assert len(labels) in (4, 5)
    assert list(zip(labels["id"], labels["label"], strict=True))[:4] == [*confirmed, (row, "c")]


def test_typed_class_names_get_keys(pool, tmp_path):
    store = tmp_path / "s.db"
    child = spawn(pool, "--target", "label", "--store", store, cwd=tmp_path)
    first = row_of(screen(child))
    child.expect("class of this row")
    child.sendline("dog")
    second = row_of(screen(child))
    assert f"row {first}: dog (new class, key 1)" in child.before
    child.send("n")
    child.expect("class name")
    child.sendline("cat")
    text = screen(child)
    assert f"row {second}: cat (new class, key 2)" in text
    press(child, "1", f"row {row_of(text)}: dog")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    labels = current_labels(store)
    assert labels["label"].tolist() == ["dog", "cat", "dog"]


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text):
    """A real terminal's screen without its colour and cursor codes."""
    return ANSI.sub("", text)


def test_class_name_prompt_is_a_line_editor(tmp_path):
    """Esc cancels, arrows edit, a refused name asks again, the row never changes."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x1": rng.normal(size=30), "x2": rng.normal(size=30),
                          "label": [*["a", "b"] * 3, *[None] * 24]})
    path = tmp_path / "seeded.csv"
    frame.to_csv(path, index=False)
    store = tmp_path / "s.db"
    env = dict(os.environ, TERM="xterm-256color", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1")
    child = pexpect.spawn(ALEARN, ["label", str(path), "--target", "label", "--store",
                                   str(store)], cwd=str(tmp_path), env=env,
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(60, 120))
    row = row_of(plain(screen(child)))
    child.send("n")
    child.expect("class name")
    child.send("zz")
    child.send("\x1b")  # Esc: cancelled, nothing recorded
    assert row_of(plain(screen(child))) == row
    child.send("n")
    child.expect("class name")
    child.send("q\r")  # a key cannot be a class: asked again, with the reason
    child.expect("is a key")
    child.send("\x7f")  # Backspace
    child.send("x")
    child.send("\x1b[D")  # Left arrow: the next letter goes before the x
    child.send("y\r")
    assert f"row {row}: yx" in plain(screen(child))
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    labels = current_labels(store)
    assert list(labels["label"]) == ["yx"] and list(labels["id"]) == [row]


def test_big_file_shows_its_loading_and_resumes_the_row_on_screen(tmp_path):
    """A pool big enough to retrain in the background: the phases of loading are
    drawn, keys pressed as fast as the screen comes get their row at once
    (some may be chosen while a retrain runs), and after kill -9 the resumed
    session shows exactly the row that was on the screen."""
    from alearn.session.class_retraining import BACKGROUND_ROWS

    rng = np.random.default_rng(2)
    n = BACKGROUND_ROWS + 10_000
    truth = rng.integers(2, size=n)
    frame = pd.DataFrame(rng.normal(size=(n, 4)) + truth[:, None] * 1.5,
                         columns=["a1", "a2", "a3", "a4"])
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False, float_format="%.5g")
    store = tmp_path / "s.db"
    child = spawn(path, "--target", "label", "--classes", "x,y", "--store", store, cwd=tmp_path)
    text = screen(child)
    for phase in ("reading big.csv", "typing the columns", "row ids", "choosing the first row"):
        assert phase in text, text
    row = row_of(text)
    for key in "1212121":
        text = press_to(child, key)
        assert f"row {row}: {'x' if key == '1' else 'y'}" in text
        row = row_of(text)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert len(current_labels(store)) == 7

    child = spawn(path, "--target", "label", "--store", store, cwd=tmp_path)
    text = screen(child)
    assert "resumed" in text and row_of(text) == row
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def press_to(child, key):
    """Send one key; return the next screen's text."""
    child.send(key)
    return screen(child)


def test_a_relabel_an_unsure_mark_and_a_note_survive_sigkill(pool, tmp_path):
    """Issue 23: revisions are journal events, committed before the screen moves on;
    killed right after, the store has them and the session resumes on the same row.
    The history (<) picks an answered row by its id and gives it a class."""
    store = tmp_path / "s.db"
    child = spawn(pool, "--target", "label", "--classes", "a,b,c", "--store", store,
                  cwd=tmp_path)
    first = row_of(screen(child))
    second = press(child, "1", f"row {first}: a")
    third = press(child, "~", f"row {second}: unsure")
    child.send("#")
    child.expect("note on this row")
    child.send("odd one\r")
    assert row_of(screen(child)) == third
    child.send(":")
    child.expect("command")
    child.send(f"relabel {first} b\r")
    text = screen(child)
    assert f"row {first}: a -> b" in text
    child.send("<")
    child.expect("answered rows, newest first")
    child.expect("row to change")
    child.send(f"{second}\r")
    child.expect(f"row {second} \\(unsure\\): class")
    child.send("3\r")
    fourth = row_of(text := screen(child))
    assert f"row {second}: unsure -> c" in text
    shown = press(child, "~", f"row {fourth}: unsure")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()

    labels = current_labels(store).set_index("id")
    assert labels.loc[first, "label"] == "b" and labels.loc[second, "label"] == "c"
    assert labels.loc[fourth, "unsure"] and labels.loc[third, "note"] == "odd one"
    child = spawn(pool, "--target", "label", "--store", store, cwd=tmp_path)
    assert row_of(screen(child)) == shown
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()


def test_a_recheck_on_screen_is_answered_by_a_key_and_resumes_after_sigkill(tmp_path):
    """Issue 23: with --recheck auto a labeled row comes back with what a model without
    it says; a refused command on a terminal is a message (the session goes on); killed
    while the recheck is shown, the session resumes on it; a key answers it."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 2))
    truth = dict(zip([f"r{i}" for i in range(200)], np.where(x.sum(axis=1) > 0, "a", "b"),
                     strict=True))
    data = tmp_path / "p.csv"
    pd.DataFrame({"id": list(truth), "x1": x[:, 0], "x2": x[:, 1], "label": None}).to_csv(
        data, index=False)
    store = tmp_path / "s.db"
    args = (data, "--target", "label", "--id", "id", "--store", store, "--recheck", "auto")
    with commands.open_label_session(data, target="label", id_column="id", store=store,
                                     recheck="auto") as s:
        for k in range(40):  # the truth, but the other class on answers 0, 2 and 5
            if s.current().recheck is not None:
                break
            answer = truth[s.current().row_id]
            s.label(answer if k not in (0, 2, 5) else {"a": "b", "b": "a"}[answer])
        shown = s.current()
    assert shown.recheck is not None
    child = spawn(*args, cwd=tmp_path)
    text = " ".join(screen(child).split())
    assert f"row {shown.row_id}" in text and f"recheck — you said {shown.recheck.given}" in text
    assert "s keep" in text
    child.send(":")
    child.expect("command")
    child.send("note nope looks odd\r")
    assert "no row 'nope' in the data" in screen(child)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()

    child = spawn(*args, cwd=tmp_path)
    assert f"recheck — you said {shown.recheck.given}" in " ".join(screen(child).split())
    key = "1" if truth[shown.row_id] == "a" else "2"
    text = " ".join(press_to(child, key).split())
    assert f"row {shown.row_id}: {shown.recheck.given} -> {truth[shown.row_id]}" in text
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert current_labels(store).set_index("id").loc[shown.row_id, "label"] == \
        truth[shown.row_id]
