"""The package's import graph: no cycles anywhere, and the data layer in layers.

Every module of misalign_tui is parsed (``ast``) and every import it makes is an edge, the ones inside
functions included (a deferred import is still a dependency). The data layer's layers, from the bottom:

- base: ``misalign_tui.data.*`` modules outside the sub-packages below (errors, taxonomy, filters, schema,
  the SQL loader and generator, text, dirs, turns) — imports only the base and ``misalign_tui.resources``;
- ``data.reading``: opening and querying a corpus (stats, search, charts, comparison) — imports only the base;
- ``data.workspace``: the reviewer workspace — imports the base and ``data.reading``;
- ``data.building``: import, the search index, exports, the sample generator — imports anything of the data layer.

Nothing in the data layer imports ``misalign_tui.tui`` or ``misalign_tui.cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import misalign_tui

ROOT = Path(misalign_tui.__file__).parent
ALLOWED = {"base": {"base"}, "reading": {"base", "reading"}, "workspace": {"base", "reading", "workspace"},
           "building": {"base", "reading", "workspace", "building"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def _resolve(base: str, name: str | None) -> str | None:
    """The module an imported name refers to: ``base.name`` when that is a module, else ``base``."""
    if name and f"{base}.{name}" in MODULES:
        return f"{base}.{name}"
    return base if base in MODULES else None


def imports(module: str) -> set[str]:
    """The misalign_tui modules that ``module`` imports, at module level or inside functions."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in MODULES}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            if not base.startswith("misalign_tui"):
                continue
            out |= {m for m in (_resolve(base, a.name) for a in node.names) if m}
    out.discard(module)
    return out


GRAPH = {m: imports(m) for m in MODULES}


def layer(module: str) -> str | None:
    if not module.startswith("misalign_tui.data"):
        return None
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[2] in ALLOWED else "base"


def cycles() -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_function_level_imports():
    assert "misalign_tui.tui.app" in GRAPH["misalign_tui.cli.explore"]  # imported inside view()


def test_no_import_cycles():
    assert cycles() == []


def test_data_layers():
    wrong = []
    for a, targets in GRAPH.items():
        la = layer(a)
        if la is None:
            continue
        for b in targets:
            lb = layer(b)
            if lb is None and b != "misalign_tui.resources":
                wrong.append(f"{a} -> {b} (outside the data layer)")
            elif lb is not None and lb not in ALLOWED[la]:
                wrong.append(f"{a} ({la}) -> {b} ({lb})")
    assert wrong == []
