"""Admin: users and roles, the reference data, and spreadsheet imports with the
row-level error report on the page."""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from models.enums import Role
from service.auth import Actor, OptionalActorDep, require
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
from service.i18n import translate
from service.pages.common import FormDep, app_error_messages, login_redirect, see_other, text
from service.pages.render import render, request_locale
from service.usecases import accounts, imports, programmes, views
from service.usecases.reference import labels

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
    request: Request, session: SessionDep, actor: OptionalActorDep, q: str | None = None
) -> Response:
    if actor is None:
        return login_redirect(request)
    require(actor, Role.ADMIN)
    return render(
        request, "admin_users.html", _users_context(session, actor, {"role": "site_staff"}, {}, q)
    )


@router.post("/users", response_model=None)
def user_create(
    request: Request, session: SessionDep, actor: OptionalActorDep, form: FormDep
) -> Response:
    if actor is None:
        return login_redirect(request)
    require(actor, Role.ADMIN)
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


@router.get("/reference", response_class=HTMLResponse, response_model=None)
def reference(request: Request, session: SessionDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return login_redirect(request)
    require(actor, Role.ADMIN)
    return render(
        request,
        "admin_reference.html",
        {
            "actor": actor,
            "labels": labels(),
            "counts": views.reference_counts(session=session),
            "counties": views.counties(session=session),
            "programmes": programmes.list_(session=session),
        },
    )


@router.get("/import", response_class=HTMLResponse, response_model=None)
def import_page(request: Request, actor: OptionalActorDep) -> Response:
    if actor is None:
        return login_redirect(request)
    require(actor, Role.ADMIN)
    return render(
        request,
        "admin_import.html",
        {"actor": actor, "kinds": imports.KINDS, "result": None, "errors": {}, "kind": ""},
    )


@router.post("/import", response_class=HTMLResponse, response_model=None)
def import_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: OptionalActorDep,
    form: FormDep,
) -> Response:
    if actor is None:
        return login_redirect(request)
    require(actor, Role.ADMIN)
    kind = text(form, "kind")
    upload = form.get("file")
    errors: dict[str, str] = {}
    locale = request_locale(request)
    if kind not in imports.KINDS:
        errors["kind"] = translate("import.err.kind", locale)
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = translate("import.err.file", locale)
    result = None
    if not errors:
        assert isinstance(upload, UploadFile)
        content = upload.file.read(settings.max_upload_bytes + 1)
        result = imports.import_file(
            cast(imports.Kind, kind),
            content,
            upload.filename,
            session=session,
            max_bytes=settings.max_upload_bytes,
            dry_run=bool(form.get("dry_run")),
        )
    status = 422 if errors or (result is not None and result.status != "ok") else 200
    return render(
        request,
        "admin_import.html",
        {"actor": actor, "kinds": imports.KINDS, "result": result, "errors": errors, "kind": kind},
        status=status,
    )
