"""Cross-site request forgery defence for the JSON API (the pages check their forms'
token in ``service.pages.common.checked_form``).

A browser attaches the session cookie to any request, whoever's page made it; a bearer
token is attached only by a client that holds it. So an unsafe API request (POST, PUT,
PATCH, DELETE) that is authenticated by the cookie must also prove it comes from our own
pages: the CSRF cookie's value echoed in the ``X-CSRF-Token`` header (double submit; a
page on another site can neither read our cookie nor set that header on a cross-origin
request without CORS, which the service does not grant). The token is also in each page's
``<meta name="csrf-token">`` for a script of ours to read. The check runs on the request
headers, before any of the body is read."""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Receive, Scope, Send

from service.auth import COOKIE_NAME as SESSION_COOKIE

CSRF_COOKIE = "rencai_csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Requests that do not act on the cookie's authority: logging in answers a token in the
# body (which another site cannot read) and sets no cookie.
EXEMPT_PATHS = frozenset({"/api/v1/auth/login"})


def request_cookies(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scope.get("headers") or []:
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header carries no credentials we use
                continue
            out.update({key: morsel.value for key, morsel in jar.items()})
    return out


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def has_bearer(scope: Scope) -> bool:
    auth = header(scope, b"authorization") or ""
    return auth.lower().startswith("bearer ") and bool(auth[7:].strip())


def token_matches(sent: str | None, expected: str | None) -> bool:
    return bool(sent) and bool(expected) and hmac.compare_digest(str(sent), str(expected))


def cookie_request_is_forged(scope: Scope, *, sent: str | None) -> bool:
    """Whether a request authenticated by the session cookie (no bearer token) fails the
    double-submit check; ``sent`` is the token the request carries."""
    if has_bearer(scope):
        return False
    cookies = request_cookies(scope)
    if not cookies.get(SESSION_COOKIE):
        return False
    return not token_matches(sent, cookies.get(CSRF_COOKIE))


CSRF_FAILED = {
    "error": {
        "code": "csrf_failed",
        "message": "A request signed in by the session cookie must send the CSRF token "
        "(the rencai_csrf cookie's value) in the X-CSRF-Token header; "
        "or authenticate with a bearer token",
        "fields": [
            {
                "field": "X-CSRF-Token",
                "message": "missing or not equal to the rencai_csrf cookie",
            }
        ],
    }
}


async def send_json(send: Send, status: int, body: object, extra: tuple = ()) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class ApiCsrfGuard:
    """Refuses cookie-authenticated unsafe requests under ``prefix`` that do not carry
    the CSRF token in the header; bearer-token and anonymous requests pass through."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in UNSAFE_METHODS
            and scope["path"].startswith(self.prefix)
            and scope["path"] not in EXEMPT_PATHS
            and cookie_request_is_forged(scope, sent=header(scope, CSRF_HEADER.encode()))
        ):
            await send_json(send, 403, CSRF_FAILED)
            return
        await self.app(scope, receive, send)
