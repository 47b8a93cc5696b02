"""Security headers on every response, whatever produced it (a page, the API, a static
file, an error, a refusal at the edge).

The pages carry no inline script or style, so the content security policy allows only
the service's own files; SVG charts are inline markup with presentation attributes,
which a CSP does not restrict. The interactive API docs (when enabled) load Swagger UI
and ReDoc from a CDN with an inline bootstrap script, so those three paths get their own,
wider policy."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "font-src 'self' https://fonts.gstatic.com; "
    "worker-src 'self' blob:; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")

COMMON_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)


def policy_for(path: str) -> str:
    if path == DOCS_PATHS[0] or path.startswith(DOCS_PATHS):
        return DOCS_CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY


class SecurityHeaders:
    """Adds the headers to every HTTP response and drops any ``Server`` header an inner
    layer set (uvicorn's own is turned off in ``rencai serve``)."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = policy_for(scope["path"]).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                ours = {name for name, _ in COMMON_HEADERS} | {b"content-security-policy"}
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in ours and name.lower() != b"server"
                ]
                headers.extend(COMMON_HEADERS)
                headers.append((b"content-security-policy", csp))
                if self.hsts:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
