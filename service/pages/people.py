"""Pages for the people side of the plan: recruitments (措施7), the 编办's 编制 pools and
their ledger (措施9), 县管乡用/县管校聘 rotations, and each person's grassroots-service
ledger with the 职称 rules of 措施10. Each page reads through the same use case as its
API twin (``service/api/people.py``); lists show names and words, never codes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Recruitment, Talent, Township
from models.enums import Role
from models.ledger import LedgerStatus
from models.people import (
    MovementKind,
    PeriodDecision,
    PoolSector,
    PostKind,
    ProfessionSeries,
    RecruitmentRoute,
    RotationKind,
    TermAssessment,
)
from models.schemas.people import (
    CareerFactsBody,
    MovementCreate,
    PeriodReviewBody,
    PoolCreate,
    RecruitmentCreate,
    RecruitmentLeave,
    RotationCreate,
)
from service import policy
from service.actor import Actor
from service.api.params import PathId
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
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
from service.places import county_name, township_name
from service.usecases import ledger_review, recruitments, rotations, service_ledger, staffing
from service.usecases import people_views as views
from service.usecases.expiry import today

router = APIRouter(include_in_schema=False)

_RECRUIT_FIELDS = (
    "talent_id",
    "county_code",
    "township_id",
    "unit",
    "post",
    "post_kind",
    "route",
    "post_grade",
    "degree_level",
    "title_level",
    "failed_open_years",
    "start_date",
    "term_assessment",
    "assessed_on",
    "note",
)
_STATUSES = {s.value for s in LedgerStatus}
_FLAGS = ("high_level", "matches_unit_series", "fresh_graduate")
_ROTATION_FIELDS = (
    "talent_id",
    "kind",
    "county_code",
    "employer_unit",
    "host_unit",
    "host_township_id",
    "starts_on",
    "ends_on",
    "note",
)


def _township_names(session: Session, locale: str) -> dict[int, str]:
    return {
        t.id: township_name(t.county_code, t.name, locale)
        for t in session.scalars(select(Township))
    }


def _common(session: Session, actor: Actor, locale: str) -> dict[str, Any]:
    counties = list(session.scalars(select(County).order_by(County.code)))
    mine = [c for c in counties if actor.covers_county(c.code)]
    codes = {c.code for c in mine}
    townships = list(
        session.scalars(
            select(Township)
            .where(Township.county_code.in_(codes))
            .order_by(Township.county_code, Township.name)
        )
    )
    names = {c.code: county_name(c.code, c.name, c.name_en, locale) for c in counties}
    return {
        "actor": actor,
        "counties": counties,
        "county_names": names,
        "entry_counties": mine,
        "county_options": [(c.code, names[c.code]) for c in mine],
        "township_options": [
            (t.id, f"{names[t.county_code]} · {township_name(t.county_code, t.name, locale)}")
            for t in townships
        ],
        "township_names": _township_names(session, locale),
        "may_decide": policy.may_decide_people(actor),
        "years": ledger_review.plan_years(session),
    }


def _talent_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """People a county officer may pick: those from the county first, then everyone, by
    name (the picker shows names, never ids)."""
    stmt = select(Talent.id, Talent.name, Talent.home_county_code).where(Talent.active.is_(True))
    rows = session.execute(stmt.order_by(Talent.name).limit(2000)).all()
    home = actor.jurisdiction
    rows = sorted(rows, key=lambda r: (r[2] != home, r[1]))
    return [(tid, name) for tid, name, _ in rows]


def _form_values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = present(form, names)
    for flag in _FLAGS:
        values[flag] = text(form, flag) == "on"
    values["licences"] = [v for v in form.getlist("licences") if isinstance(v, str) and v]
    return values


def _errors_of(exc: ValidationError | AppError, locale: str) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return field_messages(exc, locale)
    return app_error_messages(exc, locale)


# ------------------------------------------------------------------ recruitments
def _filters(q: Any) -> dict[str, Any]:
    year, chosen = q.get("year", ""), q.get("status", "")
    return {
        "county": q.get("county") or None,
        "year": int(year) if year.isdigit() else None,
        "status": LedgerStatus(chosen) if chosen in _STATUSES else None,
    }


def _recruitments_page(
    request: Request,
    session: Session,
    actor: Actor,
    settings: Any,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    policy.require_people_officer(actor)
    q = request.query_params
    year, chosen_status = q.get("year", ""), q.get("status", "")
    page = recruitments.list_(session=session, actor=actor, limit=200, **_filters(q))
    locale = request_locale(request)
    alt = settings.people_high_altitude_m
    return render(
        request,
        "people_recruitments.html",
        {
            **_common(session, actor, request_locale(request)),
            "rows": [
                (r, views.recruitment_read(session, r, locale, high_altitude_m=alt))
                for r in page.items
            ],
            "total": page.total,
            "f": {"county": q.get("county", ""), "year": year, "status": chosen_status},
            "statuses": [s.value for s in LedgerStatus],
            "routes": [r.value for r in RecruitmentRoute],
            "post_kinds": [k.value for k in PostKind],
            "assessments": [a.value for a in TermAssessment],
            "talents": _talent_options(session, actor),
            "values": values or {"post_grade": "10", "degree_level": "3"},
            "errors": errors or {},
            "done": q.get("done", ""),
        },
        status=status,
    )


@router.get("/recruitments", response_class=HTMLResponse, response_model=None)
def recruitments_list(
    request: Request, session: SessionDep, settings: SettingsDep, actor: PageActorDep
) -> Response:
    return _recruitments_page(request, session, actor, settings)


@router.post("/recruitments", response_model=None)
def recruitments_create(
    request: Request, session: SessionDep, settings: SettingsDep, form: FormDep, actor: PageActorDep
) -> Response:
    values = _form_values(form, _RECRUIT_FIELDS)
    try:
        body = RecruitmentCreate.model_validate(values)
        row = recruitments.create(session=session, actor=actor, body=body)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status not in (404, 422):
            raise
        errors = _errors_of(exc, request_locale(request))
        status = exc.status if isinstance(exc, AppError) else 422
        return _recruitments_page(
            request, session, actor, settings, values=values, errors=errors, status=status
        )
    return see_other(f"/recruitments/{row.id}?done=saved")


@router.get("/recruitments/{recruitment_id}", response_class=HTMLResponse, response_model=None)
def recruitment_detail(
    request: Request,
    recruitment_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    actor: PageActorDep,
) -> Response:
    row = recruitments.get(session=session, actor=actor, recruitment_id=recruitment_id)
    return _detail_page(request, session, settings, actor, row)


def _detail_page(
    request: Request,
    session: Session,
    settings: Any,
    actor: Actor,
    row: Recruitment,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    locale = request_locale(request)
    read = views.recruitment_read(
        session, row, locale, high_altitude_m=settings.people_high_altitude_m
    )
    uses = [
        m
        for m in session.scalars(
            select(staffing.StaffingMovement).where(
                staffing.StaffingMovement.recruitment_id == row.id
            )
        )
    ]
    return render(
        request,
        "people_recruitment.html",
        {
            **_common(session, actor, request_locale(request)),
            "row": row,
            "r": read,
            "movements": uses,
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
        },
        status=status,
    )


@router.post("/recruitments/{recruitment_id}/approve", response_model=None)
def recruitments_approve(
    recruitment_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    recruitments.approve(session=session, actor=actor, recruitment_id=recruitment_id)
    return see_other(f"/recruitments/{recruitment_id}?done=decided")


@router.post("/recruitments/{recruitment_id}/return", response_model=None)
def recruitments_return(
    request: Request,
    recruitment_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    reason = text(form, "reason")
    if not reason:
        row = recruitments.get(session=session, actor=actor, recruitment_id=recruitment_id)
        errors = {"reason": _required(request)}
        return _detail_page(request, session, settings, actor, row, errors=errors, status=422)
    recruitments.return_(session=session, actor=actor, recruitment_id=recruitment_id, reason=reason)
    return see_other(f"/recruitments/{recruitment_id}?done=decided")


@router.post("/recruitments/{recruitment_id}/leave", response_model=None)
def recruitments_leave(
    request: Request,
    recruitment_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    values = present(form, ("ended_on", "reason"))
    try:
        body = RecruitmentLeave.model_validate(values)
        staffing.leave(session=session, actor=actor, recruitment_id=recruitment_id, body=body)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status != 422:
            raise
        row = recruitments.get(session=session, actor=actor, recruitment_id=recruitment_id)
        errors = _errors_of(exc, request_locale(request))
        return _detail_page(request, session, settings, actor, row, errors=errors, status=422)
    return see_other(f"/recruitments/{recruitment_id}?done=left")


def _required(request: Request) -> str:
    from service.i18n import translate

    return translate("form.err.required", request_locale(request))


# ---------------------------------------------------------------------- pools
def _pools_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    pools = staffing.list_pools(session=session, actor=actor)
    return render(
        request,
        "people_pools.html",
        {
            **_common(session, actor, request_locale(request)),
            "pools": pools,
            "sectors": [s.value for s in PoolSector],
            "prefecture_ok": policy.can_reach_pool(actor, None),
            "values": values or {},
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
        },
        status=status,
    )


@router.get("/staffing", response_class=HTMLResponse, response_model=None)
def pools_list(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    return _pools_page(request, session, actor)


@router.post("/staffing", response_model=None)
def pools_create(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    values = present(form, ("county_code", "sector", "name"))
    try:
        body = PoolCreate.model_validate(values)
        pool = staffing.create_pool(session=session, actor=actor, body=body)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status not in (404, 422):
            raise
        errors = _errors_of(exc, request_locale(request))
        return _pools_page(request, session, actor, values=values, errors=errors, status=422)
    return see_other(f"/staffing/{pool.id}?done=saved")


def _pool_page(
    request: Request,
    session: Session,
    actor: Actor,
    pool_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    pool, rows, total = staffing.movements(session=session, actor=actor, pool_id=pool_id)
    pools = staffing.list_pools(session=session, actor=actor)
    siblings = [v for v in pools if _sibling(v.pool, pool)]
    returned = {m.returns_movement_id for m in rows if m.returns_movement_id}
    open_uses = [m for m in rows if m.kind == MovementKind.USE.value and m.id not in returned]
    recs, named = _pool_recruitments(session, pool)
    return render(
        request,
        "people_pool.html",
        {
            **_common(session, actor, request_locale(request)),
            "pool": pool,
            "in_use": pool.approved_total - pool.available - pool.reserved,
            "rows": rows,
            "total": total,
            "kinds": [k.value for k in MovementKind if k is not MovementKind.TRANSFER_IN],
            "label_of": lambda kind: staffing.movement_label_key(kind, pool.sector),
            "siblings": siblings,
            "open_uses": open_uses,
            "recruitment_options": [
                (r.id, f"{named.get(r.talent_id, '')} · {r.unit} · {r.post}") for r in recs
            ],
            "recruitment_names": {r.id: f"{named.get(r.talent_id, '')} · {r.post}" for r in recs},
            "pool_names": {v.pool.id: v.pool.name for v in pools},
            "values": values or {},
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
        },
        status=status,
    )


def _sibling(other: Any, pool: Any) -> bool:
    """Another pool of the same county: where a transfer may go."""
    return bool(pool.county_code) and other.county_code == pool.county_code and other.id != pool.id


def _pool_recruitments(session: Session, pool: Any) -> tuple[list[Recruitment], dict[int, str]]:
    """The recruitments a use of ``pool`` may name: the county's, or, for the prefecture's
    pool, the high-level ones."""
    where = (
        Recruitment.county_code == pool.county_code
        if pool.county_code
        else Recruitment.high_level.is_(True)
    )
    recs = list(session.scalars(select(Recruitment).where(where).order_by(Recruitment.id)))
    return recs, recruitments.talents_named(session, {r.talent_id for r in recs})


@router.get("/staffing/{pool_id}", response_class=HTMLResponse, response_model=None)
def pool_detail(
    request: Request, pool_id: PathId, session: SessionDep, actor: PageActorDep
) -> Response:
    return _pool_page(request, session, actor, pool_id)


@router.post("/staffing/{pool_id}/movements", response_model=None)
def pool_move(
    request: Request, pool_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    values = present(
        form,
        (
            "kind",
            "quantity",
            "on_date",
            "recruitment_id",
            "returns_movement_id",
            "counterpart_pool_id",
            "reason",
        ),
    )
    try:
        body = MovementCreate.model_validate(values)
        staffing.move(session=session, actor=actor, pool_id=pool_id, body=body)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status not in (409, 422):
            raise
        errors = _errors_of(exc, request_locale(request))
        status = exc.status if isinstance(exc, AppError) else 422
        return _pool_page(
            request, session, actor, pool_id, values=values, errors=errors, status=status
        )
    return see_other(f"/staffing/{pool_id}?done=saved")


# ------------------------------------------------------------------- rotations
def _rotations_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    unit = request.query_params.get("unit", "")
    page = rotations.list_(session=session, actor=actor, unit=unit or None, limit=200)
    locale = request_locale(request)
    return render(
        request,
        "people_rotations.html",
        {
            **_common(session, actor, request_locale(request)),
            "rows": [views.rotation_read(session, r, locale) for r in page.items],
            "total": page.total,
            "unit": unit,
            "units": rotations.units(session=session, actor=actor),
            "kinds": [k.value for k in RotationKind],
            "talents": _talent_options(session, actor),
            "values": values or {},
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
        },
        status=status,
    )


@router.get("/rotations", response_class=HTMLResponse, response_model=None)
def rotations_list(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    return _rotations_page(request, session, actor)


@router.post("/rotations", response_model=None)
def rotations_create(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    values = present(form, _ROTATION_FIELDS)
    try:
        body = RotationCreate.model_validate(values)
        rotations.create(session=session, actor=actor, body=body)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status not in (404, 422):
            raise
        errors = _errors_of(exc, request_locale(request))
        status = exc.status if isinstance(exc, AppError) else 422
        return _rotations_page(request, session, actor, values=values, errors=errors, status=status)
    return see_other("/rotations?done=saved")


# ------------------------------------------------------------ service ledger
@router.get("/service-ledger", response_class=HTMLResponse, response_model=None)
def ledger_index(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    """A talent goes to their own ledger; an officer sees the people with a recruitment
    or a rotation in reach."""
    if actor.role is Role.TALENT and actor.talent_id:
        return see_other(f"/people/{actor.talent_id}/ledger")
    policy.require_people_officer(actor)
    recs = recruitments.list_(session=session, actor=actor, limit=200).items
    rots = rotations.list_(session=session, actor=actor, limit=200).items
    ids = {r.talent_id for r in recs} | {r.talent_id for r in rots}
    named = recruitments.talents_named(session, ids)
    people = sorted(named.items(), key=lambda p: p[1])
    return render(request, "people_ledger_index.html", {"actor": actor, "people": people})


def _ledger_page(
    request: Request,
    session: Session,
    settings: Any,
    actor: Actor,
    talent_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    ledger = service_ledger.for_person(
        session=session, actor=actor, talent_id=talent_id, as_of=today(settings.today)
    )
    locale = request_locale(request)
    facts = service_ledger.CareerFacts
    found = session.get(facts, talent_id)
    return render(
        request,
        "people_ledger.html",
        {
            "actor": actor,
            "ledger": ledger,
            "read": views.ledger_read(session, ledger, locale),
            "may_review": policy.may_review_period(actor, ledger.counties),
            "decisions": [d.value for d in PeriodDecision],
            "series": [s.value for s in ProfessionSeries],
            "facts": found,
            "rotations": ledger.rotations,
            "township_names": _township_names(session, locale),
            "values": values or {},
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
        },
        status=status,
    )


@router.get("/people/{talent_id}/ledger", response_class=HTMLResponse, response_model=None)
def ledger_page(
    request: Request,
    talent_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    actor: PageActorDep,
) -> Response:
    return _ledger_page(request, session, settings, actor, talent_id)


@router.post("/people/{talent_id}/ledger/review", response_model=None)
def ledger_review_period(
    request: Request,
    talent_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    values = present(form, ("source", "decision", "starts_on", "ends_on", "reason"))
    try:
        body = PeriodReviewBody.model_validate(values)
        service_ledger.review_period(
            session=session,
            actor=actor,
            talent_id=talent_id,
            body=body,
            as_of=today(settings.today),
        )
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status not in (403, 422):
            raise
        errors = _errors_of(exc, request_locale(request))
        return _ledger_page(
            request, session, settings, actor, talent_id, values=values, errors=errors, status=422
        )
    return see_other(f"/people/{talent_id}/ledger?done=saved")


@router.post("/people/{talent_id}/ledger/facts", response_model=None)
def ledger_facts(
    request: Request,
    talent_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    values: dict[str, Any] = present(form, ("series", "graduated_on", "intermediate_since"))
    values["regular_graduate"] = text(form, "regular_graduate") == "on"
    try:
        body = CareerFactsBody.model_validate(values)
        service_ledger.set_career_facts(
            session=session,
            actor=actor,
            talent_id=talent_id,
            body=body,
            as_of=today(settings.today),
        )
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status not in (403, 422):
            raise
        errors = _errors_of(exc, request_locale(request))
        return _ledger_page(
            request, session, settings, actor, talent_id, values=values, errors=errors, status=422
        )
    return see_other(f"/people/{talent_id}/ledger?done=saved")
