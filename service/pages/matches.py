"""Matches as each party sees them: history, one match with its contacts (once
approved), its lifecycle actions, audit trail and service records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from models import Match
from models.schemas.match import RecordCreate
from service import policy
from service.actor import Actor
from service.api.params import PathId
from service.deps import SessionDep
from service.errors import AppError
from service.form_input import whole_number
from service.pages.common import (
    FormDep,
    PageActorDep,
    app_error_messages,
    field_messages,
    present,
    see_other,
    text,
)
from service.pages.render import render, request_locale
from service.usecases import matches, messages, records, views

router = APIRouter(include_in_schema=False)

STATUSES = (
    "proposed",
    "interested",
    "accepted",
    "approved",
    "active",
    "completed",
    "declined",
    "rejected",
    "cancelled",
)
# Actions whose use case refuses to go on without a reason; the page asks up front.
REASON_ACTIONS = frozenset({"decline", "reject", "cancel"})
# Notes a redirect may ask the match page to show (``?note=``).
NOTES = frozenset({"already"})


@router.get("/matches", response_class=HTMLResponse, response_model=None)
def match_list(
    request: Request,
    session: SessionDep,
    actor: PageActorDep,
    status: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    page = matches.list_(
        session=session,
        actor=actor,
        status=status if status in STATUSES else None,
        offset=offset,
        limit=30,
    )
    return render(
        request,
        "matches.html",
        {"actor": actor, "page": page, "status": status or "", "statuses": STATUSES},
    )


def _detail_context(session: Any, actor: Actor, match: Match) -> dict[str, Any]:
    view = matches.view(actor=actor, match=match)
    with_audit = policy.sees_audit_trail(actor)
    return {
        "actor": actor,
        "match": match,
        "view": view,
        "need": match.need,
        "site": match.need.site,
        "talent": match.talent,
        "history": views.match_history(session=session, match=match, with_audit=with_audit),
        "records": list(match.records),
        "reason_actions": REASON_ACTIONS,
        "can_record": match.status in ("active", "completed"),
        "errors": {},
        "record_values": {},
        "record_errors": {},
        "thread": messages.thread(session=session, actor=actor, match_id=match.id),
        "message_errors": {},
        "message_value": "",
    }


@router.get("/matches/{match_id}", response_class=HTMLResponse, response_model=None)
def match_detail(
    request: Request,
    match_id: PathId,
    session: SessionDep,
    actor: PageActorDep,
    note: str | None = None,
) -> Response:
    match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
    context = _detail_context(session, actor, match)
    context["note"] = note if note in NOTES else None
    return render(request, "match_detail.html", context)


@router.post("/matches/{match_id}/action", response_model=None)
def match_action(
    request: Request, match_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    version = text(form, "version")
    try:
        matches.transition(
            session=session,
            actor=actor,
            match_id=match_id,
            action=text(form, "action"),
            reason=text(form, "reason") or None,
            expected_version=whole_number(version),
        )
    except AppError as exc:
        if exc.status not in (409, 422):
            raise
        session.rollback()
        match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
        context = _detail_context(session, actor, match)
        context["errors"] = app_error_messages(exc, request_locale(request))
        context["failed_action"] = text(form, "action")
        return render(request, "match_detail.html", context, status=exc.status)
    return see_other(f"/matches/{match_id}")


_RECORD_FIELDS = ("date", "hours", "visits", "people_trained", "outcome", "rating")


@router.post("/matches/{match_id}/records", response_model=None)
def match_record(
    request: Request, match_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    raw = present(form, _RECORD_FIELDS)
    locale = request_locale(request)
    try:
        records.create(
            session=session, actor=actor, match_id=match_id, data=RecordCreate.model_validate(raw)
        )
    except ValidationError as exc:
        errors = field_messages(exc, locale)
    except AppError as exc:
        if exc.status not in (403, 409, 422):
            raise
        errors = app_error_messages(exc, locale)
    else:
        return see_other(f"/matches/{match_id}#records")
    match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
    context = _detail_context(session, actor, match)
    context.update(record_values=raw, record_errors=errors)
    return render(request, "match_detail.html", context, status=422)
