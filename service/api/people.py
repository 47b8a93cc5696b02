"""Recruitments (措施7), 编制 pools and movements (措施9), rotations (县管乡用/县管校聘) and
each person's grassroots-service ledger for 职称 (措施10)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from models.ledger import LedgerStatus
from models.people import RecruitmentRoute
from models.schemas.ledger import ReturnBody
from models.schemas.page import Page
from models.schemas.people import (
    CareerFactsBody,
    MovementCreate,
    MovementRead,
    PeriodReviewBody,
    PoolCreate,
    PoolRead,
    RecruitmentCreate,
    RecruitmentLeave,
    RecruitmentRead,
    RotationCreate,
    RotationRead,
    ServiceLedgerRead,
)
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep, SettingsDep
from service.usecases import (
    certificates,
    recruitments,
    rotations,
    service_ledger,
    staffing,
)
from service.usecases import people_views as views
from service.usecases.expiry import today

router = APIRouter(tags=["people"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------ recruitments
@router.get("/recruitments", response_model=Page[RecruitmentRead])
def list_recruitments(
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
    county: Annotated[str | None, Query(max_length=12)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    route: RecruitmentRoute | None = None,
    status: LedgerStatus | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[RecruitmentRead]:
    page = recruitments.list_(
        session=session,
        actor=actor,
        county=county,
        year=year,
        route=route,
        status=status,
        offset=offset,
        limit=limit,
    )
    alt = settings.people_high_altitude_m
    return Page(
        items=[
            views.recruitment_read(session, r, actor.locale, high_altitude_m=alt)
            for r in page.items
        ],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("/recruitments", response_model=RecruitmentRead, status_code=201)
def create_recruitment(
    body: RecruitmentCreate, actor: ActorDep, session: SessionDep, settings: SettingsDep
) -> RecruitmentRead:
    """Enter a recruitment for your county (submitted). The route's conditions are
    checked (特设岗位: a township unit, 硕士以上 or 高层次; 紧缺人才方式: one of 措施7's
    six conditions); a refusal names every reason."""
    row = recruitments.create(session=session, actor=actor, body=body)
    return views.recruitment_read(
        session, row, actor.locale, high_altitude_m=settings.people_high_altitude_m
    )


@router.get("/recruitments/{recruitment_id}", response_model=RecruitmentRead)
def get_recruitment(
    recruitment_id: PathId, actor: ActorDep, session: SessionDep, settings: SettingsDep
) -> RecruitmentRead:
    """A recruitment with the subsidies that apply and the rule behind each."""
    row = recruitments.get(session=session, actor=actor, recruitment_id=recruitment_id)
    return views.recruitment_read(
        session, row, actor.locale, high_altitude_m=settings.people_high_altitude_m
    )


@router.post("/recruitments/{recruitment_id}/approve", response_model=RecruitmentRead)
def approve_recruitment(
    recruitment_id: PathId, actor: ActorDep, session: SessionDep, settings: SettingsDep
) -> RecruitmentRead:
    row = recruitments.approve(session=session, actor=actor, recruitment_id=recruitment_id)
    return views.recruitment_read(
        session, row, actor.locale, high_altitude_m=settings.people_high_altitude_m
    )


@router.post("/recruitments/{recruitment_id}/return", response_model=RecruitmentRead)
def return_recruitment(
    recruitment_id: PathId,
    body: ReturnBody,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> RecruitmentRead:
    row = recruitments.return_(
        session=session, actor=actor, recruitment_id=recruitment_id, reason=body.reason
    )
    return views.recruitment_read(
        session, row, actor.locale, high_altitude_m=settings.people_high_altitude_m
    )


@router.post("/recruitments/{recruitment_id}/leave", response_model=list[MovementRead])
def leave_recruitment(
    recruitment_id: PathId, body: RecruitmentLeave, actor: ActorDep, session: SessionDep
) -> list[MovementRead]:
    """The person left: the recruitment ends and its posts return to their pools
    (人走编收). Returns the return movements written."""
    rows = staffing.leave(session=session, actor=actor, recruitment_id=recruitment_id, body=body)
    return [views.movement_read(r, "", actor.locale) for r in rows]


# ---------------------------------------------------------------------- pools
@router.get("/staffing-pools", response_model=list[PoolRead])
def list_pools(
    actor: ActorDep,
    session: SessionDep,
    county: Annotated[str | None, Query(max_length=12)] = None,
) -> list[PoolRead]:
    pools = staffing.list_pools(session=session, actor=actor, county=county)
    return [views.pool_read(v.pool, actor.locale) for v in pools]


@router.post("/staffing-pools", response_model=PoolRead, status_code=201)
def create_pool(body: PoolCreate, actor: ActorDep, session: SessionDep) -> PoolRead:
    return views.pool_read(
        staffing.create_pool(session=session, actor=actor, body=body), actor.locale
    )


@router.get("/staffing-pools/{pool_id}/movements", response_model=Page[MovementRead])
def list_movements(
    pool_id: PathId,
    actor: ActorDep,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> Page[MovementRead]:
    """The pool's ledger, newest first, each with the figures right after it."""
    pool, rows, total = staffing.movements(
        session=session, actor=actor, pool_id=pool_id, offset=offset, limit=limit
    )
    return Page(
        items=[views.movement_read(r, pool.sector, actor.locale) for r in rows],
        total=total,
        offset=offset,
        limit=limit,
    )


@router.post("/staffing-pools/{pool_id}/movements", response_model=MovementRead, status_code=201)
def create_movement(
    pool_id: PathId, body: MovementCreate, actor: ActorDep, session: SessionDep
) -> MovementRead:
    """核准 (approve), 使用 (use), 人走编收 (return, naming the use), 预留周转 (reserve),
    release, 调剂 (transfer_out to another pool of the same county). A use beyond the
    pool's available posts is 409 and writes nothing."""
    pool = staffing.load_pool(session, actor, pool_id)
    row = staffing.move(session=session, actor=actor, pool_id=pool_id, body=body)
    return views.movement_read(row, pool.sector, actor.locale)


# ------------------------------------------------------------------- rotations
@router.get("/rotations", response_model=Page[RotationRead])
def list_rotations(
    actor: ActorDep,
    session: SessionDep,
    county: Annotated[str | None, Query(max_length=12)] = None,
    unit: Annotated[str | None, Query(max_length=120)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[RotationRead]:
    """Rotations in reach; ``unit`` shows those a unit sends or hosts."""
    page = rotations.list_(
        session=session, actor=actor, county=county, unit=unit, offset=offset, limit=limit
    )
    return Page(
        items=[views.rotation_read(session, r, actor.locale) for r in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("/rotations", response_model=RotationRead, status_code=201)
def create_rotation(body: RotationCreate, actor: ActorDep, session: SessionDep) -> RotationRead:
    row = rotations.create(session=session, actor=actor, body=body)
    return views.rotation_read(session, row, actor.locale)


# ------------------------------------------------------------ service ledger
@router.get("/people/{talent_id}/service-ledger", response_model=ServiceLedgerRead)
def get_service_ledger(
    talent_id: PathId, actor: ActorDep, session: SessionDep, settings: SettingsDep
) -> ServiceLedgerRead:
    """The person's grassroots-service periods and which 职称 rules of 措施10 (and the
    服务期满 priority of 措施4) are met, with dates and reasons."""
    ledger = service_ledger.for_person(
        session=session, actor=actor, talent_id=talent_id, as_of=today(settings.today)
    )
    return views.ledger_read(session, ledger, actor.locale)


@router.put("/people/{talent_id}/career-facts", response_model=ServiceLedgerRead)
def put_career_facts(
    talent_id: PathId,
    body: CareerFactsBody,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> ServiceLedgerRead:
    day = today(settings.today)
    service_ledger.set_career_facts(
        session=session, actor=actor, talent_id=talent_id, body=body, as_of=day
    )
    ledger = service_ledger.for_person(session=session, actor=actor, talent_id=talent_id, as_of=day)
    return views.ledger_read(session, ledger, actor.locale)


@router.post("/people/{talent_id}/service-ledger/reviews", response_model=ServiceLedgerRead)
def review_period(
    talent_id: PathId,
    body: PeriodReviewBody,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> ServiceLedgerRead:
    """Confirm, correct (new dates) or exclude one period, with a reason (audited)."""
    day = today(settings.today)
    service_ledger.review_period(
        session=session, actor=actor, talent_id=talent_id, body=body, as_of=day
    )
    ledger = service_ledger.for_person(session=session, actor=actor, talent_id=talent_id, as_of=day)
    return views.ledger_read(session, ledger, actor.locale)


@router.get(
    "/people/{talent_id}/service-ledger.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def service_ledger_xlsx(
    talent_id: PathId, actor: ActorDep, session: SessionDep, settings: SettingsDep
) -> Response:
    ledger = service_ledger.for_person(
        session=session, actor=actor, talent_id=talent_id, as_of=today(settings.today)
    )
    return Response(
        service_ledger.xlsx(ledger, actor.locale),
        media_type=XLSX,
        headers={"content-disposition": f'attachment; filename="service-ledger-{talent_id}.xlsx"'},
    )


@router.get(
    "/people/{talent_id}/service-certificate.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def service_certificate(
    talent_id: PathId, actor: ActorDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """A printable certificate of grassroots service (Chinese, fonts embedded)."""
    ledger = service_ledger.for_person(
        session=session, actor=actor, talent_id=talent_id, as_of=today(settings.today)
    )
    return Response(
        certificates.pdf(ledger, settings.cjk_font),
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="service-certificate-{talent_id}.pdf"'},
    )
