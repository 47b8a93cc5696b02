"""Write requests that wait instead of failing when the database is busy.

Each request is one transaction (use cases commit once), so when the database answers
a write with a lock conflict the whole request can run again from the start: SQLite's
"database is locked" / "database is busy", PostgreSQL's serialization failure (40001),
deadlock (40P01) or lock not available (55P03). The retry is bounded
(``write_retry_attempts``) with exponential back-off and random jitter, and on SQLite
the retried attempt begins its transactions IMMEDIATE until its first commit: it queues
for the write lock (for up to ``sqlite_busy_timeout_seconds``) before reading, so it
cannot lose to a stale snapshot a second time, while the reads after its commit (the
page it renders) wait for no lock. A change that has committed is never run again: a
conflict after its commit answers busy instead of repeating it.

Only requests that can be replayed are retried: an unsafe method whose body was fully
announced (Content-Length) and is at most ``max_body_bytes``; uploads stream through
untouched. A conflict that remains, or one on a request that cannot be replayed,
answers 503 (busy, with Retry-After) in the API's error shape; an integrity conflict
(the same form sent twice, a row taken by a concurrent request) answers 409. Neither
is ever a 500."""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.db import write_attempt
from service.http_errors import error_body, wants_html
from service.pages.render import render_error_page

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# PostgreSQL SQLSTATEs that mean "run the transaction again".
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
MAX_DELAY_SECONDS = 2.0
_random = secrets.SystemRandom()

BUSY = "busy"
CONFLICT = "conflict"

MESSAGES: dict[str, tuple[int, str, str]] = {
    BUSY: (
        503,
        "The database is busy with other changes; nothing was saved. Try again in a moment.",
        "数据库正忙于处理其他修改，本次未保存，请稍后重试。",
    ),
    CONFLICT: (
        409,
        "The change conflicts with data saved at the same moment (was the form sent "
        "twice?); nothing was saved. Reload and check.",
        "本次修改与同时保存的数据冲突（表单是否提交了两次？），未保存，请刷新后核对。",
    ),
}


def classify(exc: BaseException) -> str | None:
    """``BUSY`` for a lock conflict worth retrying, ``CONFLICT`` for an integrity
    conflict, None for anything else (left to the app's handlers)."""
    if isinstance(exc, IntegrityError):
        return CONFLICT
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return BUSY
    text = str(orig).lower()
    if "database is locked" in text or "database is busy" in text or "table is locked" in text:
        return BUSY
    return None


def backoff(attempt: int, base_seconds: float) -> float:
    """Pause before attempt ``attempt + 1``: base·2^attempt, capped, with full jitter
    in its upper half so waiting writers spread out."""
    ceiling = min(MAX_DELAY_SECONDS, base_seconds * (2**attempt))
    return ceiling / 2 + _random.uniform(0, ceiling / 2)


class WriteRetry:
    """ASGI middleware; see the module docstring."""

    def __init__(
        self, app: ASGIApp, *, attempts: int, base_delay_ms: int, max_body_bytes: int
    ) -> None:
        self.app = app
        self.attempts = max(1, attempts)
        self.base_seconds = base_delay_ms / 1000
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await self._buffer(scope, receive)
        attempts = self.attempts if body is not None else 1
        for attempt in range(attempts):
            started = False

            async def tracking_send(message: Message) -> None:
                nonlocal started
                if message["type"] == "http.response.start":
                    started = True
                await send(message)

            try:
                with write_attempt(immediate=attempt > 0) as this:
                    replay = _replay(body, receive) if body is not None else receive
                    await self.app(scope, replay, tracking_send)
                return
            except Exception as exc:
                kind = classify(exc)
                if kind is None or started:
                    raise
                # A change that committed and then failed is not run again: that would
                # repeat it (a password changed twice signs the reader out). A read
                # may be (what it wrote on the way, such as expiring needs, is idempotent).
                repeats = this.committed and scope["method"] not in SAFE_METHODS
                if kind == BUSY and attempt + 1 < attempts and not repeats:
                    log.info(
                        "database busy on %s %s (attempt %d of %d); retrying",
                        scope["method"],
                        scope["path"],
                        attempt + 1,
                        attempts,
                    )
                    await asyncio.sleep(backoff(attempt, self.base_seconds))
                    continue
                log.warning(
                    "%s on %s %s after %d attempt(s): %s",
                    kind,
                    scope["method"],
                    scope["path"],
                    attempt + 1,
                    getattr(exc, "orig", exc),
                )
                await answer(scope, kind)(scope, receive, send)
                return

    async def _buffer(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body when the request may be replayed, else None (nothing read)."""
        if scope["method"] in SAFE_METHODS:
            return b""  # no body worth keeping; replaying a read is always safe
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        content_type = headers.get(b"content-type", b"")
        if (
            declared is None
            or not declared.isdigit()
            or int(declared) > self.max_body_bytes
            or content_type.startswith(b"multipart/")
        ):
            return None
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, upstream: Receive) -> Receive:
    """The buffered body once, then the client's own channel (its disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive


def answer(scope: Scope, kind: str) -> Response:
    """The 503 or 409 answer in the error shape: JSON for the API, a page otherwise."""
    status, message, message_zh = MESSAGES[kind]
    request = Request(scope)
    headers = {"Retry-After": "1"} if status == 503 else None
    code = "database_busy" if kind == BUSY else "conflict"
    if wants_html(request):
        response: Response = render_error_page(request, status, code, message, message_zh, [])
        if headers:
            response.headers.update(headers)
        return response
    payload: dict[str, Any] = error_body(code, message)
    return JSONResponse(payload, status_code=status, headers=headers)
