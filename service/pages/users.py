"""Admin: user accounts. Create, edit, deactivate and reactivate, reset a password; a
site or talent is linked by searching its name (the chosen name shown before saving);
each action ends with a message saying what was done."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from models.enums import Role
from service import policy
from service.actor import Actor
from service.api.params import MAX_ID, PathId
from service.deps import SessionDep
from service.errors import AppError
from service.i18n import translate
from service.pages.common import FormDep, PageActorDep, app_error_messages, see_other, text
from service.pages.render import render, request_locale
from service.usecases import accounts, user_admin, views

router = APIRouter(prefix="/admin", include_in_schema=False)

ROLES = tuple(r.value for r in Role)
_USER_FIELDS = (
    "username",
    "display_name",
    "role",
    "site_id",
    "talent_id",
    "jurisdiction",
    "site_q",
    "talent_q",
)
# What the message after a redirect says (?done=…).
DONE = ("created", "updated", "deactivated", "reactivated")


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _link_context(session: Any, actor: Actor, values_: dict[str, str]) -> dict[str, Any]:
    """The link picker: the names found for the typed search, and the chosen site or
    talent by name (so the admin sees whom the account is tied to before saving)."""
    return {
        "site_choices": user_admin.sites_named(session=session, actor=actor, q=values_["site_q"])
        if values_.get("site_q")
        else [],
        "talent_choices": user_admin.talents_named(
            session=session, actor=actor, q=values_["talent_q"]
        )
        if values_.get("talent_q")
        else [],
        "chosen_site": user_admin.site_choice(
            session=session, site_id=_int(values_.get("site_id", ""))
        ),
        "chosen_talent": user_admin.talent_choice(
            session=session, talent_id=_int(values_.get("talent_id", ""))
        ),
    }


def _users_context(
    request: Request,
    session: Any,
    actor: Actor,
    values_: dict[str, str],
    errors: dict[str, str],
    q: str | None = None,
) -> dict[str, Any]:
    done = request.query_params.get("done")
    done_user = _int(request.query_params.get("user") or "")
    listed = views.users(session=session, actor=actor, q=q)
    return {
        "actor": actor,
        "users": listed,
        "links": user_admin.links_of(session=session, actor=actor, users=listed),
        "roles": ROLES,
        "counties": views.counties(session=session),
        "values": values_,
        "errors": errors,
        "q": q or "",
        "done": done if done in DONE else None,
        "done_user": user_admin.get_or_raise(session=session, actor=actor, user_id=done_user)
        if done_user
        else None,
        **_link_context(session, actor, values_),
    }


def _form_values(form: FormData) -> dict[str, str]:
    values_ = {name: text(form, name) for name in _USER_FIELDS}
    # A new search replaces the earlier choice.
    if text(form, "op") == "find":
        for kind in ("site", "talent"):
            if values_[f"{kind}_q"] and values_[f"{kind}_id"] and not _int(values_[f"{kind}_id"]):
                values_[f"{kind}_id"] = ""
    return values_


@router.get("/users", response_class=HTMLResponse, response_model=None)
def users(
    request: Request, session: SessionDep, actor: PageActorDep, q: str | None = None
) -> Response:
    policy.require_admin(actor)
    blank = dict.fromkeys(_USER_FIELDS, "") | {"role": "site_staff"}
    return render(
        request, "admin_users.html", _users_context(request, session, actor, blank, {}, q)
    )


def _create_errors(values_: dict[str, str], password: str, locale: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    required = translate("form.err.required", locale)
    for name in ("username", "display_name"):
        if not values_[name]:
            errors[name] = required
    if not password:
        errors["password"] = required
    if values_["role"] not in ROLES:
        errors["role"] = required
    return errors


@router.post("/users", response_model=None)
def user_create(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    policy.require_admin(actor)
    locale = request_locale(request)
    values_ = _form_values(form)
    if text(form, "op") == "find":
        context = _users_context(request, session, actor, values_, {})
        return render(request, "admin_users.html", context)
    password = str(form.get("password") or "")
    errors = _create_errors(values_, password, locale)
    if not errors:
        try:
            user = accounts.register(
                session=session,
                actor=actor,
                username=values_["username"],
                password=password,
                role=Role(values_["role"]),
                display_name=values_["display_name"],
                site_id=_int(values_["site_id"]),
                talent_id=_int(values_["talent_id"]),
                jurisdiction=values_["jurisdiction"] or None,
            )
        except AppError as exc:
            if exc.status not in (409, 422):
                raise
            session.rollback()
            errors = app_error_messages(exc, locale)
        else:
            return see_other(f"/admin/users?done=created&user={user.id}")
    context = _users_context(request, session, actor, values_, errors)
    return render(request, "admin_users.html", context, status=422)


def _user_values(user: Any) -> dict[str, str]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "site_id": str(user.site_id or ""),
        "talent_id": str(user.talent_id or ""),
        "jurisdiction": user.jurisdiction or "",
        "site_q": "",
        "talent_q": "",
    }


def _edit_page(
    request: Request,
    session: Any,
    actor: Actor,
    user: Any,
    values_: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    temporary: str | None = None,
) -> Response:
    done = request.query_params.get("done")
    context = {
        "actor": actor,
        "user": user,
        "roles": ROLES,
        "counties": views.counties(session=session),
        "values": values_,
        "errors": errors,
        "done": done if done in DONE else None,
        "temporary": temporary,
        **_link_context(session, actor, values_),
    }
    return render(request, "admin_user_edit.html", context, status=status)


@router.get("/users/{user_id}", response_class=HTMLResponse, response_model=None)
def user_edit(
    request: Request, user_id: PathId, session: SessionDep, actor: PageActorDep
) -> Response:
    user = user_admin.get_or_raise(session=session, actor=actor, user_id=user_id)
    return _edit_page(request, session, actor, user, _user_values(user), {})


@router.post("/users/{user_id}", response_model=None)
def user_update(
    request: Request, user_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    user = user_admin.get_or_raise(session=session, actor=actor, user_id=user_id)
    values_ = {**_form_values(form), "username": user.username}
    if text(form, "op") == "find":
        return _edit_page(request, session, actor, user, values_, {})
    if values_["role"] not in ROLES:
        errors = {"role": translate("form.err.required", request_locale(request))}
        return _edit_page(request, session, actor, user, values_, errors, 422)
    try:
        user_admin.update_user(
            session=session,
            actor=actor,
            user_id=user_id,
            changes=user_admin.UserChanges(
                display_name=values_["display_name"],
                role=Role(values_["role"]),
                site_id=_int(values_["site_id"]),
                talent_id=_int(values_["talent_id"]),
                jurisdiction=values_["jurisdiction"] or None,
            ),
        )
    except AppError as exc:
        if exc.status != 422:
            raise
        session.rollback()
        errors = app_error_messages(exc, request_locale(request))
        return _edit_page(request, session, actor, user, values_, errors, 422)
    return see_other(f"/admin/users/{user_id}?done=updated")


@router.post("/users/{user_id}/active", response_model=None)
def user_set_active(
    request: Request, user_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    active = text(form, "active") == "1"
    user_admin.set_active(session=session, actor=actor, user_id=user_id, active=active)
    return see_other(f"/admin/users/{user_id}?done={'reactivated' if active else 'deactivated'}")


@router.post("/users/{user_id}/reset-password", response_model=None)
def user_reset_password(
    request: Request, user_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    """The temporary password is shown once, on this answer (never in a URL)."""
    user, password = user_admin.reset_password(session=session, actor=actor, user_id=user_id)
    return _edit_page(request, session, actor, user, _user_values(user), {}, temporary=password)
