"""Ranked candidates in both directions, with the reasons for each, and "why not"."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload

from matching.results import relevance
from models import Match, Need, Site, Talent
from models.enums import NeedStatus, Role
from service import policy
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import AppError, not_found
from service.profiles import need_profile_of, talent_profiles
from service.settings import Settings
from service.usecases import expiry, explain, ranking
from service.usecases import needs as needs_uc
from service.usecases.explain import breakdown_dicts


@dataclass(frozen=True)
class Candidate:
    rank: int
    score: float
    breakdown: list[dict[str, Any]]
    talent: dict[str, Any] | None = None
    need: dict[str, Any] | None = None
    # 0–100 and the three strongest reasons in plain words (service/usecases/explain.py).
    fit: int = 0
    reasons: list[dict[str, str]] = field(default_factory=list)
    # Which scorer ranked the list and the feedback that adjusted it, with words.
    ranked_by: dict[str, Any] | None = None


def _talent_summary(t: Talent) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "category": t.category,
        "title_level": t.title_level,
        "degree_level": t.degree_level,
        "skills": list(t.skills),
        "modes": list(t.modes),
        "home_county_code": t.home_county_code,
        "bio": t.bio,
    }


def _need_summary(n: Need, site: Site) -> dict[str, Any]:
    return {
        "id": n.id,
        "title": n.title,
        "description": n.description,
        "mode": n.mode,
        "start_date": n.start_date.isoformat(),
        "end_date": n.end_date.isoformat(),
        "headcount": n.headcount,
        "site_id": site.id,
        "site_name": site.name,
        "county_code": site.county_code,
        "poverty_township": site.poverty_township,
        "programme_code": n.programme_code,
    }


def _check_need_access(actor: Actor, need: Need) -> None:
    if not policy.can_rank_candidates(actor, need):
        raise not_found("need")


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _one_list_per_slot(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Make the list inside one of the engine's list slots (``RENCAI_LISTS_AT_ONCE``):
    lists beyond the limit wait their turn rather than share the GIL."""

    @functools.wraps(function)
    def in_slot(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        engine = kwargs["engine"]
        assert isinstance(engine, MatchingEngine)
        with engine.list_slot():
            return function(*args, **kwargs)

    return in_slot


@functools.cache
def _talents_with_windows() -> Select[Talent]:
    """The listed talents with their windows in the same statement: each reason list
    looks at them (else a query per card), and a join spares the second round trip a
    select-in load makes. Built once, as every list reads it."""
    return (
        select(Talent)
        .where(Talent.id.in_(bindparam("talent_ids", expanding=True)))
        .options(joinedload(Talent.windows))
    )


@_one_list_per_slot
def for_need(
    *,
    session: Session,
    engine: MatchingEngine,
    actor: Actor,
    need_id: int,
    k: int = 10,
    offset: int = 0,
    county: str | None = None,
    mode: str | None = None,
    category: str | None = None,
) -> list[Candidate]:
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    _check_need_access(actor, need)
    expiry.expire_before_listing(session, engine, need=need)
    expiry.refuse_if_expired(need)
    profile = need_profile_of(session, need)
    boost = ranking.need_boost(session, engine, need.id, need.site_id)
    recs = engine.recommend_talents(
        session,
        profile,
        k=k,
        offset=offset,
        counties=[county] if county else None,
        modes=[mode] if mode else None,
        categories=[category] if category else None,
        boost=boost,
    )
    recs = above_floor(recs, engine.settings)
    talents = {
        t.id: t
        for t in session.scalars(
            _talents_with_windows(), {"talent_ids": [r.talent_id for r in recs]}
        ).unique()
    }
    # The engine answers from its last published snapshot: a talent removed since then
    # is left out rather than shown.
    recs = [r for r in recs if r.talent_id in talents]
    ranking.remember_shown(
        session, engine, recs, surface="candidates", county_codes=profile.county or None
    )
    words = ranking.ranked_by(session, recs[0].scorer if recs else "hand", boost)
    ctx = explain.context(session, [(need, r.talent_id) for r in recs])
    out = []
    for r in recs:
        lines = breakdown_dicts(r.breakdown)
        told = explain.explain_pair(r.score, lines, need, talents[r.talent_id], ctx)
        out.append(
            Candidate(
                rank=r.rank,
                score=round(r.score, 4),
                breakdown=lines,
                talent=_talent_summary(talents[r.talent_id]),
                fit=told.fit,
                reasons=told.reasons,
                ranked_by=words,
            )
        )
    return out


def above_floor(recs: list[Any], settings: Settings) -> list[Any]:
    """The recommendations relevant enough to show (``RENCAI_RELEVANCE_FLOOR``): a pair
    is judged by what it is about (text and skills), whichever scorer ranked it, so a
    near, free talent with nothing to offer is not shown as noise (issue 15, item 7)."""
    floor = settings.relevance_floor
    weights = settings.matching_config().weights
    return [r for r in recs if relevance(r.breakdown, weights) >= floor]


def _acted_on(session: Session, talent_id: int) -> set[int]:
    """Needs the talent has a match with, whatever its status: proposed, answered,
    declined, serving or done. None of them is a fresh suggestion."""
    return set(session.scalars(select(Match.need_id).where(Match.talent_id == talent_id)))


# How many more answers to ask the engine for while filtering, and how many times.
_FILTER_SLACK = 20
_FILTER_ROUNDS = 4


def _suggestible(
    recs: list[Any], rows: dict[int, tuple[Need, Site]], acted: set[int], today: date
) -> list[Any]:
    out = []
    for r in recs:
        if r.need_id not in rows:
            continue  # gone since the engine's snapshot was published: not a suggestion
        need = rows[r.need_id][0]
        if r.need_id in acted or need.status != NeedStatus.OPEN or need.end_date < today:
            continue
        out.append(r)
    return out


@_one_list_per_slot
def for_talent(
    *,
    session: Session,
    engine: MatchingEngine,
    actor: Actor,
    talent_id: int,
    k: int = 10,
    offset: int = 0,
    county: str | None = None,
    mode: str | None = None,
    programme: str | None = None,
) -> list[Candidate]:
    """Needs suggested to a talent, best first: never one she has acted on or serves,
    nor one that is filled, closed or past its end date (issue 12, item 4)."""
    if not policy.can_see_suggestions_for(actor, talent_id):
        raise not_found("talent")
    expiry.expire_before_listing(session, engine)
    profiles = talent_profiles(session, [talent_id])
    if not profiles:
        raise not_found("talent")
    acted = _acted_on(session, talent_id)
    today = date.today()
    wanted = offset + k
    ask = wanted + len(acted) + _FILTER_SLACK
    for _ in range(_FILTER_ROUNDS):
        recs = engine.recommend_needs(
            session,
            profiles[0],
            k=ask,
            counties=[county] if county else None,
            modes=[mode] if mode else None,
            programmes=[programme] if programme else None,
        )
        rows = {
            n.id: (n, s)
            for n, s in session.execute(
                select(Need, Site)
                .join(Site, Need.site_id == Site.id)
                .where(Need.id.in_([r.need_id for r in recs]))
            )
        }
        kept = above_floor(_suggestible(recs, rows, acted, today), engine.settings)
        if policy.has_fixed_county(actor):
            kept = [r for r in kept if rows[r.need_id][1].county_code == actor.jurisdiction]
        if len(kept) >= wanted or len(recs) < ask:
            break
        ask *= 2
    shown = kept[offset:wanted]
    ranking.remember_shown(
        session,
        engine,
        [replace(r, rank=offset + i + 1) for i, r in enumerate(shown)],
        surface="suggestions",
        county_codes={r.need_id: rows[r.need_id][1].county_code for r in shown},
    )
    words = ranking.ranked_by(session, shown[0].scorer if shown else "hand")
    talent = session.get(Talent, talent_id)
    assert talent is not None  # talent_profiles found it
    ctx = explain.context(session, [(rows[r.need_id][0], talent_id) for r in shown])
    out = []
    for i, r in enumerate(shown):
        lines = breakdown_dicts(r.breakdown)
        need = rows[r.need_id][0]
        told = explain.explain_pair(r.score, lines, need, talent, ctx, for_talent=True)
        out.append(
            Candidate(
                rank=offset + i + 1,
                score=round(r.score, 4),
                breakdown=lines,
                need=_need_summary(*rows[r.need_id]),
                fit=told.fit,
                reasons=told.reasons,
                ranked_by=words,
            )
        )
    return out


# As deep as the candidate list can be paged (API: offset ≤ 1000, k ≤ 100).
CANDIDATE_HORIZON = 1100


def _candidate_ids(session: Session, engine: MatchingEngine, profile: Any) -> set[int]:
    recs = engine.recommend_talents(session, profile, k=CANDIDATE_HORIZON)
    return {r.talent_id for r in recs}


@dataclass(frozen=True)
class WhyNot:
    need_id: int
    talent_id: int
    feasible: bool
    violations: list[dict[str, str]]
    score: float
    breakdown: list[dict[str, Any]]
    # For a talent who meets every hard constraint: the fit and the top reasons. A
    # talent who fails one gets only the violations (never "why recommended").
    fit: int = 0
    reasons: list[dict[str, str]] = field(default_factory=list)
    talent_name: str = ""


def why_not(
    *, session: Session, engine: MatchingEngine, actor: Actor, need_id: int, talent_id: int
) -> WhyNot:
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    if actor.role is Role.TALENT:
        if actor.talent_id != talent_id:
            raise not_found("talent")
    else:
        _check_need_access(actor, need)
    need_profile = need_profile_of(session, need)
    if not policy.may_ask_why_not(
        actor,
        need,
        talent_id,
        session=session,
        candidate_ids=lambda: _candidate_ids(session, engine, need_profile),
    ):
        raise not_found("talent")
    found = talent_profiles(session, [talent_id])
    if not found:
        raise AppError(404, "not_found", "talent not found", "未找到该人才")
    boost = ranking.need_boost(session, engine, need.id, need.site_id)
    explanation = engine.explain(session, need_profile, found[0], boost=boost)
    lines = breakdown_dicts(explanation.breakdown)
    person = session.get(Talent, talent_id)
    assert person is not None  # talent_profiles found it
    told = (
        explain.explain_pair(
            explanation.score,
            lines,
            need,
            person,
            explain.context(session, [(need, talent_id)]),
            for_talent=actor.role is Role.TALENT,
        )
        if explanation.feasible
        else explain.Explained(fit=0, reasons=[])
    )
    return WhyNot(
        need_id=need.id,
        talent_id=talent_id,
        feasible=explanation.feasible,
        violations=[
            {"constraint": v.constraint.value, "zh": v.zh, "en": v.en}
            for v in explanation.violations
        ],
        score=round(explanation.score, 4),
        breakdown=lines,
        fit=told.fit,
        reasons=told.reasons,
        talent_name=person.name,
    )
