"""Site staff: post and edit needs, see ranked candidates with their reasons, ask why a
talent does not fit, and propose a pairing. Coordinators see the same need pages for
their jurisdiction; talents see an open posting with how they fit it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from models import Need
from models.enums import Role
from models.schemas.need import NeedCreate, NeedUpdate
from service import lifecycle
from service.actor import Actor, require
from service.api.params import MAX_ID, PathId
from service.deps import SessionDep
from service.errors import AppError
from service.form_input import form_id
from service.pages.common import (
    FormDep,
    PageActorDep,
    app_error_messages,
    field_messages,
    present,
    see_other,
    skill_groups,
    text,
    values,
)
from service.pages.render import render, request_locale
from service.pages.suggestions import current_state, express_interest
from service.usecases import candidates, lookup, matches, need_search, views
from service.usecases import needs as needs_uc
from service.usecases.reference import labels, validation_context

router = APIRouter(include_in_schema=False)

_TEXT_FIELDS = (
    "title",
    "description",
    "mode",
    "min_title_level",
    "min_degree_level",
    "start_date",
    "end_date",
    "headcount",
    "days_needed",
    "programme_code",
)
_LIST_FIELDS = ("skills", "licences", "languages", "required_categories")


def _need_input(form: FormData) -> dict[str, Any]:
    raw: dict[str, Any] = present(form, _TEXT_FIELDS)
    for name in _LIST_FIELDS:
        raw[name] = values(form, name)
    return raw


def _form_context(
    session: Session,
    actor: Actor,
    values_: dict[str, Any],
    errors: dict[str, str],
    need: Need | None,
) -> dict[str, Any]:
    return {
        "actor": actor,
        "need": need,
        "values": values_,
        "errors": errors,
        "skill_groups": skill_groups(),
        "modes": list(labels()["mode"]),
        "titles": list(labels()["title"]),
        "degrees": list(labels()["degree"]),
        "licences": list(labels()["licence"]),
        "languages": list(labels()["language"]),
        "categories": list(labels()["category"]),
        "programmes": need_search.programme_choices(session=session),
    }


def _blank_need() -> dict[str, Any]:
    start = date.today() + timedelta(days=14)
    return {
        "mode": "onsite_short",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=90)).isoformat(),
        "headcount": "1",
        "days_needed": "10",
        "min_title_level": "0",
        "min_degree_level": "0",
        "skills": [],
        "licences": [],
        "languages": [],
        "required_categories": [],
    }


def _need_values(need: Need) -> dict[str, Any]:
    return {
        "title": need.title,
        "description": need.description,
        "mode": need.mode,
        "min_title_level": str(need.min_title_level),
        "min_degree_level": str(need.min_degree_level),
        "start_date": need.start_date.isoformat(),
        "end_date": need.end_date.isoformat(),
        "headcount": str(need.headcount),
        "days_needed": str(need.days_needed),
        "programme_code": need.programme_code or "",
        "skills": list(need.skills),
        "licences": list(need.licences),
        "languages": list(need.languages),
        "required_categories": list(need.required_categories or ()),
    }


PAGE_SIZE = 20
_FILTER_NAMES = ("q", "county", "township", "programme", "mode", "status", "from", "to")


def _date_or_error(raw: str, name: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = raw
        return None


def _need_query(
    raw: dict[str, str], fit_ids: frozenset[int] | None
) -> tuple[need_search.NeedQuery, dict[str, str]]:
    """The list's query from its form; a date that does not parse is named, not used."""
    errors: dict[str, str] = {}
    township = raw["township"]
    query = need_search.NeedQuery(
        q=raw["q"] or None,
        county=raw["county"] or None,
        township=int(township) if township.isdigit() and int(township) <= MAX_ID else None,
        status=raw["status"] or None,
        programme=raw["programme"] or None,
        mode=raw["mode"] or None,
        starts_after=_date_or_error(raw["from"], "from", errors),
        ends_before=_date_or_error(raw["to"], "to", errors),
        only_ids=fit_ids,
    )
    return query, errors


def _fit_ids(request: Request, session: Session, actor: Actor, only_fits: bool) -> Any:
    """For a talent: the open needs whose hard constraints she meets (a set), shown as a
    tag on each card and, with “只看适合我的”, the only needs listed."""
    if actor.role is not Role.TALENT:
        return None, None
    fits = lookup.fitting_need_ids(session=session, engine=request.app.state.engine, actor=actor)
    return fits, (fits if only_fits else None)


@router.get("/needs", response_class=HTMLResponse, response_model=None)
def needs_list(
    request: Request,
    session: SessionDep,
    actor: PageActorDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Search and browse needs: keyword, place, programme line, mode, status and dates,
    with page numbers. Talents see open needs and which of them fit their profile."""
    raw = {name: (request.query_params.get(name) or "").strip()[:100] for name in _FILTER_NAMES}
    only_fits = request.query_params.get("fits") == "1"
    fits, only = _fit_ids(request, session, actor, only_fits)
    query, errors = _need_query(raw, only)
    offset = (page - 1) * PAGE_SIZE
    found = need_search.browse(
        session=session, actor=actor, query=query, offset=offset, limit=PAGE_SIZE
    )
    summary = (
        views.my_needs_summary(session=session, actor=actor)
        if actor.role is Role.SITE_STAFF
        else {}
    )
    places = need_search.places(session=session, actor=actor)
    return render(
        request,
        "needs.html",
        {
            "actor": actor,
            "page": found,
            "summary": summary,
            "filters": raw,
            "only_fits": only_fits,
            "fits": fits,
            "date_errors": errors,
            "page_numbers": need_search.page_numbers(found.total, offset, PAGE_SIZE),
            "current_page": page,
            "counties": places.counties,
            "townships": places.townships,
            "programmes": need_search.programme_choices(session=session),
            "modes": list(labels()["mode"]),
        },
    )


@router.get("/needs/new", response_class=HTMLResponse, response_model=None)
def need_new(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    require(actor, Role.SITE_STAFF)
    return render(request, "need_form.html", _form_context(session, actor, _blank_need(), {}, None))


@router.post("/needs/new", response_model=None)
def need_create(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    require(actor, Role.SITE_STAFF)
    raw = _need_input(form)
    locale = request_locale(request)
    try:
        data = NeedCreate.model_validate(raw, context=validation_context(session))
        need = needs_uc.create(session=session, actor=actor, data=data)
    except ValidationError as exc:
        errors = field_messages(exc, locale)
    except AppError as exc:
        if exc.status != 422:
            raise
        errors = app_error_messages(exc, locale)
    else:
        return see_other(f"/needs/{need.id}")
    return render(
        request, "need_form.html", _form_context(session, actor, raw, errors, None), status=422
    )


@router.get("/needs/{need_id}/edit", response_class=HTMLResponse, response_model=None)
def need_edit(
    request: Request, need_id: PathId, session: SessionDep, actor: PageActorDep
) -> Response:
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    require(actor, Role.SITE_STAFF, Role.COORDINATOR, Role.ADMIN)
    values_ = {**_need_values(need), "status": need.status}
    return render(request, "need_form.html", _form_context(session, actor, values_, {}, need))


@router.post("/needs/{need_id}/edit", response_model=None)
def need_update(
    request: Request, need_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    raw = _need_input(form)
    status = text(form, "status") or need.status
    locale = request_locale(request)
    try:
        # The whole record is checked as a new posting would be, so every bad field is
        # named at once; the update then writes it.
        NeedCreate.model_validate(raw, context=validation_context(session))
        needs_uc.update(
            session=session,
            actor=actor,
            need_id=need_id,
            data=NeedUpdate.model_validate({**raw, "status": status}),
        )
    except ValidationError as exc:
        errors = field_messages(exc, locale)
    except AppError as exc:
        if exc.status != 422:
            raise
        errors = app_error_messages(exc, locale)
    else:
        return see_other(f"/needs/{need_id}")
    return render(
        request,
        "need_form.html",
        _form_context(session, actor, {**raw, "status": status}, errors, need),
        status=422,
    )


@router.get("/needs/{need_id}", response_class=HTMLResponse, response_model=None)
def need_detail(
    request: Request, need_id: PathId, session: SessionDep, actor: PageActorDep
) -> Response:
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    context: dict[str, Any] = {
        "actor": actor,
        "need": need,
        "site": need.site,
        **needs_uc.offering(need, date.today()),
        "candidates": [],
        "fit": None,
        "matches": [],
        "own": None,
    }
    if actor.role is Role.TALENT:
        assert actor.talent_id is not None
        context["fit"] = candidates.why_not(
            session=session,
            engine=request.app.state.engine,
            actor=actor,
            need_id=need.id,
            talent_id=actor.talent_id,
        )
        mine = matches.list_(session=session, actor=actor, need_id=need.id, limit=1).items
        context["own"] = mine[0] if mine else None
    else:
        context["candidates"] = candidates.for_need(
            session=session, engine=request.app.state.engine, actor=actor, need_id=need.id, k=10
        )
        context["matches"] = matches.list_(
            session=session, actor=actor, need_id=need.id, limit=100
        ).items
        context["matched_talents"] = {m.talent_id: m for m in context["matches"]}
    return render(request, "need_detail.html", context)


def _why_not_for(
    request: Request, session: Session, actor: Actor, need: Need, talent_id: int
) -> tuple[Any, str | None]:
    try:
        result = candidates.why_not(
            session=session,
            engine=request.app.state.engine,
            actor=actor,
            need_id=need.id,
            talent_id=talent_id,
        )
    except AppError as exc:
        if exc.status != 404:
            raise
        return None, "whynot.unknown_talent"
    return result, None


def _label(kind: str, code: str, english: bool) -> str:
    pair = labels().get(kind, {}).get(code)
    return "" if pair is None else pair[1] if english else pair[0]


def _who(talent_id: str, who: str) -> tuple[int | None, str]:
    """A talent's number (from a link or typed) or else the name typed."""
    for raw in (talent_id.strip(), who.strip()):
        if raw.isdigit():
            return (int(raw) if int(raw) <= MAX_ID else 0), ""
    return None, (who.strip() or talent_id.strip())[:60]


@router.get("/needs/{need_id}/why-not", response_class=HTMLResponse, response_model=None)
def need_why_not(
    request: Request,
    need_id: PathId,
    session: SessionDep,
    actor: PageActorDep,
    talent_id: Annotated[str, Query(max_length=40)] = "",
    who: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Why a talent does (not) fit a need, asked by name (or by a link's number). A name
    that several talents share lists them to choose from."""
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    number, name = _who(talent_id, who)
    result, error, choices = None, None, []
    if number is None and name:
        choices = lookup.talents_named(
            session=session,
            engine=request.app.state.engine,
            actor=actor,
            need_id=need.id,
            name=name,
        )
        if len(choices) == 1:
            number, choices = choices[0].id, []
        elif not choices:
            error = "browse.whynot.no_such_name"
    elif number is None:
        error = "browse.whynot.enter_name"
    if number is not None:
        result, error = _why_not_for(request, session, actor, need, number)
    return render(
        request,
        "why_not.html",
        {
            "actor": actor,
            "need": need,
            "result": result,
            "talent_id": talent_id,
            "who": name,
            "choices": choices,
            "error": error,
            "person": lookup.talent_named(session=session, talent_id=result.talent_id)
            if result is not None
            else None,
        },
        status=404 if error in ("whynot.unknown_talent", "browse.whynot.no_such_name") else 200,
    )


@router.get("/needs/{need_id}/talent-names", response_model=None)
def need_talent_names(
    request: Request,
    need_id: PathId,
    session: SessionDep,
    actor: PageActorDep,
    q: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    """Names for the why-not box as one types (``static/why_not.js`` fills its
    ``<datalist>``): the talents this person may ask about, with county and category."""
    found = lookup.talents_named(
        session=session, engine=request.app.state.engine, actor=actor, need_id=need_id, name=q
    )
    english = request_locale(request) == "en"
    items = [
        {
            "value": t.name,
            "label": " · ".join(
                part
                for part in (
                    (t.county_name_en if english else t.county_name) or "",
                    _label("category", t.category, english),
                )
                if part
            ),
        }
        for t in found
    ]
    return JSONResponse({"items": items})


@router.post("/needs/{need_id}/propose", response_model=None)
def need_propose(
    request: Request, need_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    """A site (or coordinator) proposes a candidate; a talent proposing himself is
    "express interest" and lands as interested."""
    if actor.role is Role.TALENT:
        return express_interest(
            session=session, actor=actor, need_id=need_id, note=text(form, "note") or None
        )
    talent_id = form_id(form, "talent_id")
    assert talent_id is not None
    existing = matches.list_(
        session=session, actor=actor, need_id=need_id, talent_id=talent_id, limit=1
    ).items
    if existing:
        return current_state(existing[0].id)
    try:
        match = matches.propose(
            session=session,
            actor=actor,
            need_id=need_id,
            talent_id=talent_id,
            note=text(form, "note") or None,
        )
    except (AppError, IntegrityError) as exc:
        # A double submit lost the race: show the match the first one made.
        if isinstance(exc, AppError) and exc.status != 409:
            raise
        session.rollback()
        again = matches.list_(
            session=session, actor=actor, need_id=need_id, talent_id=talent_id, limit=1
        ).items
        if not again:
            raise
        return current_state(again[0].id)
    return see_other(f"/matches/{match.id}")


@router.post("/needs/{need_id}/decline", response_model=None)
def need_decline(
    request: Request, need_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    """A talent turns a suggested need down with a reason."""
    require(actor, Role.TALENT)
    reason = text(form, "reason")
    if not reason:
        need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
        return render(
            request,
            "decline_reason.html",
            {"actor": actor, "need": need, "errors": {"reason": "required"}},
            status=422,
        )
    assert actor.talent_id is not None
    existing = matches.list_(
        session=session, actor=actor, need_id=need_id, talent_id=actor.talent_id, limit=1
    ).items
    if existing and "decline" not in lifecycle.allowed_actions(existing[0].status, "talent"):
        return current_state(existing[0].id)
    match = matches.decline_suggestion(session=session, actor=actor, need_id=need_id, reason=reason)
    return see_other(f"/matches/{match.id}")
