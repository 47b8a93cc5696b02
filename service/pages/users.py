"""Admin: user accounts and roles."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from models.enums import Role
from service import policy
from service.actor import Actor
from service.deps import SessionDep
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
from service.usecases import accounts, views

router = APIRouter(prefix="/admin", include_in_schema=False)

ROLES = tuple(r.value for r in Role)


_USER_FIELDS = ("username", "display_name", "role", "site_id", "talent_id", "jurisdiction")


def _users_context(
    session: Any,
    actor: Actor,
    values_: dict[str, str],
    errors: dict[str, str],
    q: str | None = None,
) -> dict[str, Any]:
    return {
        "actor": actor,
        "users": views.users(session=session, actor=actor, q=q),
        "roles": ROLES,
        "counties": views.counties(session=session),
        "sites": views.sites_for(session=session, actor=actor),
        "values": values_,
        "errors": errors,
        "q": q or "",
    }


@router.get("/users", response_class=HTMLResponse, response_model=None)
def users(
    request: Request, session: SessionDep, actor: PageActorDep, q: str | None = None
) -> Response:
    policy.require_admin(actor)
    return render(
        request, "admin_users.html", _users_context(session, actor, {"role": "site_staff"}, {}, q)
    )


@router.post("/users", response_model=None)
def user_create(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    policy.require_admin(actor)
    locale = request_locale(request)
    values_ = {name: text(form, name) for name in _USER_FIELDS}
    password = str(form.get("password") or "")
    errors: dict[str, str] = {}
    required = translate("form.err.required", locale)
    for name in ("username", "display_name"):
        if not values_[name]:
            errors[name] = required
    if not password:
        errors["password"] = required
    if values_["role"] not in ROLES:
        errors["role"] = required
    for name in ("site_id", "talent_id"):
        if values_[name] and not values_[name].isdigit():
            errors[name] = translate("form.err.integer", locale)
    if not errors:
        try:
            accounts.register(
                session=session,
                actor=actor,
                username=values_["username"],
                password=password,
                role=Role(values_["role"]),
                display_name=values_["display_name"],
                site_id=int(values_["site_id"]) if values_["site_id"] else None,
                talent_id=int(values_["talent_id"]) if values_["talent_id"] else None,
                jurisdiction=values_["jurisdiction"] or None,
            )
        except AppError as exc:
            if exc.status not in (409, 422):
                raise
            session.rollback()
            errors = app_error_messages(exc, locale)
        else:
            return see_other("/admin/users")
    return render(
        request, "admin_users.html", _users_context(session, actor, values_, errors), status=422
    )
