"""journal/merged.py: each member's answers replayed alone, the rules, decisions and undo."""

import pytest

from alearn.errors import ConfigError, StoreError
from alearn.journal.events import Event, StoreMeta
from alearn.journal.merged import (
    RULES,
    SKIPPED,
    UNSURE,
    Member,
    Team,
    check_rule,
    combine,
    team_state,
)


@pytest.mark.parametrize(("answers", "rule", "expected"), [
    (["a", "a"], "unanimous", ("a", "agreed")),
    (["a"], "unanimous", ("a", "single")),
    (["a", "b"], "unanimous", (None, "conflict")),
    (["a", SKIPPED], "unanimous", ("a", "single")),  # a skip is no answer
    (["a", "a", "b"], "unanimous", (None, "conflict")),
    (["a", "a", "b"], "majority", ("a", "majority")),
    (["a", "b"], "majority", (None, "conflict")),  # a tie
    (["a", "a", "b", "b"], "majority", (None, "conflict")),
    (["a", "a"], "adjudicated", ("a", "agreed")),
    (["a", UNSURE], "adjudicated", (None, "conflict")),  # an unsure mark disagrees
    (["a", SKIPPED], "adjudicated", (None, "conflict")),
    ([SKIPPED, UNSURE], "adjudicated", (None, "single")),  # nobody labeled it
])
def test_each_rule_settles_a_row_as_documented(answers, rule, expected):
    assert combine(answers, rule) == expected


def test_an_unknown_rule_is_refused_listing_the_rules():
    with pytest.raises(ConfigError, match="--rule 'vote' is not a rule; expected one of "
                       "unanimous, majority, adjudicated"):
        check_rule("vote")
    assert check_rule("majority") == "majority" and next(iter(RULES)) == "unanimous"


def _events(*specs):
    """(action, row, value, annotator) -> events numbered from 1."""
    return [Event(k + 1, a, r, v, f"2026-01-01T00:00:{k:02d}", who)
            for k, (a, r, v, who) in enumerate(specs)]


def _meta(rule, counts):
    members, first = [], 1
    for name, count in zip(("ann", "bob"), counts, strict=True):
        members.append(Member(name, f"/s/{name}.db", "d" * 64, first, count, (name,)).record())
        first += count
    return StoreMeta("f" * 64, "/d.csv", {"classes": ["no", "yes"]}, "2026",
                     team={"rule": rule, "members": members})


def test_each_member_is_replayed_alone_and_a_decision_can_be_undone():
    events = _events(
        ("label", "r1", "yes", "ann"), ("label", "r2", "no", "ann"), ("undo", "r2", "label", "ann"),
        ("label", "r3", "no", "ann"), ("note", "r1", "title says so", "ann"),
        # bob's block: his undo cancels his own answer only
        ("label", "r1", "no", "bob"), ("label", "r2", "yes", "bob"), ("label", "r3", "no", "bob"),
        ("label", "r4", "yes", "bob"), ("undo", "r4", "label", "bob"),
        # the team's decisions, after the copies
        ("decide", "r1", "yes", "cat"), ("decide", "r1", "no", "cat"),
        ("undo", "r1", "decide", "cat"),
    )
    state = team_state(_meta("unanimous", (5, 5)), events[:10])
    rows = state.rows
    assert list(rows) == ["r1", "r3", "r2"]  # the team's order: earliest place in anyone's
    assert rows["r1"].status == "conflict" and rows["r1"].label is None
    assert rows["r1"].answers == {"ann": "yes", "bob": "no"}
    assert rows["r1"].notes == {"ann": "title says so"}
    assert (rows["r2"].label, rows["r2"].status, rows["r2"].answers) == \
        ("yes", "single", {"bob": "yes"})  # ann undid hers
    assert (rows["r3"].label, rows["r3"].status) == ("no", "agreed")
    assert "r4" not in rows  # bob undid it
    decided = team_state(_meta("unanimous", (5, 5)), events)
    # the second decision was undone: the first stands
    assert (decided.rows["r1"].label, decided.rows["r1"].status) == ("yes", "decided")
    assert decided.rows["r1"].given.annotator == "cat"
    reopened = team_state(_meta("unanimous", (5, 5)), [*events, Event(
        14, "undo", "r1", "decide", "t", "cat")])
    assert reopened.rows["r1"].status == "conflict" and not reopened.decisions


def test_only_decisions_count_after_the_copies():
    events = _events(("label", "r1", "yes", "ann"), ("label", "r1", "no", "bob"),
                     ("label", "r1", "no", "someone"))
    state = team_state(_meta("unanimous", (1, 1)), events)
    assert state.rows["r1"].status == "conflict"


def test_one_persons_store_is_not_a_team():
    with pytest.raises(StoreError, match=r"x\.db: one annotator's label store, not a merged one"):
        Team.of(StoreMeta("f", "/d.csv", {}, "2026"), "x.db")
