"""Talent profiles: reading (each role sees what it needs) and editing one's own."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import AvailabilityWindow, Match, Need, Talent
from models.enums import Role
from models.schemas.page import Page
from models.schemas.talent import TalentCreate, TalentRead, TalentUpdate
from service import audit, policy
from service.actor import Actor
from service.errors import not_found
from service.usecases.reference import validation_context

_AUDITED = (
    "bio",
    "skills",
    "title_level",
    "degree_level",
    "licences",
    "languages",
    "travel_radius_km",
    "modes",
    "capacity_concurrent",
    "capacity_days_per_year",
    "long_placement_ok",
    "phone",
    "email",
)


def _matched_site_ids(session: Session, talent_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Need.site_id)
            .join(Match, Match.need_id == Need.id)
            .where(Match.talent_id == talent_id)
        )
    )


def get_or_raise(*, session: Session, actor: Actor, talent_id: int) -> Talent:
    talent = session.scalars(
        select(Talent).options(selectinload(Talent.windows)).where(Talent.id == talent_id)
    ).one_or_none()
    if talent is None:
        raise not_found("talent")
    matched = _matched_site_ids(session, talent.id) if actor.role is Role.SITE_STAFF else set()
    if not policy.can_see_talent(actor, talent, matched_site_ids=matched):
        raise not_found("talent")
    return talent


def list_(
    *,
    session: Session,
    actor: Actor,
    category: str | None = None,
    county: str | None = None,
    mode: str | None = None,
    skill: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[TalentRead]:
    policy.require_coordinator(actor)
    stmt = select(Talent).options(selectinload(Talent.windows))
    if category:
        stmt = stmt.where(Talent.category == category)
    if county:
        stmt = stmt.where(Talent.home_county_code == county)
    if q:
        stmt = stmt.where(Talent.name.contains(q) | Talent.bio.contains(q))
    rows = list(session.scalars(stmt.order_by(Talent.id)))
    # JSON list columns are filtered in Python: portable across SQLite and PostgreSQL.
    if mode:
        rows = [t for t in rows if mode in t.modes]
    if skill:
        rows = [t for t in rows if skill in t.skills]
    page = rows[offset : offset + limit]
    return Page(
        items=[TalentRead.model_validate(t) for t in page],
        total=len(rows),
        offset=offset,
        limit=limit,
    )


def update(*, session: Session, actor: Actor, talent_id: int, data: TalentUpdate) -> Talent:
    talent = get_or_raise(session=session, actor=actor, talent_id=talent_id)
    if not policy.can_edit_talent(actor, talent):
        raise not_found("talent")
    changes = data.model_dump(exclude_unset=True)
    windows = changes.pop("windows", None)
    if "modes" in changes and changes["modes"] is not None:
        changes["modes"] = [str(m) for m in changes["modes"]]
    context = validation_context(session)
    # The record as it will stand is checked as a new profile would be: a PATCH must not
    # leave what the matcher refuses (an unknown skill, no service mode at all).
    checked = {k: changes[k] for k in ("skills", "modes") if changes.get(k) is not None}
    if checked:
        TalentCreate.model_validate({**_as_create(talent), **checked}, context=context)
    before = audit.snapshot(talent, _AUDITED)
    for key, value in changes.items():
        if value is not None:
            setattr(talent, key, value)
    if windows is not None:
        # Windows live in their own table: touch the talent so the engine sees the edit.
        talent.updated_at = datetime.now(UTC)
        talent.windows.clear()
        session.flush()
        talent.windows.extend(
            AvailabilityWindow(start_date=w["start_date"], end_date=w["end_date"]) for w in windows
        )
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="update",
        entity="talent",
        entity_id=talent.id,
        before=before,
        after=audit.snapshot(talent, _AUDITED),
    )
    session.commit()
    return talent


def _as_create(talent: Talent) -> dict[str, object]:
    return {
        "name": talent.name,
        "category": talent.category,
        "bio": talent.bio,
        "base_lat": talent.base_lat,
        "base_lon": talent.base_lon,
        "modes": list(talent.modes),
        "home_county_code": talent.home_county_code,
    }
