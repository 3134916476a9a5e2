"""Imports run one way: no cycles, and no layer imports one above it.

Every import of an ``alearn`` module counts as an edge: at module level, inside
functions and under ``TYPE_CHECKING`` alike. An import made inside a function
(a lazy import) is allowed only where :data:`LAZY` lists it with its reason,
which is always start-up time or an optional extra; the layer list is the one
``docs/architecture.md`` states.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import alearn

PACKAGE = Path(alearn.__file__).resolve().parent
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"

# Lower layers first; a module may import its own layer and the ones before it.
LAYERS = [
    ("alearn", "alearn.errors", "alearn.files", "alearn.jsondata", "alearn.registry",
     "alearn.seeds", "alearn.progress", "alearn.counting"),
    ("alearn.spec", "alearn.journal"),
    ("alearn.data",),
    ("alearn.engine", "alearn.models"),
    ("alearn.estimates", "alearn.kinds"),
    ("alearn.tasks",),
    ("alearn.run", "alearn.export"),
    ("alearn.session",),
    ("alearn.commands",),
    ("alearn.render", "alearn.cli"),
]

# Imports made inside functions: (importing module pattern, imported module pattern)
# -> why the import waits. Patterns are regular expressions matched in full.
LAZY = {
    (r"alearn\.cli(\.\w+)?",
     r"alearn\.(commands|render(\..+)?|export\.(labels|export|predict|merge|agreement|stopping)|data\.embed)"):
        "a command imports only what it runs: --help and error exits stay fast",
    (r"alearn\.commands", r"alearn\.run(\..+)?|alearn\.session\.(types|adjudicate)"):
        "an error exit loads no pandas, joblib or scikit-learn (<= 0.3 s)",
    (r"alearn\.kinds\.(\w+)", r"alearn\.kinds\.\1\.(simulate|summary|report)"):
        "reading the kinds (task validation, --help) loads no simulator, summary or plot",
    (r"alearn\.kinds\.optimize\.acquirers\.gpei", r"alearn\.kinds\.optimize\.gp"):
        "the acquirer registry loads the Gaussian process only when a run uses it",
    (r"alearn\.models\.\w+", r"alearn\.models\.(weights|rules)|alearn\.engine\.featuremap"):
        "the model registry (read by task validation) loads a model's rules and weights "
        "code, and scikit-learn with it, only when they are written or explained",
    (r"alearn\.run\.runner", r"alearn\.run\.cluster"):
        "Dask is the optional `dask` extra: imported only with --cluster",
    (r"alearn\.export\.predict", r"alearn\.export\.prediction|alearn\.data\.tables"):
        "a path that is not an export folder is refused before pandas and the model load",
    (r"alearn\.export\.export",
     r"alearn\.export\.(storelabels|replay|training|card|describe)"):
        "a wrong source or option of `alearn export` is refused before scikit-learn loads",
    (r"alearn\.export\.stopping",
     r"alearn\.(export\.(storelabels|cardformat)|data\.duplicates|journal\.(events|state)|"
     r"kinds\.screen\.(statement|stopping)|files)"):
        "a store that cannot give a statement is refused before pandas and SciPy load",
    (r"alearn\.export\.merge", r"alearn\.kinds\.screen\.stopping|alearn\.engine\.strategies"):
        "a refused `alearn merge` answers before SciPy loads; only a screen's advice needs it",
    (r"alearn\.export\.labels",
     r"alearn\.export\.(storelabels|labelsrecords)|alearn\.data\.dataset"):
        "`alearn labels` loads the data as the session did only for --fields, a reference "
        "format and a screening store's duplicates",
    (r"alearn\.data\.delimited", r"alearn\.data\.(memory|numbertext|rowkeys)"):
        "the header peek (alearn.data.header) reads a file's first line without pandas",
    (r"alearn\.export\.agreement",
     r"alearn\.export\.storelabels|alearn\.estimates\.(agreement|audit)"):
        "stores that are not one study are refused before NumPy, pandas and scikit-learn load",
}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    lazy: bool  # made inside a function


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The alearn module an imported name lives in (a module, or a package's attribute)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> list[Edge]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    edges: list[Edge] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package.split(".")[:len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*up, base] if base else up)
                names = [f"{base}.{a.name}" for a in child.names]
                if not any(n in MODULES for n in names):  # names from the module itself
                    names.append(base)
            for name in names:
                target = _resolve(name) if name.startswith("alearn") else None
                if target and target != module:
                    edges.append(Edge(module, target, child.lineno, lazy))
            visit(child, inner)

    visit(tree, False)
    return edges


def _edges() -> list[Edge]:
    return [e for name, path in MODULES.items() for e in _imports(name, path)]


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for edge in _edges():
        graph[edge.source].add(edge.target)
    return graph


def _layer(module: str) -> int:
    best, rank = -1, -1
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    return rank


def _lazy_reason(edge: Edge) -> str | None:
    for (source, target), reason in LAZY.items():
        found = re.fullmatch(source, edge.source)
        if found and re.fullmatch(found.expand(target), edge.target):
            return reason
    return None


def test_every_module_has_a_layer():
    assert [m for m in MODULES if _layer(m) < 0] == []


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
    bad = [f"{e.source}:{e.line} imports {e.target}" for e in _edges()
           if _layer(e.target) > _layer(e.source)]
    assert not bad, "\n".join(bad)


def test_every_lazy_import_is_listed_with_its_reason():
    unlisted = [f"{e.source}:{e.line} imports {e.target} inside a function" for e in _edges()
                if e.lazy and _lazy_reason(e) is None]
    assert not unlisted, "\n".join(unlisted)


def test_every_listed_lazy_import_is_used():
    used = {key for e in _edges() if e.lazy for key in LAZY
            if re.fullmatch(key[0], e.source)
            and re.fullmatch(re.fullmatch(key[0], e.source).expand(key[1]), e.target)}
    assert set(LAZY) - used == set()


def test_the_architecture_page_states_these_layers():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    stated = [line for line in text.splitlines() if line.startswith("| ")]
    for rank, prefixes in enumerate(LAYERS):
        row = next((line for line in stated if line.startswith(f"| {rank} |")), None)
        assert row is not None, f"docs/architecture.md has no row for layer {rank}"
        for prefix in prefixes:
            shown = prefix.removeprefix("alearn.") if prefix != "alearn" else "alearn"
            assert f"`{shown}`" in row, f"layer {rank} row does not name `{shown}`"
    for module in MODULES:
        top = module.split(".")[1] if "." in module else "alearn"
        assert f"`{top}" in text, f"docs/architecture.md does not mention {top}"


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
