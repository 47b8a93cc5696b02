"""The person behind a candidate (issue 13, item 3): bio, skills, title, past service
with ratings, availability and current load, and, for a need, how they fit it. Contact
details only through an approved match (``policy.contacts_visible``), each showing
logged as elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import Match, Need, ServiceRecord, Site, Talent
from models.enums import MatchStatus
from service import policy
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import not_found
from service.profiles import need_profiles, talent_profiles
from service.usecases import explain, privacy
from service.usecases import needs as needs_uc

# Matches whose service counts as "past service" on the person page.
_SERVED = (MatchStatus.ACTIVE.value, MatchStatus.COMPLETED.value)


@dataclass(frozen=True)
class ServiceLine:
    """One placement the talent served: where, what, when, how it was rated."""

    match_id: int
    site_name: str
    county_code: str
    need_title: str
    start_date: date
    end_date: date
    status: str
    records: int
    rating: float | None


@dataclass(frozen=True)
class Fit:
    """How the person fits the need the page was opened from."""

    need_id: int
    need_title: str
    feasible: bool
    fit: int
    reasons: list[dict[str, str]]
    violations: list[dict[str, str]]


@dataclass(frozen=True)
class Person:
    talent: Talent
    institution_name: str | None
    windows: list[tuple[date, date]]
    active_matches: int
    days_committed: int
    service: list[ServiceLine]
    completed: int
    rating: float | None
    contact: dict[str, str | None] | None
    fit: Fit | None = None
    county_names: dict[str, tuple[str, str]] = field(default_factory=dict)


def _matches(session: Session, talent_id: int) -> list[Any]:
    """Every match of the talent with its site, and its service records' count and
    average rating."""
    return list(
        session.execute(
            select(
                Match.id,
                Match.status,
                Need.id.label("need_id"),
                Need.title,
                Need.start_date,
                Need.end_date,
                Site.id.label("site_id"),
                Site.name.label("site_name"),
                Site.county_code,
                func.count(ServiceRecord.id).label("records"),
                func.avg(ServiceRecord.rating).label("rating"),
            )
            .join(Need, Match.need_id == Need.id)
            .join(Site, Need.site_id == Site.id)
            .outerjoin(ServiceRecord, ServiceRecord.match_id == Match.id)
            .where(Match.talent_id == talent_id)
            .group_by(Match.id, Need.id, Site.id)
            .order_by(Need.start_date.desc(), Match.id.desc())
        )
    )


def _is_candidate(
    session: Session, engine: MatchingEngine, actor: Actor, need: Need | None, talent_id: int
) -> bool:
    """Whether the talent is in front of this actor as a candidate of ``need`` (ranked
    among its candidates, or matched with it) and the actor may rank that need."""
    if need is None or not policy.can_rank_candidates(actor, need):
        return False
    if policy.talent_matched_with_need(session, need.id, talent_id):
        return True
    from service.usecases.candidates import CANDIDATE_HORIZON

    profile = need_profiles(session, [need.id])[0]
    recs = engine.recommend_talents(session, profile, k=CANDIDATE_HORIZON)
    return any(r.talent_id == talent_id for r in recs)


def _fit(session: Session, engine: MatchingEngine, actor: Actor, need: Need, talent: Talent) -> Fit:
    found = talent_profiles(session, [talent.id])
    profile = need_profiles(session, [need.id])[0]
    if not found:  # an inactive talent is never matched
        return Fit(need.id, need.title, False, 0, [], [])
    told = engine.explain(session, profile, found[0])
    violations = [{"zh": v.zh, "en": v.en} for v in told.violations]
    if not told.feasible:
        return Fit(need.id, need.title, False, 0, [], violations)
    said = explain.explain_pair(
        told.score,
        explain.breakdown_dicts(told.breakdown),
        need,
        talent,
        explain.context(session, [(need, talent.id)]),
        for_talent=actor.talent_id == talent.id,
    )
    return Fit(need.id, need.title, True, said.fit, said.reasons, [])


def _contact(
    session: Session, actor: Actor, talent: Talent, rows: list[Any]
) -> dict[str, str | None] | None:
    if actor.talent_id == talent.id:
        return {"phone": talent.phone, "email": talent.email}
    approved = [r.id for r in rows if r.status in {s.value for s in policy.CONTACT_VISIBLE}]
    if not approved:
        return None
    shown = [
        m
        for m in session.scalars(select(Match).where(Match.id.in_(approved)))
        if policy.contacts_visible(actor, m)
    ]
    if not shown:
        return None
    privacy.record_contact_access(session=session, actor=actor, shown=shown[:1])
    return {"phone": talent.phone, "email": talent.email}


def person(
    *,
    session: Session,
    engine: MatchingEngine,
    actor: Actor,
    talent_id: int,
    need_id: int | None = None,
) -> Person:
    """The person page's content; a talent the actor may not open is missing (404)."""
    talent = session.scalars(
        select(Talent)
        .options(selectinload(Talent.windows), selectinload(Talent.institution))
        .where(Talent.id == talent_id)
    ).one_or_none()
    if talent is None:
        raise not_found("talent")
    need = (
        needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
        if need_id is not None
        else None
    )
    rows = _matches(session, talent.id)

    def allowed(candidate: bool) -> bool:
        return policy.can_open_person(
            actor,
            talent,
            matched_site_ids={r.site_id for r in rows},
            matched_counties={r.county_code for r in rows},
            candidate_of_own_need=candidate,
        )

    if not allowed(False) and not (
        _is_candidate(session, engine, actor, need, talent.id) and allowed(True)
    ):
        raise not_found("talent")
    served = [r for r in rows if r.status in _SERVED]
    ratings = [float(r.rating) for r in served if r.rating is not None]
    load = talent_profiles(session, [talent.id])
    return Person(
        talent=talent,
        institution_name=talent.institution.name if talent.institution else None,
        windows=sorted((w.start_date, w.end_date) for w in talent.windows),
        active_matches=load[0].active_matches if load else 0,
        days_committed=load[0].days_committed if load else 0,
        service=[
            ServiceLine(
                match_id=r.id,
                site_name=r.site_name,
                county_code=r.county_code,
                need_title=r.title,
                start_date=r.start_date,
                end_date=r.end_date,
                status=r.status,
                records=int(r.records),
                rating=float(r.rating) if r.rating is not None else None,
            )
            for r in served
        ],
        completed=sum(1 for r in served if r.status == MatchStatus.COMPLETED.value),
        rating=sum(ratings) / len(ratings) if ratings else None,
        contact=_contact(session, actor, talent, rows),
        fit=_fit(session, engine, actor, need, talent) if need is not None else None,
        county_names=explain.county_names(session),
    )
