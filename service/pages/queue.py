"""The coordinators' approval queue as a work list: each item with its fit, top reasons
and a link to the person; one-click decisions per item; bulk decisions after a
confirmation step. The decision and reason reset after each submit, and the result says
approved or rejected per item, by name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from service import policy
from service.actor import Actor
from service.deps import SessionDep
from service.form_input import whole_number
from service.i18n import translate
from service.pages.common import (
    FormDep,
    PageActorDep,
    text,
    values,
)
from service.pages.render import render, request_locale
from service.usecases import explain, match_decisions, matches, need_search, views

router = APIRouter(include_in_schema=False)

_OUTCOME = {"approve": "queue.approved", "reject": "queue.rejected"}


def _queue_context(
    request: Request,
    session: Any,
    actor: Actor,
    county: str | None,
    programme: str | None,
    offset: int,
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
        "explained": explain.for_matches(session, request.app.state.engine, page.items),
        "county": county or "",
        "programme": programme or "",
        "counties": views.counties(session=session),
        "programmes": need_search.programme_choices(session=session),
        "errors": {},
        "results": [],
        "reason": "",
        "decision": "",
        "picked_ids": set(),
    }


@router.get("/queue", response_class=HTMLResponse, response_model=None)
def queue(
    request: Request,
    session: SessionDep,
    actor: PageActorDep,
    county: str | None = None,
    programme: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    pick: Annotated[list[int] | None, Query(max_length=500)] = None,
    decision: str = "",
    reason: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    """The work list; ``pick``, ``decision`` and ``reason`` are what the confirmation
    step's "go back and change" link carries, so the ticked items are still ticked."""
    policy.require_coordinator(actor)
    context = _queue_context(request, session, actor, county, programme, offset)
    if decision in _OUTCOME:
        context.update(decision=decision, reason=reason)
    context["picked_ids"] = set(pick or ())
    return render(request, "queue.html", context)


def _asked(form: FormData) -> tuple[str, str, list[int], bool]:
    """(decision, reason, match ids, confirmed) from the form: one item's own button
    ("approve:7" / "reject:7", with that item's reason) is decided at once; a bulk
    decision over the ticked items needs the confirmation step first."""
    single = text(form, "single")
    if single and ":" in single:
        decision, _, raw_id = single.partition(":")
        match_id = whole_number(raw_id)
        reason = text(form, f"reason_{raw_id}") or ""
        return decision, reason, [match_id] if match_id is not None else [], True
    ids = [i for v in values(form, "match_ids") if (i := whole_number(v)) is not None]
    return text(form, "decision"), text(form, "reason"), ids, text(form, "confirm") == "yes"


def _check(decision: str, reason: str, ids: list[int], locale: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision not in _OUTCOME:
        errors["decision"] = translate("queue.err.decision", locale)
    if not ids:
        errors["match_ids"] = translate("queue.err.pick", locale)
    if decision == "reject" and not reason:
        errors["reason"] = translate("queue.err.reason", locale)
    return errors


def _decide(
    session: Any, actor: Actor, form: FormData, decision: str, reason: str, ids: list[int]
) -> list[dict[str, Any]]:
    versions = {i: whole_number(text(form, f"version_{i}")) for i in ids}
    decided = match_decisions.decide_each(
        session=session, actor=actor, action=decision, reason=reason or None, versions=versions
    )
    return [
        {
            "id": d.match_id,
            "ok": d.ok,
            "talent": d.talent,
            "need": d.need,
            "outcome": decision,
            "error": d.error,
        }
        for d in decided
    ]


@router.post("/queue", response_class=HTMLResponse, response_model=None)
def queue_decide(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    policy.require_coordinator(actor)
    locale = request_locale(request)
    decision, reason, ids, confirmed = _asked(form)
    errors = _check(decision, reason, ids, locale)
    county, programme = text(form, "county"), text(form, "programme")
    if not errors and not confirmed:
        picked = [matches.get_or_raise(session=session, actor=actor, match_id=i) for i in ids]
        return render(
            request,
            "queue_confirm.html",
            {
                "actor": actor,
                "picked": picked,
                "versions": {i: text(form, f"version_{i}") for i in ids},
                "decision": decision,
                "reason": reason,
                "county": county,
                "programme": programme,
            },
        )
    results = _decide(session, actor, form, decision, reason, ids) if not errors else []
    context = _queue_context(request, session, actor, county, programme, 0)
    # After a submit the choices start afresh; after a refusal they stay to be fixed.
    context.update(
        errors=errors,
        results=results,
        reason=reason if errors else "",
        decision=decision if errors else "",
        picked_ids=set(ids) if errors else set(),
        outcome=_OUTCOME,
    )
    return render(request, "queue.html", context, status=422 if errors else 200)
