"""The match lifecycle: proposing, deciding, approving with a capacity re-check under a
lock, and reading matches with contacts shown only once approved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from matching.constraints import Violation, why_not
from models import Match, MatchEvent, Need, Site, Talent
from models.enums import CAPACITY_HOLDING, MatchOrigin, MatchStatus, Role
from models.schemas.page import Page
from service import audit, lifecycle, notify, placements, policy
from service.actor import Actor
from service.errors import AppError, FieldError, not_found
from service.i18n import translate
from service.profiles import need_profiles, talent_profiles
from service.usecases import expiry, headcount, line_rules

_HOLDING = [s.value for s in CAPACITY_HOLDING]


def conflict(message: str, message_zh: str) -> AppError:
    return AppError(409, "conflict", message, message_zh)


def constraint_error(violations: Sequence[Violation], *, status: int) -> AppError:
    """One refusal naming every hard constraint the pair breaks, in both languages."""
    return AppError(
        status,
        "constraint_violated",
        "; ".join(v.en for v in violations),
        "；".join(v.zh for v in violations),
        [FieldError(v.constraint.value, v.en) for v in violations],
    )


def refuse_unfit(session: Session, need_id: int, talent_id: int) -> None:
    """422 when the talent breaks a hard constraint of the need (before a match exists)."""
    violations = why_not(
        need_profiles(session, [need_id])[0], talent_profiles(session, [talent_id])[0]
    )
    if violations:
        raise constraint_error(violations, status=422)


def _load(session: Session, match_id: int) -> Match | None:
    return session.scalars(
        select(Match)
        .options(joinedload(Match.need).joinedload(Need.site), joinedload(Match.talent))
        .where(Match.id == match_id)
    ).one_or_none()


def get_or_raise(*, session: Session, actor: Actor, match_id: int) -> Match:
    match = _load(session, match_id)
    if match is None or not policy.can_see_match(actor, match):
        raise not_found("match")
    return match


@dataclass(frozen=True)
class MatchView:
    """A match as one viewer sees it: contacts only once approved."""

    match: Match
    actions: list[str]
    site_contact: dict[str, Any] | None
    talent_contact: dict[str, Any] | None


def view(*, actor: Actor, match: Match) -> MatchView:
    show = policy.contacts_visible(actor, match)
    site = match.need.site
    talent = match.talent
    return MatchView(
        match=match,
        actions=_actions_for(actor, match),
        site_contact={"contact_name": site.contact_name, "phone": site.phone, "email": site.email}
        if show
        else None,
        talent_contact={"phone": talent.phone, "email": talent.email} if show else None,
    )


def _actions_for(actor: Actor, match: Match) -> list[str]:
    if not policy.is_party(actor, match):
        return []
    return lifecycle.allowed_actions(match.status, actor.role.value)


def list_(
    *,
    session: Session,
    actor: Actor,
    status: str | None = None,
    county: str | None = None,
    need_id: int | None = None,
    talent_id: int | None = None,
    run_id: int | None = None,
    programme: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[Match]:
    stmt = (
        select(Match)
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .options(joinedload(Match.need).joinedload(Need.site), joinedload(Match.talent))
    )
    stmt = policy.visible_matches(actor, stmt)
    if status:
        stmt = stmt.where(Match.status.in_(status.split(",")))
    if county:
        stmt = stmt.where(Site.county_code == county)
    if need_id:
        stmt = stmt.where(Match.need_id == need_id)
    if talent_id:
        stmt = stmt.where(Match.talent_id == talent_id)
    if run_id:
        stmt = stmt.where(Match.run_id == run_id)
    if programme:
        stmt = stmt.where(Need.programme_code == programme)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(
        session.scalars(
            stmt.order_by(Match.updated_at.desc(), Match.id.desc()).offset(offset).limit(limit)
        ).unique()
    )
    return Page(items=rows, total=total, offset=offset, limit=limit)


def _event(
    session: Session,
    match: Match,
    actor: Actor | None,
    source: str | None,
    target: str,
    reason: str | None,
    *,
    on_behalf: dict[str, Any] | None = None,
) -> None:
    """One lifecycle step in the match's history and the audit trail. ``on_behalf``
    ({"talent_id", "name", "channel"}) marks a step a coordinator recorded for the
    talent: both people are named."""
    session.add(
        MatchEvent(
            match_id=match.id,
            from_status=source,
            to_status=target,
            actor_id=actor.id if actor else None,
            on_behalf_of_talent_id=on_behalf["talent_id"] if on_behalf else None,
            reason=reason,
        )
    )
    after: dict[str, Any] = {"status": target}
    if reason:
        after["reason"] = reason
    if on_behalf:
        after["recorded_by"] = {"user_id": actor.id, "name": actor.display_name} if actor else None
        after["on_behalf_of"] = on_behalf
    audit.record(
        session=session,
        actor=actor,
        action=f"match.{target}",
        entity="match",
        entity_id=match.id,
        before={"status": source} if source else None,
        after=after,
    )
    notify.match_event(session, match, actor, target, reason)


def propose(
    *, session: Session, actor: Actor, need_id: int, talent_id: int, note: str | None = None
) -> Match:
    """A site, a talent or a coordinator proposes a pairing directly. A talent who
    proposes has already shown interest; the coordinator still approves at the end."""
    from service.usecases import needs as needs_uc

    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    expiry.refuse_if_expired(need)
    talent = session.get(Talent, talent_id)
    if actor.role is Role.TALENT:
        if talent_id != actor.talent_id:
            raise not_found("talent")
        origin, status = MatchOrigin.TALENT, MatchStatus.INTERESTED
    else:
        if not policy.can_post_for_site(actor, need.site):
            raise not_found("need")
        site_side = actor.role is Role.SITE_STAFF
        origin = MatchOrigin.SITE if site_side else MatchOrigin.COORDINATOR
        status = MatchStatus.PROPOSED
    if talent is None or not talent.active:
        raise AppError(
            422,
            "validation_error",
            f"unknown talent {talent_id}",
            "人才不存在",
            [FieldError("talent_id", "unknown talent", talent_id)],
        )
    existing = session.scalars(
        select(Match).where(Match.need_id == need.id, Match.talent_id == talent_id)
    ).one_or_none()
    if existing is not None:
        # The existing match is named so a client can show where things stand.
        raise AppError(
            409,
            "conflict",
            f"a match for this need and talent exists (#{existing.id}, {existing.status})",
            f"该需求与人才已有对接记录（#{existing.id}）",
            [FieldError("match_id", f"already {existing.status}", existing.id)],
        )
    refuse_unfit(session, need.id, talent_id)
    match = Match(
        need_id=need.id,
        talent_id=talent_id,
        status=status.value,
        origin=origin.value,
        score=0.0,
        breakdown=[],
    )
    session.add(match)
    session.flush()
    _event(session, match, actor, None, status.value, note)
    session.commit()
    return match


def decline_suggestion(*, session: Session, actor: Actor, need_id: int, reason: str) -> Match:
    """A talent turns a suggested need down with a reason; it is never suggested again."""
    from service.usecases import needs as needs_uc

    if actor.role is not Role.TALENT or actor.talent_id is None:
        raise AppError(
            403, "forbidden", "only a talent declines a suggestion", "只有人才本人可以婉拒推荐"
        )
    reason = reason.strip()
    if not reason:
        raise AppError(
            422,
            "validation_error",
            "decline needs a reason",
            "请填写原因",
            [FieldError("reason", "required")],
        )
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    existing = session.scalars(
        select(Match).where(Match.need_id == need.id, Match.talent_id == actor.talent_id)
    ).one_or_none()
    if existing is not None:
        return transition(
            session=session, actor=actor, match_id=existing.id, action="decline", reason=reason
        )
    match = Match(
        need_id=need.id,
        talent_id=actor.talent_id,
        status=MatchStatus.DECLINED.value,
        origin=MatchOrigin.TALENT.value,
        score=0.0,
        breakdown=[],
    )
    session.add(match)
    session.flush()
    _event(session, match, actor, None, MatchStatus.DECLINED.value, reason)
    session.commit()
    return match


_LOCK_TALENT = {
    "postgresql": "SELECT id FROM talent "
    "WHERE id = (SELECT talent_id FROM match WHERE id = :match_id) FOR UPDATE",
    "sqlite": "UPDATE talent SET id = id "
    "WHERE id = (SELECT talent_id FROM match WHERE id = :match_id)",
}


def _lock_talent_of_match(session: Session, match_id: int) -> None:
    """Serialise decisions that spend one talent's capacity. This must be the first
    statement of its transaction: PostgreSQL locks the talent's row; SQLite takes its
    single write lock by a no-op write, waiting out the busy timeout instead of failing
    on a stale snapshot."""
    dialect = session.get_bind().dialect.name
    sql = _LOCK_TALENT["postgresql" if dialect == "postgresql" else "sqlite"]
    session.execute(text(sql), {"match_id": match_id})


def _check_capacity_and_constraints(session: Session, match: Match) -> None:
    talent = session.get(Talent, match.talent_id)
    assert talent is not None
    held, days = session.execute(
        select(func.count(), placements.short_days(session))
        .select_from(Match)
        .join(Need, Match.need_id == Need.id)
        .where(Match.talent_id == talent.id, Match.status.in_(_HOLDING))
    ).one()
    if held >= talent.capacity_concurrent:
        raise conflict(
            f"the talent already holds {held} of {talent.capacity_concurrent} placements",
            f"该人才已有 {held} 项对接，达到可同时承担上限 {talent.capacity_concurrent}",
        )
    need_profile = need_profiles(session, [match.need_id])[0]
    # A long placement spends no days of the yearly budget: it occupies its dates
    # full-time, which why_not checks below against the placements held now.
    if (
        not need_profile.long_placement
        and days + match.need.days_needed > talent.capacity_days_per_year
    ):
        raise conflict(
            f"{days} + {match.need.days_needed} days exceed the talent's "
            f"{talent.capacity_days_per_year} days per year",
            f"已承诺 {days} 天，加上本需求 {match.need.days_needed} 天，超过每年 "
            f"{talent.capacity_days_per_year} 天",
        )
    violations = [
        v
        for v in why_not(need_profile, talent_profiles(session, [talent.id])[0])
        if v.constraint.value not in ("capacity_concurrent", "capacity_days")
    ]
    if violations:
        raise constraint_error(violations, status=409)


def transition(
    *,
    session: Session,
    actor: Actor,
    match_id: int,
    action: str,
    reason: str | None = None,
    expected_version: int | None = None,
    required_version: int | None = None,
) -> Match:
    """Move a match one step. ``expected_version`` (the body's ``version``) answers 409
    when stale; ``required_version`` (from an ``If-Match`` ETag) answers 412."""
    target = lifecycle.ACTIONS.get(action)
    if target is None:
        raise AppError(
            422,
            "validation_error",
            f"unknown action {action!r}",
            "未知操作",
            [FieldError("action", f"expected one of {sorted(lifecycle.ACTIONS)}", action)],
        )
    if target is MatchStatus.APPROVED:
        # Start a fresh transaction whose first statement takes the lock, so no stale
        # snapshot is read before it.
        session.rollback()
        _lock_talent_of_match(session, match_id)
        headcount.lock_need_of_match(session, match_id)
    match = get_or_raise(session=session, actor=actor, match_id=match_id)
    if required_version is not None and required_version != match.version:
        raise AppError(
            412,
            "precondition_failed",
            f"the match changed (version {match.version}, your If-Match names "
            f"{required_version}); reload and decide again",
            "对接记录已被他人修改，请刷新后重试",
            [FieldError("If-Match", f"the current ETag names version {match.version}")],
        )
    if expected_version is not None and expected_version != match.version:
        raise conflict(
            f"the match changed (version {match.version}, you had "
            f"{expected_version}); reload and decide again",
            "对接记录已被他人修改，请刷新后重试",
        )
    step = lifecycle.find(match.status, target.value)
    if step is None:
        raise conflict(
            f"a {match.status} match cannot be moved to {target.value}",
            f"当前状态（{translate(f'status.{match.status}', 'zh-CN')}）不能执行该操作",
        )
    if actor.role not in step.roles or not policy.is_party(actor, match):
        raise AppError(
            403, "forbidden", f"your role cannot {action} this match", "您的角色无权执行此操作"
        )
    reason = (reason or "").strip() or None
    if step.needs_reason and not reason:
        raise AppError(
            422,
            "validation_error",
            f"{action} needs a reason",
            "请填写原因",
            [FieldError("reason", "required")],
        )
    if target is MatchStatus.APPROVED:
        expiry.refuse_if_expired(match.need)
        headcount.check(session, match)
        line_rules.check_approval(session, match)
        _check_capacity_and_constraints(session, match)
    source = match.status
    match.status = target.value
    match.updated_at = datetime.now(UTC)
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise conflict(
            "someone else decided this match first; reload", "该对接已被他人处理，请刷新"
        ) from exc
    _event(session, match, actor, source, target.value, reason)
    headcount.follow_status(session, match, source, target.value, actor)
    try:
        session.commit()
    except OperationalError as exc:  # SQLite: lost the write lock race
        session.rollback()
        raise conflict(
            "the database was busy with a concurrent decision; try again",
            "系统正忙于处理其他决定，请重试",
        ) from exc
    return match
