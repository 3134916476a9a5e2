"""Write the docs tables that list alearn's registries (kinds, strategies, models, starts,
data file formats).

The tables stand between ``<!-- registry:NAME -->`` and ``<!-- /registry:NAME -->``
markers in the docs; this script rewrites them from the registries, so the
docs never list a name the code does not have.

    .venv/bin/python tools/registry_tables.py          # rewrite docs/*.md
    .venv/bin/python tools/registry_tables.py --check  # exit 1 if any table is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from alearn.data.formats import FORMATS
from alearn.engine.start import STARTS
from alearn.engine.strategies import STRATEGIES
from alearn.kinds import KINDS
from alearn.models import MODELS
from alearn.tasks import COMMON_KEYS

DOCS = Path(__file__).resolve().parents[1] / "docs"
BLOCK = re.compile(r"(<!-- registry:(\w+) -->\n).*?(<!-- /registry:\2 -->)", re.S)


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return "none" if value is None else f"`{value}`" if isinstance(value, str) else str(value)


def kinds() -> str:
    rows = ["| kind | what it does | strategies (first: default) | keys it reads besides "
            f"{', '.join(f'`{k}`' for k in COMMON_KEYS)} |", "| --- | --- | --- | --- |"]
    for kind in KINDS.values():
        default = kind.default_strategies
        strategies = ", ".join(f"`{s}`" for s in [*default, *(s for s in kind.strategies
                                                             if s not in default)])
        keys = ", ".join(f"`{k}` ({_value(v)})" for k, v in kind.task_keys.items())
        rows.append(f"| `{kind.name}` | {kind.help} | {strategies} | {keys} |")
    return "\n".join(rows)


def strategies() -> str:
    rows = ["| strategy | kinds | how it chooses |", "| --- | --- | --- |"]
    for kind in KINDS.values():
        for entry in kind.strategies.values():
            rows.append(f"| `{entry.name}` | {kind.name} | {entry.help} |")
    return "\n".join(rows)


def models() -> str:
    rows = ["| model | what it is |", "| --- | --- |"]
    rows += [f"| `{m.name}` | {m.help} |" for m in MODELS.values()]
    return "\n".join(rows)


def starts() -> str:
    rows = ["| start | kinds | how the first rows are chosen |", "| --- | --- | --- |"]
    rows += [f"| `{s.name}` | {', '.join(s.kinds)} | {s.help} |" for s in STARTS.values()]
    return "\n".join(rows)


def formats() -> str:
    rows = ["| format | suffixes | what it is | compressed (`.gz`, `.bz2`, `.zip`, `.xz`) | "
            "written (`predict --out`, `labels --out`) |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| `{f.name}` | {', '.join(f'`{s}`' for s in f.suffixes)} | {f.help} | "
             f"{'yes' if f.compressible else 'no'} | {'yes' if f.write else 'no'} |"
             for f in FORMATS.values()]
    return "\n".join(rows)


TABLES = {"kinds": kinds, "strategies": strategies, "models": models, "starts": starts,
          "formats": formats}
assert set(STRATEGIES) <= {s for k in KINDS.values() for s in k.strategies}


def render(text: str) -> str:
    """``text`` with every registry block rewritten."""
    return BLOCK.sub(lambda m: f"{m.group(1)}{TABLES[m.group(2)]()}\n{m.group(3)}", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale tables")
    args = parser.parse_args()
    stale = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        new = render(text)
        if new != text:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if args.check else 'rewrote'}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
