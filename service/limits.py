"""Request guards at the edge: bodies over the configured size get 413 whether or not the
client announced the length; a NUL character in the path or a query parameter gets 422
naming the parameter (PostgreSQL cannot store NUL in text, SQLite silently truncates)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    pass


async def pass_with_body_limit(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int
) -> int | None:
    """Run ``app`` while counting the body as it streams in. Returns None when it ran to
    the end, or the bytes seen when the body passed ``limit`` before any response had
    started (the caller then answers 413); a body cut off after the response started
    just ends the request."""
    seen = 0
    started = False

    async def counted_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
        return message

    async def tracking_send(message: Message) -> None:
        nonlocal started
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    try:
        await app(scope, counted_receive, tracking_send)
    except BodyTooLarge:
        return None if started else seen
    return None


class BodySizeLimit:
    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        exempt_prefixes: tuple[str, ...] = (),
        exempt: Callable[[str], bool] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt_prefixes = exempt_prefixes
        self.exempt = exempt

    def _exempt(self, path: str) -> bool:
        return path.startswith(self.exempt_prefixes) or bool(self.exempt and self.exempt(path))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        if await pass_with_body_limit(self.app, scope, receive, send, self.max_bytes):
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body: dict[str, Any] = {
            "error": {
                "code": "payload_too_large",
                "message": f"request body is larger than {self.max_bytes} bytes",
                "fields": [],
            }
        }
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


class RefuseNulCharacters:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            bad = []
            if "\x00" in scope["path"]:
                bad.append("path")
            query = scope.get("query_string", b"").decode("latin-1")
            for key, value in parse_qsl(query, keep_blank_values=True):
                if "\x00" in key or "\x00" in value:
                    bad.append(key.replace("\x00", "") or "query")
            if bad:
                fields = [{"field": name, "message": "contains a NUL character"} for name in bad]
                body = json.dumps(
                    {
                        "error": {
                            "code": "validation_error",
                            "message": "Some fields are invalid",
                            "fields": fields,
                        }
                    }
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 422,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
