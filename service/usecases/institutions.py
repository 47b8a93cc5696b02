"""Institutions and their one-to-one assistance pairings (一对一帮扶, 对口帮扶)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import County, Institution, Pairing, Site
from models.schemas.institution import (
    InstitutionCreate,
    InstitutionRead,
    PairingCreate,
    PairingRead,
)
from models.schemas.page import Page
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError, not_found
from service.usecases import external_ids


def list_(
    *, session: Session, institution_type: str | None = None, offset: int = 0, limit: int = 50
) -> Page[InstitutionRead]:
    stmt = select(Institution)
    if institution_type:
        stmt = stmt.where(Institution.institution_type == institution_type)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Institution.id).offset(offset).limit(limit))
    return Page(
        items=[InstitutionRead.model_validate(r) for r in rows],
        total=total,
        offset=offset,
        limit=limit,
    )


def get_or_raise(*, session: Session, institution_id: int) -> Institution:
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise not_found("institution")
    return institution


def _known_county(session: Session, code: str) -> bool:
    return bool(code.strip()) and session.get(County, code) is not None


def create(*, session: Session, actor: Actor, data: InstitutionCreate) -> Institution:
    policy.require_admin(actor)
    # "" is a value, not "none given": it would reach the foreign key and fail there.
    if data.county_code is not None and not _known_county(session, data.county_code):
        raise AppError(
            422,
            "validation_error",
            f"unknown county {data.county_code!r}",
            "县市不存在",
            [FieldError("county_code", "unknown county", data.county_code)],
        )
    external_ids.ensure_free(session, Institution, data.external_id, "institution")
    institution = Institution(
        external_id=data.external_id or f"inst-{uuid.uuid4().hex[:12]}",
        **data.model_dump(exclude={"external_id"}),
    )
    session.add(institution)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="institution",
        entity_id=institution.id,
        after={"name": institution.name},
    )
    session.commit()
    return institution


def list_pairings(
    *,
    session: Session,
    actor: Actor,
    institution_id: int | None = None,
    county: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[PairingRead]:
    policy.require_coordinator(actor)
    stmt = policy.visible_pairings(
        actor, select(Pairing).outerjoin(Site, Pairing.site_id == Site.id)
    )
    if institution_id:
        stmt = stmt.where(Pairing.institution_id == institution_id)
    if county:
        stmt = stmt.where((Site.county_code == county) | (Pairing.county_code == county))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Pairing.id).offset(offset).limit(limit))
    return Page(
        items=[PairingRead.model_validate(r) for r in rows], total=total, offset=offset, limit=limit
    )


def create_pairing(*, session: Session, actor: Actor, data: PairingCreate) -> Pairing:
    policy.require_coordinator(actor)
    problems = []
    if session.get(Institution, data.institution_id) is None:
        problems.append(FieldError("institution_id", "unknown institution", data.institution_id))
    if (data.site_id is None) == (data.county_code is None):
        problems.append(FieldError("site_id", "give exactly one of site_id and county_code"))
    site = session.get(Site, data.site_id) if data.site_id else None
    if data.site_id and site is None:
        problems.append(FieldError("site_id", "unknown site", data.site_id))
    if data.county_code is not None and not _known_county(session, data.county_code):
        problems.append(FieldError("county_code", "unknown county", data.county_code))
    if data.end_date and data.end_date < data.start_date:
        problems.append(FieldError("end_date", "is before start_date", str(data.end_date)))
    if problems:
        raise AppError(
            422, "validation_error", "Some fields are invalid", "部分字段填写有误", problems
        )
    county = site.county_code if site else data.county_code
    if not actor.covers_county(county):
        raise AppError(403, "forbidden", "outside your jurisdiction", "超出您的管辖范围")
    pairing = Pairing(**{**data.model_dump(), "kind": data.kind.value})
    session.add(pairing)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="pairing",
        entity_id=pairing.id,
        after=data.model_dump(mode="json"),
    )
    session.commit()
    return pairing
