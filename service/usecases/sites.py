"""Sites (grassroots units): reading within one's scope, creating and editing them."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Site, Township
from models.enums import Role
from models.schemas.page import Page
from models.schemas.site import SiteCreate, SiteRead, SiteUpdate
from service import audit, policy
from service.actor import Actor, require
from service.errors import AppError, FieldError, not_found
from service.usecases import external_ids
from service.usecases.reference import validation_context

_AUDITED = ("name", "site_type", "contact_name", "phone", "email")


def get_or_raise(*, session: Session, actor: Actor, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None or not policy.can_see_site(actor, site):
        raise not_found("site")
    return site


def contacts_visible(actor: Actor, site: Site) -> bool:
    """A site's own staff and the coordinators over it see its contacts; talents see
    them through an approved match only."""
    return policy.can_see_site_contacts(actor, site)


def list_(
    *,
    session: Session,
    actor: Actor,
    county: str | None = None,
    site_type: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[SiteRead]:
    require(actor, Role.SITE_STAFF, Role.COORDINATOR, Role.ADMIN)
    stmt = policy.visible_sites(actor, select(Site))
    if county:
        stmt = stmt.where(Site.county_code == county)
    if site_type:
        stmt = stmt.where(Site.site_type == site_type)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Site.id).offset(offset).limit(limit))
    return Page(
        items=[SiteRead.model_validate(r) for r in rows], total=total, offset=offset, limit=limit
    )


def create(*, session: Session, actor: Actor, data: SiteCreate) -> Site:
    policy.require_coordinator(actor)
    SiteCreate.model_validate(data.model_dump(), context=validation_context(session))
    if not actor.covers_county(data.county_code):
        raise AppError(
            403,
            "forbidden",
            "outside your jurisdiction",
            "超出您的管辖范围",
            [FieldError("county_code", "outside your jurisdiction", data.county_code)],
        )
    township = None
    if data.township:
        township = session.scalars(
            select(Township).where(
                Township.county_code == data.county_code, Township.name == data.township
            )
        ).first()
        if township is None:
            raise AppError(
                422,
                "validation_error",
                f"unknown township {data.township!r}",
                "乡镇不存在",
                [FieldError("township", "unknown township", data.township)],
            )
    external_ids.ensure_free(session, Site, data.external_id, "site")
    values = data.model_dump(exclude={"external_id", "township", "poverty_township"})
    poverty = data.poverty_township
    if poverty is None:
        poverty = township.poverty_township if township else False
    site = Site(
        external_id=data.external_id or f"site-{uuid.uuid4().hex[:12]}",
        township_id=township.id if township else None,
        poverty_township=poverty,
        **values,
    )
    if site.altitude_m is None and township is not None:
        site.altitude_m = township.altitude_m
    session.add(site)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="site",
        entity_id=site.id,
        after=audit.snapshot(site, _AUDITED),
    )
    session.commit()
    return site


def update(*, session: Session, actor: Actor, site_id: int, data: SiteUpdate) -> Site:
    site = get_or_raise(session=session, actor=actor, site_id=site_id)
    if not contacts_visible(actor, site):  # the same people may edit it
        raise not_found("site")
    changes = data.model_dump(exclude_unset=True)
    if changes.get("site_type"):
        SiteCreate.model_validate(
            {
                **{k: getattr(site, k) for k in ("name", "county_code", "lat", "lon")},
                "site_type": changes["site_type"],
            },
            context=validation_context(session),
        )
    before = audit.snapshot(site, _AUDITED)
    for key, value in changes.items():
        if value is not None:
            setattr(site, key, value)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="update",
        entity="site",
        entity_id=site.id,
        before=before,
        after=audit.snapshot(site, _AUDITED),
    )
    session.commit()
    return site
