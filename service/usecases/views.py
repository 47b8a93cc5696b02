"""Read queries that only pages need: dashboards, the map's counts, a match's history,
user and run lists. Each applies the same visibility rules as the API (``policy``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    County,
    Match,
    MatchEvent,
    MatchMessage,
    MatchRun,
    Need,
    Site,
    Talent,
    Township,
    User,
)
from models.enums import CAPACITY_HOLDING, MatchStatus, NeedStatus
from service import policy
from service.actor import Actor

_PLACED = [s.value for s in (*CAPACITY_HOLDING, MatchStatus.COMPLETED)]


@dataclass(frozen=True)
class HistoryLine:
    """One line of a match's audit trail: a lifecycle step or any audited change."""

    at: datetime
    kind: str  # "event" (MatchEvent) or "audit" (AuditEvent)
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    detail: dict[str, Any] | None = None
    # The talent a coordinator recorded this step for ("recorded by X for Y").
    on_behalf: str | None = None
    # The batch run that proposed the match (its event's reason says "batch run #N").
    batch_run: int | None = None


_BATCH_REASON = re.compile(r"batch run #(\d+)")


def _batch_run(reason: str | None) -> int | None:
    """The run named by a batch proposal's event reason (``write_proposals``)."""
    found = _BATCH_REASON.fullmatch(reason or "")
    return int(found.group(1)) if found else None


def match_history(*, session: Session, match: Match, with_audit: bool) -> list[HistoryLine]:
    """The lifecycle steps of ``match`` (already checked visible), and, for coordinators
    and admins, the audit rows about it, oldest first."""
    events = list(
        session.scalars(
            select(MatchEvent).where(MatchEvent.match_id == match.id).order_by(MatchEvent.id)
        )
    )
    audits = (
        list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity == "match", AuditEvent.entity_id == match.id)
                .order_by(AuditEvent.id)
            )
        )
        if with_audit
        else []
    )
    actor_ids = {e.actor_id for e in events if e.actor_id} | {
        a.actor_id for a in audits if a.actor_id
    }
    names: dict[int, str] = {
        row.id: row.display_name
        for row in session.execute(select(User.id, User.display_name).where(User.id.in_(actor_ids)))
    }
    lines = [
        HistoryLine(
            e.at,
            "event",
            names.get(e.actor_id or 0, "—"),
            e.to_status,
            e.from_status,
            e.to_status,
            None if _batch_run(e.reason) else e.reason,
            on_behalf=match.talent.name if e.on_behalf_of_talent_id else None,
            batch_run=_batch_run(e.reason),
        )
        for e in events
    ]
    # The questions and answers before a decision belong to the match's history.
    lines += [
        HistoryLine(m.at, "message", m.sender_name, "message", None, None, m.body)
        for m in session.scalars(
            select(MatchMessage).where(MatchMessage.match_id == match.id).order_by(MatchMessage.id)
        )
    ]
    lines += [
        HistoryLine(
            a.at,
            "audit",
            names.get(a.actor_id or 0, "—"),
            a.action,
            (a.before or {}).get("status"),
            (a.after or {}).get("status"),
            (a.after or {}).get("reason"),
            {"before": a.before, "after": a.after},
        )
        for a in audits
    ]
    return sorted(lines, key=lambda line: (line.at, line.kind))


@dataclass
class CountyPoint:
    code: str
    name: str
    name_en: str
    lat: float
    lon: float
    open_needs: int = 0
    placements: int = 0


@dataclass
class TownshipPoint:
    name: str
    county_code: str
    lat: float
    lon: float
    poverty: bool
    open_needs: int = 0


@dataclass
class MapData:
    counties: list[CountyPoint] = field(default_factory=list)
    townships: list[TownshipPoint] = field(default_factory=list)


def map_counts(*, session: Session, actor: Actor) -> MapData:
    """County seats and townships with their open needs and placements (approved, active
    or completed matches). Counts are aggregates, so any coordinator sees the prefecture."""
    policy.require_coordinator(actor)
    open_by_county = dict(
        session.execute(
            select(Site.county_code, func.count(Need.id))
            .join(Need, Need.site_id == Site.id)
            .where(Need.status == NeedStatus.OPEN.value)
            .group_by(Site.county_code)
        ).all()
    )
    open_by_township = dict(
        session.execute(
            select(Site.township_id, func.count(Need.id))
            .join(Need, Need.site_id == Site.id)
            .where(Need.status == NeedStatus.OPEN.value, Site.township_id.is_not(None))
            .group_by(Site.township_id)
        ).all()
    )
    placed_by_county = dict(
        session.execute(
            select(Site.county_code, func.count(Match.id))
            .join(Need, Match.need_id == Need.id)
            .join(Site, Need.site_id == Site.id)
            .where(Match.status.in_(_PLACED))
            .group_by(Site.county_code)
        ).all()
    )
    data = MapData()
    for c in session.scalars(select(County).order_by(County.code)):
        data.counties.append(
            CountyPoint(
                c.code,
                c.name,
                c.name_en,
                c.lat,
                c.lon,
                open_by_county.get(c.code, 0),
                placed_by_county.get(c.code, 0),
            )
        )
    for t in session.scalars(select(Township).order_by(Township.id)):
        data.townships.append(
            TownshipPoint(
                t.name,
                t.county_code,
                t.lat,
                t.lon,
                t.poverty_township,
                open_by_township.get(t.id, 0),
            )
        )
    return data


def counties(*, session: Session) -> list[County]:
    return list(session.scalars(select(County).order_by(County.code)))


def my_needs_summary(*, session: Session, actor: Actor) -> dict[int, Counter[str]]:
    """Per visible need, how many of its matches sit in each status (for the needs list)."""
    # SQLAlchemy types select(Model) as Select[Model]; policy speaks Select[tuple[Model]].
    base = cast(
        Select[tuple[Match]],
        select(Match).join(Need, Match.need_id == Need.id).join(Site, Need.site_id == Site.id),
    )
    stmt = policy.visible_matches(actor, base)
    sub = stmt.with_only_columns(Match.need_id, Match.status).subquery()
    out: dict[int, Counter[str]] = {}
    for need_id, status in session.execute(select(sub.c.need_id, sub.c.status)):
        out.setdefault(need_id, Counter())[status] += 1
    return out


def users(*, session: Session, actor: Actor, q: str | None = None, limit: int = 200) -> list[User]:
    policy.require_admin(actor)
    stmt = select(User).order_by(User.id)
    if q:
        stmt = stmt.where(or_(User.username.contains(q), User.display_name.contains(q)))
    return list(session.scalars(stmt.limit(limit)))


def sites_for(*, session: Session, actor: Actor, limit: int = 500) -> list[Site]:
    """Sites an admin may attach a site-staff account to."""
    policy.require_admin(actor)
    return list(session.scalars(select(Site).order_by(Site.id).limit(limit)))


def runs(*, session: Session, actor: Actor, limit: int = 20) -> list[MatchRun]:
    """Batch runs over the actor's jurisdiction, newest first."""
    policy.require_coordinator(actor)
    stmt = policy.visible_runs(actor, select(MatchRun).order_by(MatchRun.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def run_or_none(*, session: Session, actor: Actor, run_id: int) -> MatchRun | None:
    policy.require_coordinator(actor)
    run = session.get(MatchRun, run_id)
    if run is None or not policy.can_see_run(actor, run):
        return None
    return run


def confirmation_of(*, session: Session, run: MatchRun) -> MatchRun | None:
    """The latest run confirming the preview ``run``."""
    return session.scalars(
        select(MatchRun).where(MatchRun.preview_of == run.id).order_by(MatchRun.id.desc())
    ).first()


def county_name(*, session: Session, code: str | None) -> str | None:
    county = session.get(County, code) if code else None
    return county.name if county is not None else None


def headline_counts(*, session: Session) -> dict[str, int]:
    """The front page's figures: sites, open needs, talents and matches."""
    return {
        "sites": session.scalar(select(func.count()).select_from(Site)) or 0,
        "needs": session.scalar(
            select(func.count()).select_from(Need).where(Need.status == NeedStatus.OPEN)
        )
        or 0,
        "talents": session.scalar(select(func.count()).select_from(Talent)) or 0,
        "matches": session.scalar(select(func.count()).select_from(Match)) or 0,
    }


def reference_counts(*, session: Session) -> dict[str, int]:
    return {
        "counties": session.scalar(select(func.count()).select_from(County)) or 0,
        "townships": session.scalar(select(func.count()).select_from(Township)) or 0,
        "poverty_townships": session.scalar(
            select(func.count()).select_from(Township).where(Township.poverty_township)
        )
        or 0,
        "sites": session.scalar(select(func.count()).select_from(Site)) or 0,
    }
