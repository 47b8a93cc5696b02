"""Personal data (个人信息保护法): a talent's page to download what is held about them and
to ask for deletion; the admin's list of requests, completed by anonymising the person."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from models.enums import DataRequestStatus
from service.api.params import PathId
from service.deps import SessionDep
from service.errors import AppError
from service.pages.common import FormDep, PageActorDep, app_error_messages, see_other, text
from service.pages.render import render, request_locale
from service.usecases import privacy

router = APIRouter(include_in_schema=False)


TRAIL_SHOWN = 10  # the latest entries of the audit trail on the page; the file has all


def _talent_context(
    request: Request, session: Any, actor: Any, errors: dict[str, str], **flags: Any
) -> dict[str, Any]:
    from datetime import datetime

    data = privacy.personal_data(session=session, actor=actor)
    pending = [r for r in data["deletion_requests"] if r["status"] == DataRequestStatus.PENDING]
    latest = data["audit_events"][-TRAIL_SHOWN:][::-1]
    trail = privacy.audit_rows(latest, request_locale(request))
    for row in trail:
        row["at"] = datetime.fromisoformat(row["at"]) if row.get("at") else None
    return {
        "actor": actor,
        "data": data,
        "trail": trail,
        "pending": pending[0] if pending else None,
        "errors": errors,
        **flags,
    }


@router.get("/privacy", response_class=HTMLResponse, response_model=None)
def my_data(
    request: Request, session: SessionDep, actor: PageActorDep, requested: int = 0
) -> Response:
    return render(
        request,
        "privacy.html",
        _talent_context(request, session, actor, {}, requested=bool(requested)),
    )


@router.post("/privacy/deletion-request", response_model=None)
def ask_deletion(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    try:
        privacy.request_deletion(session=session, actor=actor, reason=text(form, "reason"))
    except AppError as exc:
        if exc.status != 409:
            raise
        errors = app_error_messages(exc, request_locale(request))
        return render(
            request, "privacy.html", _talent_context(request, session, actor, errors), status=409
        )
    return see_other("/privacy?requested=1")


@router.get("/admin/privacy", response_class=HTMLResponse, response_model=None)
def requests(request: Request, session: SessionDep, actor: PageActorDep, done: int = 0) -> Response:
    page = privacy.list_requests(session=session, actor=actor, limit=200)
    return render(
        request,
        "admin_privacy.html",
        {"actor": actor, "requests": page.items, "done": done, "errors": {}},
    )


@router.post("/admin/privacy/{request_id}/complete", response_model=None)
def complete(
    request: Request, request_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    if not form.get("confirm"):
        page = privacy.list_requests(session=session, actor=actor, limit=200)
        errors = {str(request_id): "confirm"}
        return render(
            request,
            "admin_privacy.html",
            {"actor": actor, "requests": page.items, "done": 0, "errors": errors},
            status=422,
        )
    privacy.complete_deletion(session=session, actor=actor, request_id=request_id)
    return see_other(f"/admin/privacy?done={request_id}")
