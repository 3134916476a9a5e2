"""``alearn agreement`` end to end: stores made by piped ``alearn label`` sessions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import blobs_frame
from sklearn.metrics import cohen_kappa_score

from alearn.estimates.audit import audit_keys
from alearn.journal.events import active_events
from alearn.journal.store import Store, read_store

CLASSES = ("no", "yes", "maybe")


@pytest.fixture
def pool(tmp_path: Path) -> Path:
    frame = blobs_frame(n=80, classes=3).drop(columns=["class!"])
    frame.insert(0, "item", [f"i{k:03d}" for k in range(len(frame))])
    frame["label"] = None
    path = tmp_path / "pool.csv"
    frame.to_csv(path, index=False)
    return path


def session(cli, pool: Path, store: Path, who: str, answers: list[str], *extra: str) -> None:
    """A piped labeling session giving ``answers`` in turn."""
    done = cli("label", pool, "--target", "label", "--classes", ",".join(CLASSES), "--store",
               store, "--annotator", who, *extra, stdin="\n".join([*answers, "q"]) + "\n")
    assert done.code == 0, done.err


def answers(seed: int, n: int) -> list[str]:
    return list(np.random.default_rng(seed).choice(CLASSES, size=n))


def current(cli, store: Path) -> pd.DataFrame:
    done = cli("labels", store)
    assert done.code == 0, done.err
    return pd.read_csv(io.StringIO(done.out), dtype=str)


@pytest.fixture
def two(cli, pool: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Alice and Bob, 24 and 16 labels (every 4th an audit row), different answers."""
    a, b = tmp_path / "alice.db", tmp_path / "bob.db"
    session(cli, pool, a, "alice", answers(1, 24))
    session(cli, pool, b, "bob", [*answers(1, 10), *answers(2, 6)])
    return a, b


def test_kappa_on_shared_rows_is_scikit_learns(cli, two, tmp_path: Path) -> None:
    out = tmp_path / "agreement.json"
    done = cli("agreement", *two, "--out", out)
    assert done.code == 0, done.err
    report = json.loads(out.read_text())
    labels = current(cli, two[0]).merge(current(cli, two[1]), on="id", suffixes=("_a", "_b"))
    pair = report["sections"]["every shared row"]["pairs"][0]
    assert pair["annotators"] == ["alice", "bob"]
    assert pair["cohen_kappa"]["rows"] == len(labels)
    assert round(pair["cohen_kappa"]["value"], 3) == round(
        cohen_kappa_score(labels["label_a"], labels["label_b"]), 3)
    assert np.sum(pair["confusion"]["counts"]) == len(labels)
    assert report["report"] == "shared random rows"
    # What the screen shows: both sets, the one to report named, the pair's confusion.
    assert "shared random rows" in done.out and "(report this)" in done.out
    assert "every shared row" in done.out and "(biased)" in done.out
    assert "Cohen's κ alice · bob" in done.out
    assert "alice's answers (rows) against bob's (columns)" in done.out
    assert f"wrote {out}" in done.err


def test_the_shared_random_rows_are_a_prefix_of_the_audit_order(cli, two, pool) -> None:
    """Every row up to Bob's latest audit row in the random order was answered by both,
    and they are exactly the rows the figures on the shared random rows use."""
    out = pool.parent / "a.json"
    assert cli("agreement", *two, "--out", out).code == 0
    report = json.loads(out.read_text())
    ids = pd.read_csv(pool)["item"].tolist()
    keys = audit_keys(0, len(ids))
    frontiers, answered = [], []
    for store in two:
        _, events = read_store(store)
        active = active_events(events)
        frontiers.append(max(keys[ids.index(e.row_id)] for e in active if e.audit))
        answered.append({e.row_id for e in active})
    prefix = {i for i, k in zip(ids, keys, strict=True) if k <= min(frontiers)}
    assert prefix <= answered[0] & answered[1]
    random = report["sections"]["shared random rows"]
    assert random["rows"] == len(prefix) >= 4  # Bob's four audit rows at least
    assert random["pairs"][0]["cohen_kappa"]["rows"] == len(prefix)  # no skips here
    assert [a["reached"] for a in report["annotators"]][1] == len(prefix)
    assert report["notes"] == []


def test_same_stores_same_bytes(cli, two) -> None:
    first, again = cli("agreement", *two), cli("agreement", *two)
    assert first.code == 0 and (first.out, first.err) == (again.out, again.err)


def test_three_annotators_get_fleiss_and_the_consensus(cli, pool, two, tmp_path) -> None:
    carol = tmp_path / "carol.db"
    session(cli, pool, carol, "carol", answers(3, 20))
    done = cli("agreement", *two, carol, "--out", tmp_path / "r.json")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    for heading, *rows in (("Fleiss' κ",), ("Cohen's κ", "alice · bob", "bob · carol"),
                           ("κ with the majority", "alice", "bob", "carol")):
        at = next(k for k, line in enumerate(lines) if line.startswith(f"│ {heading} "))
        for row in rows:
            assert any(line.startswith(f"│   {row} ") for line in lines[at:at + 4]), row
    report = json.loads((tmp_path / "r.json").read_text())
    assert len(report["sections"]["every shared row"]["pairs"]) == 3


def test_skips_are_missing_answers(cli, pool, tmp_path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    session(cli, pool, a, "alice", answers(1, 12))
    session(cli, pool, b, "bob", ["s", *answers(1, 12)])
    done = cli("agreement", a, b, "--out", tmp_path / "r.json")
    assert done.code == 0, done.err
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["annotators"][1]["missing"] == 1
    shared = report["sections"]["every shared row"]
    assert shared["pairs"][0]["cohen_kappa"]["rows"] == shared["rows"]


def test_the_same_name_in_two_stores_is_told_apart_by_file_stem(cli, pool, tmp_path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    session(cli, pool, a, "me", answers(1, 8))
    session(cli, pool, b, "me", answers(2, 8))
    done = cli("agreement", a, b, "--out", tmp_path / "r.json")
    assert done.code == 0, done.err
    assert "a's answers (rows) against b's (columns)" in done.out
    report = json.loads((tmp_path / "r.json").read_text())
    assert [a["name"] for a in report["annotators"]] == ["a", "b"]


def test_no_audit_rows_says_why_and_still_shows_every_shared_row(cli, pool, tmp_path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    session(cli, pool, a, "alice", answers(1, 10), "--audit", "0")
    session(cli, pool, b, "bob", answers(2, 10), "--audit", "0")
    done = cli("agreement", a, b)
    assert done.code == 0, done.err
    assert "no shared random rows: these stores draw no audit rows (made with --audit 0)" \
        in " ".join(done.err.split())
    assert "every shared row" in done.out


def test_a_store_with_several_annotators_on_one_row_is_refused(cli, pool, two, tmp_path
                                                                ) -> None:
    merged = tmp_path / "team.db"
    meta, events = read_store(two[0])
    with Store.open(merged) as store:
        store.initialise(meta.fingerprint, meta.source, meta.settings, meta.table)
        store.append("label", events[0].row_id, "no", "alice")
        store.append("label", events[0].row_id, "yes", "bob")
    done = cli("agreement", merged, two[1])
    assert done.code == 2
    assert "team.db: holds several annotators' answers to the same rows (alice, bob on 1 " \
        "row)" in done.err


def test_other_settings_are_refused_naming_the_setting(cli, pool, tmp_path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    session(cli, pool, a, "alice", answers(1, 4))
    session(cli, pool, b, "bob", answers(1, 4), "--strategy", "entropy")
    done = cli("agreement", a, b)
    assert done.code == 2
    assert "b.db: made with other settings than" in done.err
    assert "strategy is 'entropy' here and 'margin' there" in " ".join(done.err.split())
