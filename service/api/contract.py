"""The API's conventions, applied once for every route under /api/ (docs/api.md).

- **Operation ids** are the route functions' names (``list_needs``, ``approve_match``):
  :func:`operation_id` is the app's ``generate_unique_id_function``; a duplicate fails
  when the document is built.
- **Errors**: every operation declares the error answers it can give, each with the one
  :class:`~models.schemas.error.ErrorResponse` body; FastAPI's own validation-error
  schemas are taken out of the document (:func:`contract_openapi`).
- **Tags**: an operation without one is tagged by its resource (the path's first part).
- **Optimistic locking**: a JSON answer carrying an ``id`` and a ``version`` gets an
  ``ETag`` (``W/"match-12-v3"``, :class:`ETagHeader`); writes that take ``If-Match``
  parse it with :func:`if_match_version` and answer 412 when it is stale.

New routers get all of this by being included under /api/v1; nothing to repeat per route.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.schemas.error import ErrorResponse
from service.errors import AppError, FieldError

API_PREFIX = "/api/"
ERROR_REF = "#/components/schemas/ErrorResponse"
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
BODY_METHODS = frozenset({"post", "put", "patch"})
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")

ERROR_DESCRIPTIONS: dict[int, str] = {
    401: "Not signed in, or the token is expired or revoked (code `unauthorized`).",
    403: "Signed in, but the role may not do this; or a cookie request without its "
    "X-CSRF-Token (codes `forbidden`, `csrf_failed`).",
    404: "No such record, or one the reader may not see (code `not_found`).",
    409: "The write conflicts with the record's state or version, or with a write saved "
    "at the same moment (code `conflict`).",
    412: "The If-Match tag is not the record's current ETag (code `precondition_failed`).",
    413: "The request body is larger than the limit (code `payload_too_large`).",
    422: "A parameter or field is invalid; `fields` names each one (code `validation_error`).",
    429: "Too many attempts; see Retry-After (code `too_many_requests`).",
    503: "The database is busy or a dependency does not answer; nothing was saved; retry "
    "after Retry-After (codes `database_busy`, `throttle_unavailable`).",
}
ETAG_DESCRIPTION = 'Weak entity tag of the record\'s version, e.g. W/"match-12-v3".'


def operation_id(route: APIRoute) -> str:
    """The operation id of a route: its function's name."""
    return route.name


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    """The error answers an operation can give (docs/api.md, "Errors")."""
    statuses = [401, 403, 404, 422, 429]
    if method in WRITE_METHODS:
        statuses += [409, 503]
    if method in BODY_METHODS:
        statuses.append(413)
    if any(
        p.get("in") == "header" and p.get("name", "").lower() == "if-match"
        for p in operation.get("parameters", [])
    ):
        statuses.append(412)
    if path.endswith("/auth/login") or path.endswith("/health"):
        statuses.append(503)
    return sorted(set(statuses))


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema


def _is_versioned(operation: dict[str, Any], components: dict[str, Any]) -> bool:
    for status, response in operation.get("responses", {}).items():
        if not str(status).startswith("2"):
            continue
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        properties = _resolve(schema, components).get("properties", {})
        if "version" in properties and "id" in properties:
            return True
    return False


def _error_components() -> dict[str, Any]:
    schema = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {**defs, "ErrorResponse": schema}


def _apply_to_operation(
    path: str, method: str, operation: dict[str, Any], components: dict[str, Any]
) -> None:
    responses: dict[str, Any] = operation["responses"]
    default_422 = responses.get("422", {})
    if "HTTPValidationError" in json.dumps(default_422):
        del responses["422"]
    for status in error_statuses(path, method, operation):
        responses.setdefault(str(status), {"description": ERROR_DESCRIPTIONS[status]})
    for code, response in responses.items():
        # A route's own error entry keeps its description and gets the one error body.
        if str(code)[0] in "45" and not response.get("content"):
            response["content"] = {"application/json": {"schema": {"$ref": ERROR_REF}}}
    operation["responses"] = dict(sorted(responses.items()))
    if _is_versioned(operation, components):
        for code, response in responses.items():
            if str(code).startswith("2"):
                response.setdefault("headers", {})["ETag"] = {
                    "description": ETAG_DESCRIPTION,
                    "schema": {"type": "string"},
                }
    if not operation.get("tags"):
        parts = path.removeprefix("/api/v1/").split("/")
        operation["tags"] = [parts[0] or "api"]


def contract_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with the conventions applied (built once, cached)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        servers=app.servers,
    )
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.update(_error_components())
    seen: dict[str, str] = {}
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            op_id = operation.get("operationId", "")
            if op_id in seen:
                raise RuntimeError(
                    f"operation id {op_id!r} of {method.upper()} {path} is already used by "
                    f"{seen[op_id]}; rename one of the route functions"
                )
            seen[op_id] = f"{method.upper()} {path}"
            _apply_to_operation(path, method, operation, components)
    for name in _FASTAPI_VALIDATION:
        if f"#/components/schemas/{name}" not in json.dumps(document["paths"]):
            components.pop(name, None)
    app.openapi_schema = document
    return document


def install_contract(app: FastAPI) -> None:
    openapi: Callable[[], dict[str, Any]] = lambda: contract_openapi(app)  # noqa: E731
    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(ETagHeader)


# --- ETag / If-Match

_IF_MATCH = re.compile(r'^\s*(?:W/)?"(?P<kind>[a-z_]+)-(?P<id>\d+)-v(?P<version>\d+)"\s*$')


def etag(kind: str, record_id: int, version: int) -> str:
    return f'W/"{kind}-{record_id}-v{version}"'


def resource_kind(path: str) -> str:
    """``/api/v1/matches/12/approve`` → ``match``: the first path part, singular."""
    part = path.removeprefix(API_PREFIX).split("/")
    name = part[1] if len(part) > 1 and part[0].startswith("v") else part[0]
    for plural, singular in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss")):
        if name.endswith(plural):
            return name[: -len(plural)] + singular
    return name.removesuffix("s").replace("-", "_")


def if_match_version(value: str | None, kind: str, record_id: int) -> int | None:
    """The version an ``If-Match`` header names, or None without one. A tag of another
    record, or one that is not an ETag of ours, can never match: 412."""
    if value is None or value.strip() == "*":  # "*": any current version will do
        return None
    found = _IF_MATCH.match(value)
    if found and found["kind"] == kind and int(found["id"]) == record_id:
        return int(found["version"])
    raise AppError(
        412,
        "precondition_failed",
        f"If-Match {value!r} is not an ETag of {kind} {record_id}",
        "If-Match 标签与该记录不符，请重新读取后再试",
        [FieldError("If-Match", f'expected W/"{kind}-{record_id}-v<version>"', value)],
    )


class ETagHeader:
    """Adds ``ETag`` to a JSON answer under /api/ that carries an ``id`` and a
    ``version``. FastAPI sends a JSON body in one message, so only that message is
    looked at; lists and streamed bodies pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        start: Message | None = None

        async def send_with_etag(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                start = message
                return
            if start is not None and message["type"] == "http.response.body":
                tag = _etag_of(scope["path"], start, message)
                if tag:
                    start["headers"] = [*start.get("headers", []), (b"etag", tag.encode())]
                await send(start)
                start = None
            await send(message)

        await self.app(scope, receive, send_with_etag)


def _etag_of(path: str, start: Message, message: Message) -> str | None:
    body: bytes = message.get("body", b"")
    if message.get("more_body") or not body.startswith(b"{") or b'"version"' not in body:
        return None
    headers = dict(start.get("headers", []))
    if not headers.get(b"content-type", b"").startswith(b"application/json"):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    record_id, version = data.get("id"), data.get("version")
    if type(record_id) is int and type(version) is int:
        return etag(resource_kind(path), record_id, version)
    return None
