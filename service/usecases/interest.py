"""A coordinator records a talent's interest on her behalf (issue 12, item 5): a
retired expert or 土专家 without a login says yes on the phone or in person, and the
coordinator over the need's county writes it down. The result is the same match as
the talent's own "I am interested" (status interested, origin talent), so the site
accepts and the coordinator approves as usual; the history and the audit trail say
"recorded by X for Y"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import Match, Talent
from models.enums import MatchOrigin, MatchStatus, Role
from service import lifecycle
from service.actor import Actor
from service.errors import AppError, FieldError, not_found
from service.usecases import needs as needs_uc
from service.usecases.matches import _event, conflict, refuse_unfit

# How the talent said yes: by phone, or in person (线下确认).
CHANNELS = ("phone", "offline")


def _check(actor: Actor, channel: str, note: str | None) -> None:
    if actor.role not in (Role.COORDINATOR, Role.ADMIN):
        raise AppError(
            403,
            "forbidden",
            "only a coordinator records interest for a talent",
            "只有协调员可以代人才登记意向",
        )
    if channel not in CHANNELS:
        raise AppError(
            422,
            "validation_error",
            f"channel {channel!r} is not one of {list(CHANNELS)}",
            "请选择确认方式（电话确认或线下确认）",
            [FieldError("channel", f"expected one of {list(CHANNELS)}", channel)],
        )
    if note is not None and len(note) > 500:
        raise AppError(
            422,
            "validation_error",
            f"note has {len(note)} characters; at most 500",
            "备注不能超过 500 字",
            [FieldError("note", "expected at most 500 characters", len(note))],
        )


def record(
    *,
    session: Session,
    actor: Actor,
    need_id: int,
    talent_id: int,
    channel: str,
    note: str | None = None,
) -> Match:
    """Record the talent's interest in the need, as the coordinator heard it. An
    invitation already sent (proposed) is answered; otherwise a new match starts as
    interested. A match in any other status is left alone (409 naming it)."""
    note = (note or "").strip() or None
    _check(actor, channel, note)
    need = needs_uc.get_or_raise(session=session, actor=actor, need_id=need_id)
    if not actor.covers_county(need.site.county_code):
        raise not_found("need")
    why = needs_uc.offering(need, date.today())["closed_why"]
    if why is not None:
        raise conflict(
            f"need #{need.id} no longer takes interest ({need.status}, ends {need.end_date})",
            f"该需求已不再征集（{need.status}，截止 {need.end_date}）",
        )
    talent = session.get(Talent, talent_id)
    if talent is None or not talent.active:
        raise AppError(
            422,
            "validation_error",
            f"unknown talent {talent_id}",
            "人才不存在",
            [FieldError("talent_id", "expected an active talent", talent_id)],
        )
    on_behalf: dict[str, Any] = {"talent_id": talent.id, "name": talent.name, "channel": channel}
    existing = session.scalars(
        select(Match).where(Match.need_id == need.id, Match.talent_id == talent.id)
    ).one_or_none()
    if existing is not None:
        if lifecycle.find(existing.status, MatchStatus.INTERESTED.value) is None:
            raise conflict(
                f"match #{existing.id} for this need and talent is {existing.status}; "
                "interest is recorded only on a new or proposed match",
                f"该人才与需求已有对接（#{existing.id}，当前状态：{existing.status}）",
            )
        source = existing.status
        existing.status = MatchStatus.INTERESTED.value
        existing.updated_at = datetime.now(UTC)
        try:
            session.flush()
        except StaleDataError as exc:
            session.rollback()
            raise conflict(
                "someone else answered this match first; reload", "该对接已被他人处理，请刷新"
            ) from exc
        _event(session, existing, actor, source, existing.status, note, on_behalf=on_behalf)
        session.commit()
        return existing
    refuse_unfit(session, need.id, talent.id)
    match = Match(
        need_id=need.id,
        talent_id=talent.id,
        status=MatchStatus.INTERESTED.value,
        origin=MatchOrigin.TALENT.value,
        score=0.0,
        breakdown=[],
    )
    session.add(match)
    session.flush()
    _event(session, match, actor, None, match.status, note, on_behalf=on_behalf)
    session.commit()
    return match
