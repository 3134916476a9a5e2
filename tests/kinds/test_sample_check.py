"""The random-sample check of recall and the stopping statement: the test's numbers,
a check and a statement through ``alearn label`` and ``alearn stopping``."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import hypergeom

sys.path.insert(0, str(Path(__file__).parent))
from test_screen import screen_frame, write_task

from alearn.kinds.screen.sample_check import (
    check_alpha,
    checks_in,
    fewest_missed,
    p_value,
    sample_size,
)
from alearn.kinds.screen.statement import journal_digest


@pytest.mark.parametrize(("found", "target", "drawn", "expected"), [
    (19, 0.95, 0, 2),   # 19 / 20 is exactly 95 %: recall below it needs 2 missed
    (44, 0.95, 0, 3),   # 44 / 46 = 95.7 %, 44 / 47 = 93.6 %
    (0, 0.95, 0, 1),
    (10, 0.8, 0, 3),    # 10 / 12.5: 10 / 13 < 80 %
    (10, 0.95, 1, 2),   # 11 found: recall 11 / (10 + K) < 95 % from K = 2
])
def test_fewest_missed_is_exact_at_the_boundary(found, target, drawn, expected):
    missed = fewest_missed(found, target, drawn)
    assert missed == expected
    assert (found + drawn) / (found + missed) < target
    if found + missed > 1:  # one missed fewer, and recall reaches the target
        assert target <= (found + drawn) / (found + missed - 1)


@pytest.mark.parametrize(("found", "pile"), [(44, 1004), (11, 248), (3, 50), (100, 20000)])
def test_sample_size_is_the_fewest_clean_draws_that_reject(found, pile):
    for ordinal in (1, 2, 5):
        n = sample_size(found, pile, 0.95, ordinal=ordinal)
        alpha = check_alpha(ordinal)
        missed = fewest_missed(found, 0.95)
        assert hypergeom.cdf(0, pile, missed, n) < alpha <= hypergeom.cdf(0, pile, missed, n - 1)
        assert p_value(found, pile, n, 0, 0.95) < alpha


def test_repeated_checks_share_the_error_of_one():
    assert check_alpha(1) == pytest.approx(0.0304, abs=1e-4)
    assert sum(check_alpha(j) for j in range(1, 100_000)) < 0.05
    assert sample_size(44, 1004, 0.95, ordinal=2) > sample_size(44, 1004, 0.95)


def test_a_pile_too_small_to_hide_a_miss_needs_no_draw():
    assert sample_size(100, 3, 0.95) == 0  # even 3 relevant left give 100 / 103 > 95 %
    assert sample_size(5, 0, 0.95) == 0


def test_checks_are_split_where_one_ended():
    relevant = np.array([1, 1, 0, 0, 0, 1, 0, 0, 0, 0], dtype=bool)
    drawn = np.array([0, 0, 0, 1, 1, 1, 1, 1, 0, 1], dtype=bool)
    checks = checks_in(relevant, drawn, 40, 0.95)
    assert [c.status for c in checks] == ["failed", "left", "running"]
    failed, left, running = checks
    assert (failed.start, failed.found, failed.pile, failed.drawn) == (3, 2, 37, 3)
    assert (left.start, left.found, left.pile, left.drawn) == (6, 3, 34, 2)
    assert (running.start, running.drawn) == (9, 1)
    assert failed.size == sample_size(2, 37, 0.95)
    assert [c.ordinal for c in checks] == [1, 2, 3]  # each spends its share of the 5 %
    assert left.size == sample_size(3, 34, 0.95, ordinal=2)


def frame_task(tmp_path: Path, n: int = 120) -> tuple[Path, np.ndarray]:
    frame = screen_frame(n, 8)
    truth = frame["decision"].to_numpy().copy()
    frame["decision"] = [truth[0], truth[20]] + [None] * (n - 2)
    return write_task(tmp_path / "s", frame), truth


def recomputed_digest(store: Path) -> str:
    """The journal digest as docs/screening.md tells a reader to recompute it."""
    rows = sqlite3.connect(store).execute(
        "SELECT seq, kind, row_id, value, audit FROM events ORDER BY seq").fetchall()
    kept: list[tuple] = []
    for row in rows:
        if row[1] != "undo":
            kept.append(row)
            continue
        for k in range(len(kept) - 1, -1, -1):
            if kept[k][2] == row[2]:
                del kept[k]
                break
    text = "".join(f"{s}\t{k}\t{r}\t{v or ''}\t{a}\n" for s, k, r, v, a in kept)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_check_through_the_cli_claims_and_writes_the_statement(cli, tmp_path):
    folder, _ = frame_task(tmp_path)
    store = tmp_path / "s.db"
    size = sample_size(1, 118, 0.95)
    # Every draw answered "no": the check claims recall >= 95 % after `size` of them.
    done = cli("label", folder, "--store", store, stdin=":check\n" + "no\n" * size + "q\n")
    assert done.code == 0, done.err
    assert f"random-sample check: {size} of the 118 unscreened rows will be drawn" in done.out
    assert "random-sample check passed" in done.out
    statement = tmp_path / "s.stopping.json"
    # (a long path may be folded at the terminal's width: compare without white space)
    assert f"stoppingstatementwrittento{statement}" in "".join(done.out.split())
    record = json.loads(statement.read_text(encoding="utf-8"))
    assert record["stopped_by"] == "random-sample check"
    assert record["sample_checks"][0] | {"p_value": None} == {
        "started_after_screened": 2, "relevant_found_before": 1,
        "unscreened_when_started": 118, "planned_draws": size, "drawn": size,
        "relevant_drawn": 0, "status": "claimed", "fewest_missed_if_below_target": 1,
        "p_value": None, "check_of_store": 1, "significance": 0.030396,
        "confidence": 0.95, "target_recall": 0.95}
    assert record["target_fixed_when_store_made"] and record["rule"]["min_dry"] == 50
    assert record["screened"] == 2 + size and record["relevant_found"] == 1
    assert record["journal"]["sha256"] == recomputed_digest(store)
    # The draws are labels with the audit flag: no new event type.
    kinds = sqlite3.connect(store).execute(
        "SELECT DISTINCT kind, audit FROM events").fetchall()
    assert kinds == [("label", 1)]
    out = tmp_path / "again.json"
    again = cli("stopping", store, "--out", out)
    assert again.code == 0, again.err
    assert "drawn at random" in again.out and "claimed at 95 % confidence" in again.out
    same = json.loads(out.read_text(encoding="utf-8"))
    for key in ("date", "methods"):
        same.pop(key), record.pop(key)
    assert same == record


def test_a_check_resumes_on_the_draw_it_showed_and_refuses_a_skip(cli, tmp_path):
    from alearn.session.opening.classes import open_session

    folder, _ = frame_task(tmp_path)
    store = tmp_path / "s.db"
    with open_session(folder, store=store) as session:
        assert session.toggle_check().action == "check"
        first = session.current()
        assert first.why is not None and first.why.kind == "check"
        assert "rather than skip it" in session.skip().message
        assert "rather than mark it unsure" in session.mark_unsure().message
        session.label("no")
        shown = session.current().row_id
        advice = session.current().advice
    assert advice is not None and advice.startswith("random-sample check: 1 of")
    with open_session(folder, store=store) as session:
        assert session.current().row_id == shown  # the check goes on where it was
        assert session.current().why.kind == "check"
        session.toggle_check()  # leave it: back to the ranking
        assert session.current().why.kind != "check"
        session.label("no")
        assert session.checking is None
        assert session.sample_checks()[0].status == "left"


def test_a_store_keeps_its_recall_target(cli, tmp_path):
    from alearn.session.opening.classes import open_session

    folder, _ = frame_task(tmp_path)
    store = tmp_path / "s.db"
    with open_session(folder, store=store, recall_target=0.8) as session:
        session.label("no")
    with open_session(folder, store=store) as session:
        assert session.recall_target == 0.8  # the store's, not the task's 0.95
    refused = cli("label", folder, "--store", store, "--recall-target", "0.9", stdin="q\n")
    assert refused.code == 2
    assert "keeps the recall target 0.8 it was made with" in refused.err
    assert "--recall-target 0.9 differs" in refused.err


def test_the_journal_digest_covers_the_events_in_force():
    from alearn.journal.events import Event

    label = Event(1, "label", "a", "yes", "t", "me")
    undone = [label, Event(2, "label", "b", "no", "t", "me"), Event(3, "undo", "b", "label",
                                                                     "t", "me")]
    assert journal_digest([label]) == journal_digest(undone)
    assert journal_digest([label])[1] == 1
    assert journal_digest([label])[0] != journal_digest(undone[:2])[0]


def test_stopping_refuses_a_store_that_is_not_a_screen(cli, tmp_path):
    frame = screen_frame(60, 5)
    data = tmp_path / "d.csv"
    frame.to_csv(data, index=False)
    store = tmp_path / "c.db"
    done = cli("label", data, "--target", "decision", "--store", store, stdin="1\nq\n")
    assert done.code == 0, done.err
    refused = cli("stopping", store)
    assert refused.code == 2 and "not a screening store" in refused.err
