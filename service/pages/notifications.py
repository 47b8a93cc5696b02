"""The in-app channel: a user's notifications and preferences; the admin's failed
deliveries with a retry button. Same use cases as ``service/api/notifications.py``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.actor import Actor
from service.api.params import PathId
from service.deps import SessionDep
from service.errors import AppError
from service.pages.common import FormDep, PageActorDep, app_error_messages, see_other, text
from service.pages.render import render, request_locale
from service.usecases import notifications as uc

router = APIRouter(include_in_schema=False)


def _context(session: Any, actor: Actor, locale: str, **extra: Any) -> dict[str, Any]:
    page = uc.list_(session=session, actor=actor, limit=100)
    return {
        "actor": actor,
        "notes": [uc.as_dict(n, locale) for n in page.items],
        "prefs": extra.pop("prefs", None) or uc.get_preferences(session=session, actor=actor),
        "errors": {},
        "hours": list(range(24)),
        **extra,
    }


@router.get("/notifications", response_class=HTMLResponse, response_model=None)
def notifications(
    request: Request, session: SessionDep, actor: PageActorDep, saved: int = 0
) -> Response:
    locale = request_locale(request)
    return render(
        request, "notifications.html", _context(session, actor, locale, saved=bool(saved))
    )


@router.post("/notifications/{notification_id}/read", response_model=None)
def read(
    notification_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    note = uc.mark_read(session=session, actor=actor, notification_id=notification_id)
    return see_other(note.link if form.get("open") else "/notifications")


@router.post("/notifications/read-all", response_model=None)
def read_all(session: SessionDep, form: FormDep, actor: PageActorDep) -> Response:
    uc.mark_all_read(session=session, actor=actor)
    return see_other("/notifications")


def _hour(form: Any, name: str) -> int | None:
    value = text(form, name)
    return int(value) if value.isdigit() else None


@router.post("/notifications/preferences", response_model=None)
def save_preferences(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    prefs = uc.Preferences(
        email_enabled=bool(form.get("email_enabled")),
        webhook_enabled=bool(form.get("webhook_enabled")),
        digest=bool(form.get("digest")),
        quiet_start=_hour(form, "quiet_start"),
        quiet_end=_hour(form, "quiet_end"),
        timezone=text(form, "timezone") or "Asia/Shanghai",
        email=text(form, "email") or None,
    )
    try:
        uc.update_preferences(session=session, actor=actor, prefs=prefs)
    except AppError as exc:
        locale = request_locale(request)
        context = _context(session, actor, locale, prefs=prefs)
        context["errors"] = app_error_messages(exc, locale)
        return render(request, "notifications.html", context, status=exc.status)
    return see_other("/notifications?saved=1")


@router.get("/admin/notifications", response_class=HTMLResponse, response_model=None)
def failed(
    request: Request, session: SessionDep, actor: PageActorDep, retried: int = 0
) -> Response:
    page = uc.failed_deliveries(session=session, actor=actor, limit=200)
    return render(
        request,
        "admin_notifications.html",
        {"actor": actor, "deliveries": page.items, "retried": retried},
    )


@router.post("/admin/notifications/{delivery_id}/retry", response_model=None)
def retry(delivery_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep) -> Response:
    uc.retry(session=session, actor=actor, delivery_id=delivery_id)
    return see_other(f"/admin/notifications?retried={delivery_id}")
