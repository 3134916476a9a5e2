"""The README's commands run from a fresh clone: the label, labels, merge, export, predict,
explain and agreement examples, in order, on the files in examples/ and tasks/ (piped
answers)."""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("label", "labels", "merge", "export", "predict", "explain", "agreement")


def readme_commands() -> list[list[str]]:
    """Every ``alearn label|labels|merge|export|predict|explain|agreement`` line of the
    README's sh blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```sh\n(.*?)```", text, re.S)
             for line in block.splitlines()]
    return [words[1:] for line in lines
            if (words := shlex.split(line, comments=True))[:1] == ["alearn"]
            and words[1] in COMMANDS]


def test_example_files_are_the_generators(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_examples
    finally:
        sys.path.pop(0)
    for name, text in make_examples.texts().items():
        assert (ROOT / "examples" / name).read_text(encoding="utf-8") == text, name


def test_readme_examples_run(tmp_path, cli):
    for folder in ("examples", "tasks"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    commands = readme_commands()
    assert {c[0] for c in commands} == set(COMMANDS) and len(commands) >= 10
    for args in commands:
        stdin = "1\n2\n1\n3\n2\n1\ns\nu\nq\n" if args[0] == "label" else None
        result = cli(*args, cwd=tmp_path, stdin=stdin)
        assert result.code == 0, (args, result.err)
        assert "error:" not in result.err, (args, result.err)
    assert (tmp_path / "predictions.csv").is_file() and (tmp_path / "labels.parquet").is_file()
    assert (tmp_path / "agreement.json").is_file()
