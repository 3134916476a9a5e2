"""Registries are the one source of names: help texts, docs and errors derive from them."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from alearn.engine.start import STARTS
from alearn.kinds import KINDS
from alearn.kinds.classify import METRICS
from alearn.models import MODELS
from alearn.registry import Registry

ROOT = Path(__file__).resolve().parents[1]


def _tables_tool():
    spec = importlib.util.spec_from_file_location("registry_tables",
                                                  ROOT / "tools" / "registry_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_tables_are_written_from_the_registries():
    tool = _tables_tool()
    docs = (ROOT / "docs" / "tasks.md").read_text(encoding="utf-8")
    assert tool.render(docs) == docs, "run tools/registry_tables.py"
    for name in [*KINDS, *MODELS, *STARTS, *(s for k in KINDS.values() for s in k.strategies)]:
        assert f"`{name}`" in docs


def test_every_name_is_in_the_help(cli):
    label = cli("label", "--help").out
    flat = " ".join(label.split())
    for kind in KINDS.values():
        assert f"{kind.name} tasks: {kind.strategies.choices()}" in flat
    for model in MODELS:
        assert model in flat
    run = " ".join(cli("run", "--help").out.split())
    assert all(m in run for m in METRICS)


@pytest.mark.parametrize(("kind", "key", "value"), [
    ("optimize", "model", '"tree"'), ("classify", "positive", '"x"'),
    ("optimize", "batch", "7"), ("classify", "batch_growth", "0.1"),
    ("screen", "test_size", "0.2")])
def test_a_key_the_kind_does_not_read_is_one_clear_line(cli, tmp_path, kind, key, value):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "task.toml").write_text(f'data = "d.csv"\nkind = "{kind}"\n{key} = {value}\n')
    result = cli("run", folder, "--out", tmp_path / "out")
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.err
    assert re.search(f"key '{key}' is not read by {kind} tasks", lines[0])
    assert str(folder / "task.toml") in lines[0]
    assert not (tmp_path / "out").exists()


def test_registry_refuses_duplicates_and_names_what_it_knows():
    class Entry:
        def __init__(self, name):
            self.name, self.help = name, name

    with pytest.raises(ValueError, match="registered twice"):
        Registry("thing", [Entry("a"), Entry("a")])
    things = Registry("thing", [Entry("a"), Entry("b"), Entry("c")])
    assert things.choices() == "a, b or c" and list(things) == ["a", "b", "c"]
    with pytest.raises(Exception, match="thing 'z' is not known; expected one of a, b, c"):
        things.get("z")


def test_every_answer_a_kind_declares_is_asked_by_exactly_one_session_type():
    from alearn.kinds.base import ANSWERS
    from alearn.render.session_screen import ASKING
    from alearn.session.classes import ClassSession
    from alearn.session.measure import MeasureSession
    from alearn.session.types import SESSION_TYPES, session_type_for

    assert {kind.answer for kind in KINDS.values()} <= set(ANSWERS)
    for answer in ANSWERS:
        takers = [t.name for t in SESSION_TYPES.values() if answer in t.answers]
        assert len(takers) == 1, f"{answer!r} is taken by {takers}"
    # Each session class names its type, and the renderer asks each type's rows.
    assert {ClassSession.type_name, MeasureSession.type_name} == set(SESSION_TYPES)
    assert set(ASKING) == set(SESSION_TYPES)
    with pytest.raises(Exception, match="no labeling session asks for 'colours'"):
        session_type_for("colours")
