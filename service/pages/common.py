"""What every page route shares: the signed-in actor (or a redirect to the login page),
CSRF on form posts, redirects, the skill picker's groups, and turning a schema's
validation errors into per-field messages in the user's language."""

from __future__ import annotations

import contextlib
import hmac
import secrets
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from reference import load_taxonomy
from service.actor import Actor
from service.auth import OptionalActorDep
from service.csrf import CSRF_COOKIE
from service.errors import AppError
from service.i18n import translate

CSRF_FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The double-submit token for this browser: the cookie's value, minted once."""
    existing = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if existing:
        return str(existing)
    token = secrets.token_urlsafe(24)
    # render() sees this and sets the cookie on the response that carries the form.
    request.state.new_csrf = token
    return token


async def checked_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form, after checking its CSRF token against the cookie. A cross-site
    form cannot read our cookie, so it cannot echo the token back. Uploaded files the
    parser spooled to the temporary directory are closed (so deleted) once the request
    is done."""
    form = await request.form()
    try:
        sent = form.get(CSRF_FIELD)
        expected = request.cookies.get(CSRF_COOKIE)
        if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
            raise AppError(
                403,
                "csrf_failed",
                "The form expired; reload the page and try again",
                "表单已过期，请刷新页面后重试",
            )
        yield form
    finally:
        await form.close()


FormDep = Annotated[FormData, Depends(checked_form)]


class LoginRequired(Exception):
    """Nobody is signed in; the app answers with a redirect to the login page that comes
    back to the page asked for (``service.http_errors``)."""


class PasswordChangeRequired(Exception):
    """An admin reset this user's password: every page but the change-password page
    sends them there until they choose their own (``service.http_errors``)."""


# Pages a user whose password was reset may still open.
PASSWORD_CHANGE_PATHS = frozenset({"/account/password", "/logout"})


def page_actor(request: Request, actor: OptionalActorDep) -> Actor:
    """The signed-in actor of a page that needs one; anyone else goes to the login page."""
    if actor is None:
        raise LoginRequired
    if actor.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired
    return actor


PageActorDep = Annotated[Actor, Depends(page_actor)]


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def skill_groups() -> list[tuple[str, str, list[str]]]:
    """The taxonomy's groups for the skill picker: (zh, en, leaf codes)."""
    return [(g.zh, g.en, [leaf.code for leaf in g.leaves]) for g in load_taxonomy().groups]


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def values(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str) and v]


def present(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    """The non-empty text fields among ``names``: an empty box means "not given", so the
    schema reports "required" or uses its default rather than "not a number"."""
    return {n: text(form, n) for n in names if text(form, n)}


# Pydantic error types → message keys in the translation table. The messages name what
# to do, not the validator's jargon.
_ERROR_KEYS = {
    "missing": "form.err.required",
    "string_too_short": "form.err.blank",
    "string_too_long": "form.err.too_long",
    "greater_than_equal": "form.err.min",
    "greater_than": "form.err.min",
    "less_than_equal": "form.err.max",
    "less_than": "form.err.max",
    "int_parsing": "form.err.integer",
    "int_type": "form.err.integer",
    "int_from_float": "form.err.integer",
    "float_parsing": "form.err.number",
    "float_type": "form.err.number",
    "date_parsing": "form.err.date",
    "date_from_datetime_parsing": "form.err.date",
    "date_type": "form.err.date",
    "enum": "form.err.choice",
    "literal_error": "form.err.choice",
    "too_short": "form.err.pick_one",
    "too_long": "form.err.too_many",
    "string_pattern_mismatch": "form.err.format",
}


def _value_error_key(message: str) -> tuple[str | None, str]:
    if "before start_date" in message:
        return "end_date", "form.err.end_before_start"
    if "unknown skill" in message:
        return None, "form.err.unknown_skill"
    if "unknown programme" in message:
        return None, "form.err.unknown_programme"
    if "must not be blank" in message:
        return None, "form.err.blank"
    return None, "form.err.invalid"


def field_messages(exc: ValidationError, locale: str) -> dict[str, str]:
    """One friendly message per form field, in ``locale``; the first error of a field
    wins so the page says one thing at a time."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        name = loc[0] if loc else ""
        if err["type"] == "value_error":
            moved, key = _value_error_key(str(err.get("msg", "")))
            name = moved or name
        else:
            key = _ERROR_KEYS.get(err["type"], "form.err.invalid")
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, int | float | str)}
        message = translate(key, locale)
        with contextlib.suppress(KeyError, IndexError):
            message = message.format(**ctx)
        out.setdefault(name or "form", message)
    return out


def app_error_messages(exc: AppError, locale: str) -> dict[str, str]:
    """Field messages from a use case's own refusal (e.g. "decline needs a reason")."""
    message = exc.message if locale == "en" else (exc.message_zh or exc.message)
    if not exc.fields:
        return {"form": message}
    return {f.field: message for f in exc.fields}
