"""The coordinators' approval queue with bulk decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from service import policy
from service.actor import Actor
from service.deps import SessionDep
from service.errors import AppError
from service.form_input import whole_number
from service.i18n import translate
from service.pages.common import (
    FormDep,
    PageActorDep,
    text,
    values,
)
from service.pages.render import render, request_locale
from service.usecases import matches, programmes, views

router = APIRouter(include_in_schema=False)


def _queue_context(
    session: Any, actor: Actor, county: str | None, programme: str | None, offset: int
) -> dict[str, Any]:
    page = matches.list_(
        session=session,
        actor=actor,
        status="accepted",
        county=policy.county_scope(actor, county),
        programme=programme or None,
        offset=offset,
        limit=50,
    )
    return {
        "actor": actor,
        "page": page,
        "county": county or "",
        "programme": programme or "",
        "counties": views.counties(session=session),
        "programmes": programmes.list_(session=session),
        "errors": {},
        "results": [],
        "reason": "",
        "decision": "",
    }


@router.get("/queue", response_class=HTMLResponse, response_model=None)
def queue(
    request: Request,
    session: SessionDep,
    actor: PageActorDep,
    county: str | None = None,
    programme: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    policy.require_coordinator(actor)
    return render(request, "queue.html", _queue_context(session, actor, county, programme, offset))


@router.post("/queue", response_class=HTMLResponse, response_model=None)
def queue_decide(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    """Approve or reject the ticked matches one by one: each is its own decision with its
    own capacity check, so one conflict does not undo the others."""
    policy.require_coordinator(actor)
    locale = request_locale(request)
    decision, reason = text(form, "decision"), text(form, "reason")
    ids = [i for v in values(form, "match_ids") if (i := whole_number(v)) is not None]
    errors: dict[str, str] = {}
    if decision not in ("approve", "reject"):
        errors["decision"] = translate("queue.err.decision", locale)
    if not ids:
        errors["match_ids"] = translate("queue.err.pick", locale)
    if decision == "reject" and not reason:
        errors["reason"] = translate("queue.err.reason", locale)
    results: list[dict[str, Any]] = []
    if not errors:
        for match_id in ids:
            version = text(form, f"version_{match_id}")
            try:
                matches.transition(
                    session=session,
                    actor=actor,
                    match_id=match_id,
                    action=decision,
                    reason=reason or None,
                    expected_version=whole_number(version),
                )
                results.append({"id": match_id, "ok": True, "message": ""})
            except AppError as exc:
                session.rollback()
                results.append(
                    {
                        "id": match_id,
                        "ok": False,
                        "message": exc.message if locale == "en" else exc.message_zh,
                    }
                )
    context = _queue_context(session, actor, text(form, "county"), text(form, "programme"), 0)
    context.update(errors=errors, results=results, reason=reason, decision=decision)
    return render(request, "queue.html", context, status=422 if errors else 200)
