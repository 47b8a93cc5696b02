"""Posting, reading and editing needs."""

from __future__ import annotations

import functools
import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from models import Need, Site
from models.enums import NeedStatus, Role
from models.schemas.need import NeedCreate, NeedRead, NeedUpdate
from models.schemas.page import Page
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError, not_found
from service.usecases import external_ids, line_rules, need_search
from service.usecases.reference import validation_context

_AUDITED = (
    "title",
    "description",
    "skills",
    "mode",
    "min_title_level",
    "min_degree_level",
    "licences",
    "languages",
    "start_date",
    "end_date",
    "headcount",
    "days_needed",
    "programme_code",
    "required_categories",
    "status",
)


@functools.cache
def _need_with_site() -> Select[Need]:
    """One need with its site and the site's township in the same statement (a need's
    profile names the township). Built once: every page and list of a need reads it,
    and building the statement and its cache key cost about as much as running it."""
    return (
        select(Need)
        .options(joinedload(Need.site).joinedload(Site.township))
        .where(Need.id == bindparam("need_id"))
    )


def get_or_raise(*, session: Session, actor: Actor, need_id: int) -> Need:
    need = session.scalars(_need_with_site(), {"need_id": need_id}).one_or_none()
    if need is None or not policy.can_see_need(actor, need):
        raise not_found("need")
    return need


def list_(
    *,
    session: Session,
    actor: Actor,
    county: str | None = None,
    status: str | None = None,
    programme: str | None = None,
    mode: str | None = None,
    site_id: int | None = None,
    starts_after: date | None = None,
    ends_before: date | None = None,
    q: str | None = None,
    township: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[NeedRead]:
    """Needs the actor may see, newest first, narrowed as ``need_search`` describes."""
    query = need_search.NeedQuery(
        q=q,
        county=county,
        township=township,
        status=status,
        programme=programme,
        mode=mode,
        site_id=site_id,
        starts_after=starts_after,
        ends_before=ends_before,
    )
    stmt = need_search.apply(
        policy.visible_needs(actor, select(Need).join(Site, Need.site_id == Site.id)), query
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Need.id.desc()).offset(offset).limit(limit))
    return Page(
        items=[NeedRead.model_validate(r) for r in rows], total=total, offset=offset, limit=limit
    )


def create(*, session: Session, actor: Actor, data: NeedCreate) -> Need:
    site_id = actor.site_id if actor.role is Role.SITE_STAFF else data.site_id
    if site_id is None:
        raise AppError(
            422,
            "validation_error",
            "site_id is required",
            "请选择单位",
            [FieldError("site_id", "required")],
        )
    site = session.get(Site, site_id)
    if site is None or not policy.can_post_for_site(actor, site):
        raise AppError(
            422,
            "validation_error",
            f"unknown site {site_id}",
            "单位不存在",
            [FieldError("site_id", "unknown site", site_id)],
        )
    context = validation_context(session)
    NeedCreate.model_validate(data.model_dump(), context=context)
    external_ids.ensure_free(session, Need, data.external_id, "need")
    values = data.model_dump(exclude={"site_id", "external_id"})
    line_rules.check_posting(
        data.programme_code,
        line_rules.NeedFacts(
            county_code=site.county_code,
            mode=data.mode.value,
            site_type=site.site_type,
            days_needed=data.days_needed,
            skills=tuple(data.skills),
            poverty_township=bool(site.poverty_township),
        ),
    )
    need = Need(
        external_id=data.external_id or f"need-{uuid.uuid4().hex[:12]}",
        site_id=site.id,
        **{**values, "mode": data.mode.value},
    )
    session.add(need)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="need",
        entity_id=need.id,
        after=audit.snapshot(need, _AUDITED),
    )
    session.commit()
    return need


def update(*, session: Session, actor: Actor, need_id: int, data: NeedUpdate) -> Need:
    need = get_or_raise(session=session, actor=actor, need_id=need_id)
    if not policy.can_edit_need(actor, need):
        raise not_found("need")
    changes = data.model_dump(exclude_unset=True)
    if "mode" in changes and changes["mode"] is not None:
        changes["mode"] = str(changes["mode"])
    if "required_categories" in changes and changes["required_categories"] is None:
        changes["required_categories"] = []
    if changes.get("status") == NeedStatus.EXPIRED and need.status != NeedStatus.EXPIRED:
        raise AppError(
            422,
            "validation_error",
            "status 'expired' follows the end date and cannot be set by hand",
            "“已过期”由结束日期决定，不能手动设置",
            [FieldError("status", "expected open, filled or closed", changes["status"])],
        )
    merged = {**{k: getattr(need, k) for k in _AUDITED}, **changes}
    # Re-validate the merged record, so a PATCH cannot leave an end before a start.
    NeedCreate.model_validate(
        {k: v for k, v in merged.items() if k != "status"}, context=validation_context(session)
    )
    before = audit.snapshot(need, _AUDITED)
    for key, value in changes.items():
        setattr(need, key, value)
    if changes.keys() & {"programme_code", "mode", "days_needed", "skills"}:
        line_rules.check_posting(need.programme_code, line_rules.facts_of_need(session, need))
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="update",
        entity="need",
        entity_id=need.id,
        before=before,
        after=audit.snapshot(need, _AUDITED),
    )
    session.commit()
    return need


def offering(need: Need, today: date) -> dict[str, Any]:
    """Whether a need still offers invitations, and if not, why (issue 12, item 3): a
    filled need names its headcount, a closed one says so, an open one past its end
    date names the date. ``offering`` and ``closed_why`` (an i18n key and its
    parameters) go to the need page."""
    if need.status == NeedStatus.FILLED:
        return {"offering": False, "closed_why": ("need.filled_why", {"n": need.headcount})}
    if need.status != NeedStatus.OPEN:
        return {"offering": False, "closed_why": ("need.closed_why", {})}
    if need.end_date < today:
        return {
            "offering": False,
            "closed_why": ("need.ended_why", {"date": need.end_date.isoformat()}),
        }
    return {"offering": True, "closed_why": None}
