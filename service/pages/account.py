"""Logging in and out, and changing one's password. The token the API issues rides in an
httponly cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from service.api.auth import login_and_issue, request_client, sign_token
from service.auth import COOKIE_NAME, OptionalActorDep
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
from service.i18n import translate
from service.pages.common import (
    FormDep,
    PageActorDep,
    app_error_messages,
    see_other,
    text,
)
from service.pages.render import render, request_locale
from service.settings import Settings
from service.throttle import LoginThrottled
from service.usecases import credentials


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
        except LoginThrottled as exc:
            errors["form"] = exc.message if locale == "en" else exc.message_zh
            page = render(
                request,
                "login.html",
                {"next": next_url, "errors": errors, "username": username},
                status=429,
            )
            page.headers["Retry-After"] = str(exc.retry_after)
            return page
        except AppError as exc:
            errors["form"] = exc.message if locale == "en" else exc.message_zh
        else:
            return _signed_in(see_other(next_url), token, settings)
    return render(
        request,
        "login.html",
        {"next": next_url, "errors": errors, "username": username},
        status=400,
    )


def _signed_in(response: Response, token: str, settings: Settings) -> Response:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=settings.token_ttl_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
    )
    return response


@router.post("/logout", response_model=None)
def logout(form: FormDep, session: SessionDep, actor: OptionalActorDep) -> Response:
    # The token itself is revoked, not only this browser's copy of it.
    if actor is not None:
        credentials.logout(session=session, actor=actor)
    response = see_other("/")
    response.delete_cookie(COOKIE_NAME)
    return response


@router.get("/account/password", response_class=HTMLResponse, response_model=None)
def password_page(request: Request, actor: PageActorDep) -> Response:
    return render(request, "account_password.html", {"actor": actor, "errors": {}, "done": False})


def _password_form_errors(form: FormData, locale: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in ("current_password", "new_password", "confirm_password"):
        if not form.get(name):
            errors[name] = translate("form.err.required", locale)
    if not errors and form.get("new_password") != form.get("confirm_password"):
        errors["confirm_password"] = translate("password.err.confirm", locale)
    return errors


@router.post("/account/password", response_model=None)
def password_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: PageActorDep,
    form: FormDep,
) -> Response:
    locale = request_locale(request)
    errors = _password_form_errors(form, locale)
    status = 422
    if not errors:
        try:
            user = credentials.change_password(
                session=session,
                throttle=request.app.state.login_throttle,
                actor=actor,
                current_password=str(form.get("current_password")),
                new_password=str(form.get("new_password")),
                client=request_client(request, settings),
            )
        except AppError as exc:
            if exc.status not in (403, 422, 429):
                raise
            session.rollback()
            status = exc.status
            errors = app_error_messages(exc, locale)
            # A throttled change names no field of this form: say it above the form.
            if "username" in errors:
                errors["form"] = errors.pop("username")
        else:
            page = render(
                request, "account_password.html", {"actor": actor, "errors": {}, "done": True}
            )
            return _signed_in(page, sign_token(user, settings), settings)
    return render(
        request,
        "account_password.html",
        {"actor": actor, "errors": errors, "done": False},
        status=status,
    )
