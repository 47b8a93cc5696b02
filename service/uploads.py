"""Uploads are checked at the edge, on the request's headers, before any of the body is
read: who is sending (a signed-in user with the route's role), that a cookie-signed
request carries the CSRF token (in the ``X-CSRF-Token`` header or the ``csrf_token``
query parameter, since a multipart form's own field can only be read by reading the
body), and the announced size. A body sent without a length (chunked) is counted as it
streams and cut off at the limit. Only upload routes accept ``multipart/form-data`` at
all, so no other route ever spools a file to the temporary directory.

Before this guard an anonymous 300 MB multipart POST to ``/admin/import`` was parsed to
disk (252 MB in the temporary directory) before the route's login check answered 403."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlencode

import anyio
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from models.enums import Role
from service.csrf import (
    UNSAFE_METHODS,
    cookie_request_is_forged,
    header,
    send_json,
)
from service.http_errors import error_body, wants_html
from service.limits import pass_with_body_limit

# Upload route → roles that may post to it. ``{id}`` stands for a record's number.
UPLOAD_ROUTES: dict[str, tuple[Role, ...]] = {
    "/admin/import": (Role.ADMIN,),
    # Evidence of a ledger entry, from the API and from the entry's page.
    "/api/v1/programme-entries/{id}/evidence": (Role.COORDINATOR, Role.ADMIN),
    "/entries/{id}/evidence": (Role.COORDINATOR, Role.ADMIN),
    "/entries/new": (Role.COORDINATOR, Role.ADMIN),  # the 填报 form, evidence included
    # 任务分解 grid (the use case lets only the prefecture coordinator and admins save).
    "/api/v1/programmes/county-targets/import": (Role.COORDINATOR, Role.ADMIN),
    "/programmes/county-targets/import": (Role.COORDINATOR, Role.ADMIN),
}
# Room for the multipart framing and the small fields (kind, csrf_token, dry_run).
MULTIPART_OVERHEAD = 64 * 1024


def _route_pattern(route: str) -> re.Pattern[str]:
    return re.compile(re.escape(route).replace(re.escape("{id}"), "[0-9]+"))


_ROUTE_PATTERNS = tuple((_route_pattern(route), roles) for route, roles in UPLOAD_ROUTES.items())


def upload_roles(path: str) -> tuple[Role, ...] | None:
    """The roles that may upload to ``path``; ``None`` if it is not an upload route. A
    prefix match, the same rule by which the general body limit leaves these paths to
    this gate (``is_upload_route``), so nothing falls between the two."""
    for pattern, roles in _ROUTE_PATTERNS:
        if pattern.match(path):
            return roles
    return None


def is_upload_route(path: str) -> bool:
    return upload_roles(path) is not None


def _content_type(scope: Scope) -> str:
    return (header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()


def _declared_length(scope: Scope) -> int | None:
    value = header(scope, b"content-length")
    if value is None or not value.strip().isascii() or not value.strip().isdigit():
        return None
    return int(value.strip())


def _query_token(scope: Scope) -> str | None:
    query = scope.get("query_string", b"").decode("latin-1")
    found = parse_qs(query).get("csrf_token")
    return found[0] if found else None


def _lookup_actor(scope: Scope) -> Any:
    """The signed-in actor, by the very rule the routes use (``optional_actor``)."""
    from service.auth import optional_actor

    app = scope["app"]
    request = Request(scope)
    with app.state.database.session() as session:
        return optional_actor(request, session, app.state.settings)


class UploadGate:
    def __init__(self, app: ASGIApp, *, max_upload_bytes: int) -> None:
        self.app = app
        self.limit = max_upload_bytes + MULTIPART_OVERHEAD
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        roles = upload_roles(scope["path"])
        if roles is None:
            if _content_type(scope) == "multipart/form-data":
                await self._refuse(
                    scope,
                    receive,
                    send,
                    415,
                    "unsupported_media_type",
                    "file uploads (multipart/form-data) are accepted only at "
                    + ", ".join(UPLOAD_ROUTES),
                    "仅以下地址接受文件上传：" + "、".join(UPLOAD_ROUTES),
                )
                return
            await self.app(scope, receive, send)
            return
        if await self._refused_before_body(scope, receive, send, roles):
            return
        await self._pass_counted(scope, receive, send)

    async def _refused_before_body(
        self, scope: Scope, receive: Receive, send: Send, roles: tuple[Role, ...]
    ) -> bool:
        actor = await anyio.to_thread.run_sync(_lookup_actor, scope)
        if actor is None:
            # A page route sends the browser to log in, as every other page does.
            if wants_html(Request(scope)) or not scope["path"].startswith("/api/"):
                # The address the person was going to, without the form's CSRF token.
                kept = [
                    (k, v)
                    for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
                    if k != "csrf_token"
                ]
                query = urlencode(kept)
                target = quote(scope["path"] + (f"?{query}" if query else ""))
                await RedirectResponse(f"/login?next={target}", status_code=303)(
                    scope, receive, send
                )
            else:
                await send_json(
                    send,
                    401,
                    error_body("unauthorized", "Log in first"),
                    ((b"www-authenticate", b"Bearer"),),
                )
            return True
        if actor.role not in roles:
            await self._refuse(
                scope,
                receive,
                send,
                403,
                "forbidden",
                "Your role cannot do this",
                "您的角色无权执行此操作",
            )
            return True
        sent = header(scope, b"x-csrf-token") or _query_token(scope)
        if cookie_request_is_forged(scope, sent=sent):
            await self._refuse(
                scope,
                receive,
                send,
                403,
                "csrf_failed",
                "The form expired; reload the page and try again",
                "表单已过期，请刷新页面后重试",
                [{"field": "csrf_token", "message": "missing or not equal to the cookie"}],
            )
            return True
        declared = _declared_length(scope)
        if declared is not None and declared > self.limit:
            await self._too_large(scope, receive, send, declared)
            return True
        return False

    async def _pass_counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen = await pass_with_body_limit(self.app, scope, receive, send, self.limit)
        if seen:
            await self._too_large(scope, receive, send, seen)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        limit_mb = self.max_upload_bytes / 1024 / 1024
        await self._refuse(
            scope,
            receive,
            send,
            413,
            "payload_too_large",
            f"the upload is larger than the {limit_mb:.0f} MB import limit "
            f"(RENCAI_MAX_UPLOAD_BYTES = {self.max_upload_bytes} bytes; "
            f"this request: {size} bytes or more); split the file",
            f"上传文件超过导入上限 {limit_mb:.0f} MB，请拆分成多个文件后再导入",
            [{"field": "file", "message": f"larger than {self.max_upload_bytes} bytes"}],
        )

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        code: str,
        message: str,
        message_zh: str,
        fields: list[dict[str, Any]] | None = None,
    ) -> None:
        request = Request(scope)
        if wants_html(request):
            from service.pages.render import render_error_page

            response = render_error_page(request, status, code, message, message_zh, fields or [])
            await response(scope, receive, send)
            return
        await send_json(send, status, error_body(code, message, fields))
