"""The class policies: plain classes and screening answer what a class session asks."""

from __future__ import annotations

import numpy as np
import pytest

from alearn.errors import ConfigError
from alearn.session.class_policy import ClassPolicy
from alearn.session.options import LabelOptions
from alearn.session.plain_classes import PlainClasses
from alearn.session.screening import Screening
from alearn.session.settings import Settings
from alearn.spec import TaskSpec


@pytest.mark.parametrize("policy", [PlainClasses(Settings()), Screening("yes")])
def test_each_policy_has_every_member_of_the_protocol(policy):
    wanted = {name for name in vars(ClassPolicy) if not name.startswith("_")}
    assert wanted >= {"positive", "estimate", "advice", "class_name"}
    assert not {name for name in wanted if not hasattr(policy, name)}


def test_plain_classes_measure_accuracy_at_the_budgets_and_wait_for_two_classes():
    gold = np.array(["a", np.nan, "b"], dtype=object)
    plain = PlainClasses(Settings(budgets=(10, 20)), gold)
    assert plain.positive is None and plain.recall_target is None
    assert plain.curve_budgets == (10, 20) and plain.model_waits == "2 classes"
    assert list(plain.gold_rows) == [0, 2]
    assert plain.class_name("a") == "a" and plain.class_name(3) == "3"
    assert plain.advice(None, 10) is None  # type: ignore[arg-type]


def test_screening_shows_recall_and_names_the_two_model_classes():
    screen = Screening("yes", 0.8)
    assert screen.positive == "yes" and screen.recall_target == 0.8
    assert screen.curve_budgets == () and screen.model_waits == "a 'yes' label"
    assert screen.class_name(1) == "yes" and screen.class_name(np.int64(0)) == "not yes"
    assert screen.estimate(None, None, np.arange(3), np.array(["yes"] * 3),  # type: ignore[arg-type]
                           np.zeros(3, dtype=bool), lambda: None) is None


def test_each_policy_takes_its_own_options():
    task = TaskSpec(name="t", data="d.csv", kind="screen", positive="yes")
    assert Screening.take_options(task, LabelOptions(recall_target=0.5)).recall_target == 0.5
    with pytest.raises(ConfigError, match="--audit 4: a screen session shows recall"):
        Screening.take_options(task, LabelOptions(audit=4))
    plain = TaskSpec(name="t", data="d.csv", kind="classify")
    assert PlainClasses.take_options(plain, LabelOptions(audit=4)) is plain
    with pytest.raises(ConfigError, match="only a screen session gives stopping advice"):
        PlainClasses.take_options(plain, LabelOptions(recall_target=0.5))
    assert Screening.for_task(TaskSpec(name="t", data="d.csv", kind="screen", positive="yes",
                                       recall_target=0.9), Settings(), None) \
        == Screening("yes", 0.9)


@pytest.mark.parametrize(("positive", "given", "other"), [
    ("yes", [], "no"), ("Yes", [], "No"), ("YES", [], "NO"), ("relevant", [], "irrelevant"),
    ("y", [], "not y"),  # "n" is a key of the session: never a class name
    ("1", [], "not 1"), ("include", ["include", "drop"], "drop"), ("spam", ["spam"], "not spam")])
def test_a_screen_offers_its_two_classes_from_the_first_row(positive, given, other):
    screen = Screening(positive)
    assert screen.up_front(given) == [positive, other]
    assert screen.roles([positive, other]) == {positive: "relevant", other: "not relevant"}
    plain = PlainClasses(Settings())
    assert plain.up_front(given) == [] and plain.roles([]) == {}
