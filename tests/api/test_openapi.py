"""The API's contract does not drift by accident: the app's OpenAPI document equals the
committed snapshot ``openapi_v1.json``. For a deliberate API change, rewrite the snapshot
with ``RENCAI_UPDATE_OPENAPI=1 pytest tests/api/test_openapi.py`` and commit it with the
change, so the review shows the contract's diff."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

SNAPSHOT = Path(__file__).with_name("openapi_v1.json")
UPDATE_VARIABLE = "RENCAI_UPDATE_OPENAPI"


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The paths (per method), component schemas and other top-level keys that differ."""
    out: list[str] = []

    def compare(label: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for key in sorted(old.keys() - new.keys()):
            out.append(f"removed {label} {key}")
        for key in sorted(new.keys() - old.keys()):
            out.append(f"added   {label} {key}")
        for key in sorted(old.keys() & new.keys()):
            if old[key] != new[key]:
                out.append(f"changed {label} {key}")

    old_paths, new_paths = before.get("paths", {}), after.get("paths", {})
    compare("path", old_paths, new_paths)
    for path in sorted(old_paths.keys() & new_paths.keys()):
        if old_paths[path] != new_paths[path]:
            compare(f"operation {path}", old_paths[path], new_paths[path])
    old_components, new_components = before.get("components", {}), after.get("components", {})
    for section in sorted(old_components.keys() | new_components.keys()):
        compare(
            f"components.{section}",
            old_components.get(section, {}),
            new_components.get(section, {}),
        )
    rest = (before.keys() | after.keys()) - {"paths", "components"}
    compare("top-level", {k: before.get(k) for k in rest}, {k: after.get(k) for k in rest})
    return [line for line in out if line]


def test_the_openapi_document_equals_the_committed_snapshot(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    current = response.json()
    if os.environ.get(UPDATE_VARIABLE) == "1":
        SNAPSHOT.write_text(_dump(current), encoding="utf-8")
        return
    assert SNAPSHOT.exists(), f"{SNAPSHOT} is missing; create it with {UPDATE_VARIABLE}=1"
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    differences = _differences(committed, current)
    assert not differences, (
        f"The API's OpenAPI document differs from {SNAPSHOT.name}:\n  "
        + "\n  ".join(differences)
        + f"\nIf the change is deliberate, rerun with {UPDATE_VARIABLE}=1 and commit the snapshot."
    )
    assert committed == current


def test_the_difference_report_names_what_changed() -> None:
    before = {
        "openapi": "3.1.0",
        "paths": {"/a": {"get": {"x": 1}}, "/b": {"get": {}}},
        "components": {"schemas": {"A": {"type": "object"}, "B": {}}},
    }
    after = {
        "openapi": "3.1.0",
        "paths": {"/a": {"get": {"x": 2}, "post": {}}, "/c": {"get": {}}},
        "components": {"schemas": {"A": {"type": "string"}, "C": {}}},
    }
    assert _differences(before, after) == [
        "removed path /b",
        "added   path /c",
        "changed path /a",
        "added   operation /a post",
        "changed operation /a get",
        "removed components.schemas B",
        "added   components.schemas C",
        "changed components.schemas A",
    ]
    assert _differences(before, before) == []
