"""县管乡用 / 县管校聘 rotations (措施9): a person employed by a county unit, serving at
a township unit or school of the same county for a term. A county coordinator enters
their county's; each rotation shows on the employing unit, on the host unit and on the
person's grassroots-service ledger."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models import Rotation, Talent
from models.schemas.page import Page
from models.schemas.people import RotationCreate
from service import audit, policy
from service.actor import Actor
from service.errors import AppError
from service.usecases import ledger_review as review

_AUDIT_FIELDS = (
    "talent_id",
    "kind",
    "county_code",
    "employer_unit",
    "host_unit",
    "host_township_id",
    "starts_on",
    "ends_on",
)


def create(*, session: Session, actor: Actor, body: RotationCreate) -> Rotation:
    """Enter a rotation; commits once. 422 naming the field (end before start, a township
    of another county, an unknown person) or 404 for a county out of reach; nothing is
    written then."""
    review.check_county(session, actor, body.county_code)
    if body.ends_on < body.starts_on:
        raise review.invalid(
            "ends_on",
            f"must not be before starts_on {body.starts_on.isoformat()}",
            body.ends_on.isoformat(),
            f"结束日期（{body.ends_on.isoformat()}）不能早于开始日期（{body.starts_on.isoformat()}）",
        )
    review.check_township(session, body.county_code, body.host_township_id)
    if session.get(Talent, body.talent_id) is None:
        raise review.invalid("talent_id", "no such person", body.talent_id, "人员不存在")
    if body.employer_unit.strip() == body.host_unit.strip():
        raise review.invalid(
            "host_unit",
            "the host unit must differ from the employing county unit",
            body.host_unit,
            "服务单位应不同于派出的县级单位",
        )
    row = Rotation(
        **body.model_dump(exclude={"kind", "employer_unit", "host_unit"}),
        kind=body.kind.value,
        employer_unit=body.employer_unit.strip(),
        host_unit=body.host_unit.strip(),
        entered_by=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="rotation",
        entity_id=row.id,
        after=audit.snapshot(row, _AUDIT_FIELDS),
    )
    session.commit()
    return row


def get(*, session: Session, actor: Actor, rotation_id: int) -> Rotation:
    policy.require_people_officer(actor)
    row = session.get(Rotation, rotation_id)
    if row is None or not actor.covers_county(row.county_code):
        raise AppError(404, "not_found", "rotation not found", "未找到该轮岗记录")
    return row


def list_(
    *,
    session: Session,
    actor: Actor,
    county: str | None = None,
    unit: str | None = None,
    talent_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[Rotation]:
    """Rotations in reach; ``unit`` finds those a unit sends or hosts (both sides)."""
    stmt = policy.visible_ledger(actor, select(Rotation), Rotation.county_code)
    if county:
        stmt = stmt.where(Rotation.county_code == county)
    if unit:
        stmt = stmt.where(or_(Rotation.employer_unit == unit, Rotation.host_unit == unit))
    if talent_id is not None:
        stmt = stmt.where(Rotation.talent_id == talent_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Rotation.starts_on.desc(), Rotation.id.desc()).offset(offset).limit(limit)
    ).all()
    return Page(items=list(rows), total=total, offset=offset, limit=limit)


def units(*, session: Session, actor: Actor) -> list[str]:
    """Every unit that sends or hosts a rotation in reach, for the by-unit view."""
    stmt: Any = select(Rotation.employer_unit, Rotation.host_unit)
    rows = session.execute(policy.visible_ledger(actor, stmt, Rotation.county_code)).all()
    return sorted({u for pair in rows for u in pair})
