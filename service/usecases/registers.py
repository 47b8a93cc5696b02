"""Registers: the plan's lines that count things, not people — 院士专家工作站/专家基层科研
工作站, 星创天地, 新型农业经营主体/农业创业企业, 柔性引才基地/“候鸟型”人才工作站 and
养老服务实训基地 (registered, no figure). A county coordinator enters a row for their
county; the prefecture coordinator or an admin approves it (then it counts 1 toward its
kind's target for its county and the year of its founded date) or returns it with a
reason (it never counts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import RegisterEntry
from models.ledger import REGISTER_KINDS, LedgerStatus, RegisterKind
from models.schemas.ledger import RegisterCreate
from models.schemas.page import Page
from reference import load_programmes
from service import audit, policy
from service.actor import Actor
from service.usecases import ledger_review as review

_AUDIT_FIELDS = (
    "kind",
    "name",
    "county_code",
    "township_id",
    "founded_on",
    "lead_unit",
    "status",
)


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: RegisterKind
    target: str | None
    lead_units: tuple[str, ...]


def kinds() -> list[KindInfo]:
    """Every register kind with its target code and the lead units of its plan line."""
    plan = load_programmes()
    return [
        KindInfo(kind, line.target, plan.measure(line.measure).lead_units)
        for kind, line in REGISTER_KINDS.items()
    ]


def kind_info(kind: RegisterKind) -> KindInfo:
    line = REGISTER_KINDS[kind]
    return KindInfo(kind, line.target, load_programmes().measure(line.measure).lead_units)


def create(*, session: Session, actor: Actor, body: RegisterCreate) -> RegisterEntry:
    """Enter a register row (status submitted); commits. Nothing is written when a field
    is wrong: 422 naming it, or 404 for a county outside the jurisdiction."""
    review.check_county(session, actor, body.county_code)
    review.check_township(session, body.county_code, body.township_id)
    review.check_plan_year(session, "founded_on", body.founded_on)
    info = kind_info(body.kind)
    review.check_choice("lead_unit", body.lead_unit, info.lead_units)
    row = RegisterEntry(
        kind=body.kind.value,
        name=body.name.strip(),
        county_code=body.county_code,
        township_id=body.township_id,
        founded_on=body.founded_on,
        lead_unit=body.lead_unit,
        note=body.note,
        status=LedgerStatus.SUBMITTED.value,
        entered_by=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="register_entry",
        entity_id=row.id,
        after=audit.snapshot(row, _AUDIT_FIELDS),
    )
    session.commit()
    return row


def get(*, session: Session, actor: Actor, register_id: int) -> RegisterEntry:
    row: RegisterEntry = review.load_visible(session, actor, RegisterEntry, register_id)
    return row


def approve(*, session: Session, actor: Actor, register_id: int) -> RegisterEntry:
    row: RegisterEntry = review.decide(session, actor, RegisterEntry, register_id, approve=True)
    return row


def return_(*, session: Session, actor: Actor, register_id: int, reason: str) -> RegisterEntry:
    row: RegisterEntry = review.decide(
        session, actor, RegisterEntry, register_id, approve=False, reason=reason.strip()
    )
    return row


def year_clause(column: Any, year: int) -> Any:
    """Dates within ``year`` (portable: no EXTRACT, so an index on the date serves)."""
    return column.between(date(year, 1, 1), date(year, 12, 31))


def list_(
    *,
    session: Session,
    actor: Actor,
    kind: RegisterKind | None = None,
    county: str | None = None,
    year: int | None = None,
    status: LedgerStatus | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[RegisterEntry]:
    stmt = policy.visible_ledger(actor, select(RegisterEntry), RegisterEntry.county_code)
    if kind is not None:
        stmt = stmt.where(RegisterEntry.kind == kind.value)
    if county:
        stmt = stmt.where(RegisterEntry.county_code == county)
    if year is not None:
        stmt = stmt.where(year_clause(RegisterEntry.founded_on, year))
    if status is not None:
        stmt = stmt.where(RegisterEntry.status == status.value)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(RegisterEntry.id.desc()).offset(offset).limit(limit)).all()
    return Page(items=list(rows), total=total, offset=offset, limit=limit)
