"""The import graph as the README draws it: use cases know nothing of the web framework
and no module imports itself back through others, deferred imports included (imports
under ``if TYPE_CHECKING:`` never run and are left out)."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("service", "matching", "models", "seed", "reference")
WEB = {"fastapi", "starlette"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Dotted names ``name`` imports: a project module where one matches, else the name."""
    out = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in MODULES else base)
    return out


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}
GRAPH = {name: {i for i in found if i in MODULES and i != name} for name, found in IMPORTS.items()}


def _reachable(start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_use_cases_import_no_web_framework_even_indirectly() -> None:
    offenders = {
        name: sorted(m for m in _reachable(name) if {i.split(".")[0] for i in IMPORTS[m]} & WEB)
        for name in MODULES
        if name.startswith("service.usecases")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycles() -> None:
    cycles = sorted(f"{a} -> {b}" for a in GRAPH for b in GRAPH[a] if b != a and a in _reachable(b))
    assert cycles == []


def test_the_graph_sees_deferred_imports() -> None:
    # The check would pass vacuously if function-level imports were missed.
    assert "service.usecases.needs" in GRAPH["service.usecases.matches"]
