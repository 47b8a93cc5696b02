"""Finding people and needs by name for the pages: which open needs a talent qualifies
for (the browse page's “符合您的条件”), and which talents a person may ask “why not”
about, by a part of their name (the why-not box's suggestions as one types)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from models import County, Match, Talent
from models.enums import Role
from service import policy
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import not_found
from service.profiles import need_profiles, talent_profiles
from service.usecases import candidates
from service.usecases import needs as needs_uc

# How many of a talent's best-fitting needs the browse page marks as fitting her.
FIT_HORIZON = 500
# How many names the why-not box suggests.
NAME_SUGGESTIONS = 10


def fitting_need_ids(
    *, session: Session, engine: MatchingEngine, actor: Actor, horizon: int = FIT_HORIZON
) -> frozenset[int]:
    """The open needs (up to ``horizon``, best first) whose hard constraints the signed-in
    talent meets: time window, mode, qualifications, distance, capacity and the rest."""
    if actor.talent_id is None or not policy.can_see_suggestions_for(actor, actor.talent_id):
        raise not_found("talent")
    profiles = talent_profiles(session, [actor.talent_id])
    if not profiles:
        raise not_found("talent")
    recs = engine.recommend_needs(session, profiles[0], k=horizon)
    return frozenset(r.need_id for r in recs)


@dataclass(frozen=True)
class NamedTalent:
    id: int
    name: str
    category: str
    county_name: str | None
    county_name_en: str | None


def _askable_ids(
    session: Session, engine: MatchingEngine, actor: Actor, need_id: int
) -> set[int] | None:
    """The talents ``actor`` may ask why-not about for this need; None for anyone."""
    if actor.role is Role.TALENT:
        return {actor.talent_id} if actor.talent_id is not None else set()
    if not policy.why_not_limited(actor):
        return None
    profile = need_profiles(session, [need_id])[0]
    ranked = {
        r.talent_id
        for r in engine.recommend_talents(session, profile, k=candidates.CANDIDATE_HORIZON)
    }
    matched = set(session.scalars(select(Match.talent_id).where(Match.need_id == need_id)))
    return ranked | matched


def talents_named(
    *,
    session: Session,
    engine: MatchingEngine,
    actor: Actor,
    need_id: int,
    name: str,
    limit: int = NAME_SUGGESTIONS,
) -> list[NamedTalent]:
    """Talents whose name contains ``name`` (NFKC, case-blind) that ``actor`` may ask
    why-not about for ``need_id``: anyone for coordinators and admins, the need's ranked
    candidates and matched talents for its site's staff, oneself for a talent."""
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    if actor.role is not Role.TALENT and not policy.can_rank_candidates(actor, need):
        raise not_found("need")
    term = unicodedata.normalize("NFKC", name).strip()
    if not term:
        return []
    stmt = select(Talent.id, Talent.name, Talent.category, County.name, County.name_en).outerjoin(
        County, County.code == Talent.home_county_code
    )
    allowed = _askable_ids(session, engine, actor, need.id)
    if allowed is not None:
        stmt = stmt.where(Talent.id.in_(sorted(allowed)))
    # Exact names first, then the others containing the term in name order. Two questions,
    # not one sorted by "exact first": each walks the name index in order and stops at
    # ``limit`` hits, where one would read and sort every talent whose name matches.
    exact = list(session.execute(stmt.where(Talent.name == term).order_by(Talent.id).limit(limit)))
    rest = limit - len(exact)
    others: Iterable[Row[Any]] = (
        session.execute(
            stmt.where(Talent.name.contains(term, autoescape=True), Talent.name != term)
            .order_by(Talent.name, Talent.id)
            .limit(rest)
        )
        if rest > 0
        else []
    )
    return [NamedTalent(*row) for row in [*exact, *others]]


def talent_named(*, session: Session, talent_id: int) -> NamedTalent | None:
    """One talent by number, as the why-not answer names them (the caller has checked
    that the person may ask about them)."""
    row = session.execute(
        select(Talent.id, Talent.name, Talent.category, County.name, County.name_en)
        .outerjoin(County, County.code == Talent.home_county_code)
        .where(Talent.id == talent_id)
    ).one_or_none()
    return NamedTalent(*row) if row else None
