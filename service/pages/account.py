"""Logging in and out. The token the API issues rides in an httponly cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from service.api.auth import login_and_issue
from service.auth import COOKIE_NAME, OptionalActorDep
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
from service.i18n import translate
from service.pages.common import FormDep, see_other, text
from service.pages.render import render, request_locale


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would turn the login page into a phishing aid.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    actor: OptionalActorDep,
    next_url: Annotated[str | None, Query(alias="next")] = None,
) -> HTMLResponse:
    return render(
        request,
        "login.html",
        {"actor": actor, "next": _safe_next(next_url), "errors": {}, "username": ""},
    )


@router.post("/login", response_model=None)
def login_submit(
    request: Request, session: SessionDep, settings: SettingsDep, form: FormDep
) -> Response:
    username, password = text(form, "username"), str(form.get("password") or "")
    next_url = _safe_next(text(form, "next"))
    locale = request_locale(request)
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = translate("login.err.username", locale)
    if not password:
        errors["password"] = translate("login.err.password", locale)
    if not errors:
        try:
            token, _role = login_and_issue(request, session, settings, username, password)
        except AppError as exc:
            errors["form"] = exc.message if locale == "en" else exc.message_zh
        else:
            response = see_other(next_url)
            response.set_cookie(
                COOKIE_NAME,
                token,
                max_age=settings.token_ttl_minutes * 60,
                httponly=True,
                samesite="lax",
                secure=settings.environment == "production",
            )
            return response
    return render(
        request,
        "login.html",
        {"next": next_url, "errors": errors, "username": username},
        status=400,
    )


@router.post("/logout", response_model=None)
def logout(form: FormDep) -> Response:
    response = see_other("/")
    response.delete_cookie(COOKIE_NAME)
    return response
