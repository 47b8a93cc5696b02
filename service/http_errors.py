"""One error shape for the whole API, and one handler that picks JSON or a page.

Every error leaves as ``{"error": {"code", "message", "fields": [...]}}``; ``fields``
names each bad field with what was expected. Pages get the same content rendered in the
user's language."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import AppError
from service.i18n import has_message, translate
from service.pages.common import LoginRequired, PasswordChangeRequired, login_redirect, see_other
from service.pages.render import render_error_page

log = logging.getLogger(__name__)


def error_body(
    code: str, message: str, fields: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "too_many_requests",
}


def _render(
    request: Request,
    status: int,
    code: str,
    message: str,
    message_zh: str,
    fields: list[dict[str, Any]],
) -> Response:
    if wants_html(request):
        return render_error_page(request, status, code, message, message_zh, fields)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(code, message, fields), status_code=status, headers=headers)


def validation_fields(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic errors as ``{"field", "message"}``, the field a dotted path."""
    fields = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        fields.append({"field": ".".join(loc) or "body", "message": message})
    return fields


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        return login_redirect(request)

    @app.exception_handler(PasswordChangeRequired)
    async def _password_change(request: Request, exc: PasswordChangeRequired) -> Response:
        return see_other("/account/password?reset=1")

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        return _render(
            request,
            exc.status,
            exc.code,
            exc.message,
            exc.message_zh or exc.message,
            [f.as_dict() for f in exc.fields],
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return _render(
            request,
            422,
            "validation_error",
            "Some fields are invalid",
            "部分字段填写有误",
            validation_fields(exc.errors()),
        )

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> Response:
        # A use case re-validating a merged record (e.g. a PATCH) raises this directly.
        return _render(
            request,
            422,
            "validation_error",
            "Some fields are invalid",
            "部分字段填写有误",
            validation_fields(exc.errors()),
        )

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> Response:
        # A value the database cannot store (a NUL inside a JSON string, say): the
        # person's input, not our fault, though the database only tells us which row.
        log.warning(
            "database refused a value on %s %s: %s", request.method, request.url.path, exc.orig
        )
        return _render(
            request,
            422,
            "validation_error",
            "A value contains characters the database cannot store",
            "填写的内容含有无法保存的字符",
            [],
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        key = f"error.status.{exc.status_code}"
        # Starlette's own phrase ("Not Found") reads in the page's language.
        message_zh = translate(key, "zh-CN") if has_message(key, "zh-CN") else message
        if has_message(key, "en") and message == HTTPStatus(exc.status_code).phrase:
            message = translate(key, "en")
        return _render(request, exc.status_code, code, message, message_zh, [])

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _render(
            request,
            500,
            "internal_error",
            "Something went wrong on our side; it has been logged.",
            "服务器出了点问题，已记录，请稍后再试。",
            [],
        )
