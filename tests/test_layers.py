"""Imports run one way: no cycles, and no layer imports one above it.

Module-level imports are read from the source (imports inside functions and
under ``TYPE_CHECKING`` are deliberate late bindings and are not edges).
"""

from __future__ import annotations

import ast
from pathlib import Path

import alearn

PACKAGE = Path(alearn.__file__).resolve().parent

# Lower layers first; a module may import its own layer and the ones before it.
LAYERS = [
    ("alearn", "alearn.errors", "alearn.files", "alearn.jsondata", "alearn.registry",
     "alearn.seeds"),
    ("alearn.data",),
    ("alearn.engine", "alearn.models"),
    ("alearn.kinds",),
    ("alearn.tasks", "alearn.run", "alearn.session", "alearn.export"),
    ("alearn.commands",),
    ("alearn.render", "alearn.cli"),
]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if not isinstance(node, ast.FunctionDef | ast.ClassDef) \
                else []:
            if isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names if a.name.startswith("alearn"))
            elif isinstance(sub, ast.ImportFrom) and sub.module and \
                    sub.module.startswith("alearn"):
                found.add(sub.module)
                found.update(f"{sub.module}.{a.name}" for a in sub.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _top_level_imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def _layer(module: str) -> int:
    best, rank = -1, -1
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    return rank


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt):], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_no_layer_imports_a_higher_one():
    bad = [f"{a} imports {b}" for a, targets in _graph().items() for b in sorted(targets)
           if _layer(b) > _layer(a)]
    assert not bad, "\n".join(bad)


def test_only_the_render_layer_imports_rich():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "render" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "rich" or n.startswith("rich.") for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders


def test_randomness_comes_only_from_named_streams():
    """Every generator is made in alearn/seeds.py, so each use has its own sub-stream."""
    makers = ("default_rng(", "np.random.seed(", "RandomState(", "import random\n")
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if p.name != "seeds.py"
                 and any(m in p.read_text(encoding="utf-8") for m in makers)]
    assert not offenders
