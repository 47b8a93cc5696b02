"""Counts, from the app's OpenAPI document, the operations whose bodies are free-form
and the error responses declared (issue 17's before/after numbers).

    PYTHONPATH=$PWD python -m benchmarks.api_contract_counts

A body is free-form when its schema, followed through ``$ref``s, reaches an object
without declared ``properties`` (or with ``additionalProperties``) or an item of any
type, unless the schema says so itself with ``x-free-form: true``."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def _free_form(schema: Any, components: dict[str, Any], seen: frozenset[str]) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("x-free-form"):
        return False
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return False
        return _free_form(components.get(name, {}), components, seen | {name})
    if schema == {} or (schema.keys() <= {"title", "description", "default"}):
        return True
    for key in ("anyOf", "oneOf", "allOf"):
        if any(_free_form(s, components, seen) for s in schema.get(key, [])):
            return True
    if schema.get("type") == "object" or "additionalProperties" in schema:
        extra = schema.get("additionalProperties")
        if "properties" not in schema and extra in (None, True, {}):
            return True
        if isinstance(extra, dict) and _free_form(extra, components, seen):
            return True
    if schema.get("type") == "array" and _free_form(schema.get("items", {}), components, seen):
        return True
    return any(_free_form(s, components, seen) for s in (schema.get("properties") or {}).values())


def counts(document: dict[str, Any]) -> dict[str, int]:
    components = document.get("components", {}).get("schemas", {})
    operations = free_form = errors = 0
    for item in document.get("paths", {}).values():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            operations += 1
            bodies = [
                media.get("schema")
                for media in (op.get("requestBody") or {}).get("content", {}).values()
            ]
            for status, response in (op.get("responses") or {}).items():
                if str(status)[0] in "45":
                    errors += 1
                    continue
                bodies += [m.get("schema") for m in response.get("content", {}).values()]
            if any(_free_form(b, components, frozenset()) for b in bodies if b is not None):
                free_form += 1
    return {
        "operations": operations,
        "free_form_operations": free_form,
        "declared_error_responses": errors,
    }


def app_document() -> dict[str, Any]:
    from service.app import create_app
    from service.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            environment="test",
            database_url=f"sqlite:///{Path(tmp) / 'openapi.db'}",
            data_dir=Path(tmp),
            secret_key="x" * 48,
            warm_engine_on_start=False,
            engine_sync_seconds=0,
        )
        return create_app(settings).openapi()


def main(argv: list[str]) -> None:
    document = json.loads(Path(argv[0]).read_text()) if argv else app_document()
    print(json.dumps(counts(document), indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
