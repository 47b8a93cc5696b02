"""Registers (工作站, 星创天地, 经营主体, 引才基地, 实训基地): list, enter, approve, return."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from models import RegisterEntry
from models.ledger import REGISTER_KINDS, LedgerStatus, RegisterKind
from models.schemas.ledger import (
    RegisterCreate,
    RegisterKindRead,
    RegisterRead,
    RegisterTotalRead,
    ReturnBody,
)
from models.schemas.page import Page
from service import policy
from service.actor import Actor
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.i18n import translate
from service.usecases import ledger_totals, registers
from service.usecases.progress import check_county

router = APIRouter(tags=["registers"])


def register_read(row: RegisterEntry, locale: str) -> RegisterRead:
    out = RegisterRead.model_validate(row)
    out.kind_label = translate(f"ledger.kind.{row.kind}", locale)
    out.status_label = translate(f"ledger.status.{row.status}", locale)
    out.target = REGISTER_KINDS[RegisterKind(row.kind)].target
    return out


@router.get("/registers/kinds", response_model=list[RegisterKindRead])
def list_kinds(actor: ActorDep) -> list[RegisterKindRead]:
    policy.require_ledger_reader(actor)
    return [
        RegisterKindRead(
            kind=info.kind,
            label_zh=translate(f"ledger.kind.{info.kind}", "zh-CN"),
            label_en=translate(f"ledger.kind.{info.kind}", "en"),
            target=info.target,
            lead_units=list(info.lead_units),
        )
        for info in registers.kinds()
    ]


@router.get("/registers", response_model=Page[RegisterRead])
def list_registers(
    actor: ActorDep,
    session: SessionDep,
    kind: RegisterKind | None = None,
    county: Annotated[str | None, Query(max_length=12)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: LedgerStatus | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[RegisterRead]:
    page = registers.list_(
        session=session,
        actor=actor,
        kind=kind,
        county=county,
        year=year,
        status=status,
        offset=offset,
        limit=limit,
    )
    return _page(page, actor)


def _page(page: Page[RegisterEntry], actor: Actor) -> Page[RegisterRead]:
    return Page(
        items=[register_read(r, actor.locale) for r in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("/registers", response_model=RegisterRead, status_code=201)
def create_register(body: RegisterCreate, actor: ActorDep, session: SessionDep) -> RegisterRead:
    return register_read(registers.create(session=session, actor=actor, body=body), actor.locale)


@router.get("/registers/{register_id}", response_model=RegisterRead)
def get_register(register_id: PathId, actor: ActorDep, session: SessionDep) -> RegisterRead:
    row = registers.get(session=session, actor=actor, register_id=register_id)
    return register_read(row, actor.locale)


@router.post("/registers/{register_id}/approve", response_model=RegisterRead)
def approve_register(register_id: PathId, actor: ActorDep, session: SessionDep) -> RegisterRead:
    row = registers.approve(session=session, actor=actor, register_id=register_id)
    return register_read(row, actor.locale)


@router.post("/registers/{register_id}/return", response_model=RegisterRead)
def return_register(
    register_id: PathId, body: ReturnBody, actor: ActorDep, session: SessionDep
) -> RegisterRead:
    row = registers.return_(
        session=session, actor=actor, register_id=register_id, reason=body.reason
    )
    return register_read(row, actor.locale)


@router.get("/ledger-totals", response_model=dict[str, RegisterTotalRead])
def ledger_totals_(
    actor: ActorDep,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county: Annotated[str | None, Query(max_length=12)] = None,
) -> dict[str, RegisterTotalRead]:
    """What approved registers and trainings add to each target, by target code, with
    the ids behind each figure; a county coordinator reads their own county only."""
    policy.require_ledger_reader(actor)
    scope = policy.progress_county(actor, county)
    check_county(session, scope)
    totals = ledger_totals.register_totals(session, year=year, county=scope)
    return {key: RegisterTotalRead(**asdict(total)) for key, total in totals.items()}
