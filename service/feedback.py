"""Fast feedback between trainings: a site's decline reason and a coordinator's
rejection reason change that site's rankings at once.

The rule (README, "The learned ranker"): each reason is sorted into the feature it
complains about by the words it uses —

=============  ==========================================================
feature        words (zh / en)
=============  ==========================================================
distance       距离, 太远, 路远, 路途, 交通不便 / far, distance, travel
availability   时间, 档期, 没空, 时段, 日期 / time, schedule, availab, date
skills         专业, 对口, 技能, 领域, 不懂 / skill, field, speciali, expertise
qualification  职称, 学历, 资质, 资历, 执业 / qualif, title, degree, licen
load           太忙, 负担, 工作量, 精力, 分身 / busy, overload, workload
=============  ==========================================================

— and every such reason given by the site's staff (a decline) or a coordinator (a
rejection) on a match of one of the site's needs, within ``ranker_feedback_days``, adds
``ranker_feedback_step`` to that feature's weight for every need of the site, twice
that for the need it was given on, capped at ``ranker_feedback_cap`` per feature. The
boost applies on either scorer (hand weights or a learned ranker) and lasts until the
reasons age out; a trained ranker learns the lasting lesson from the same decisions. A
declined or rejected pair itself is never proposed again (a hard constraint).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from models import Match, MatchEvent, Need, User
from models.enums import MatchStatus, Role

REASON_WORDS: dict[str, tuple[str, ...]] = {
    "distance": ("距离", "太远", "路远", "路途", "交通不便", "far", "distance", "travel"),
    "availability": ("时间", "档期", "没空", "时段", "日期", "time", "schedule", "availab", "date"),
    "skills": ("专业", "对口", "技能", "领域", "不懂", "skill", "field", "speciali", "expertise"),
    "qualification": ("职称", "学历", "资质", "资历", "执业", "qualif", "title", "degree", "licen"),
    "load": ("太忙", "负担", "工作量", "精力", "分身", "busy", "overload", "workload"),
}


def reason_features(reason: str | None) -> list[str]:
    """The features a reason complains about (may be several, may be none)."""
    text = (reason or "").lower()
    return [f for f, words in REASON_WORDS.items() if any(w in text for w in words)]


def boost_from_reasons(
    reasons: list[tuple[int, str | None]], need_id: int | None, *, step: float, cap: float
) -> dict[str, float]:
    """(need id, reason) pairs of one site -> {feature: added weight} for ``need_id``."""
    counts: Counter[str] = Counter()
    for reason_need, reason in reasons:
        for feature in reason_features(reason):
            counts[feature] += 2 if reason_need == need_id else 1
    return {f: min(cap, step * n) for f, n in sorted(counts.items()) if n}


def site_reasons(
    session: Session, site_id: int, *, days: int, now: datetime | None = None
) -> list[tuple[int, str | None]]:
    """(need id, reason) of site-staff declines and coordinator rejections on the site's
    needs within ``days``."""
    return sites_reasons(session, [site_id], days=days, now=now).get(site_id, [])


@functools.cache
def _reasons_statement() -> Select[int, int, str | None]:
    """The query of :func:`sites_reasons`, built once: every list of candidates asks it,
    and building and keying it anew cost about as much as running it."""
    return (
        select(Need.site_id, Match.need_id, MatchEvent.reason)
        .join(Match, MatchEvent.match_id == Match.id)
        .join(Need, Match.need_id == Need.id)
        .join(User, MatchEvent.actor_id == User.id)
        .where(
            Need.site_id.in_(bindparam("site_ids", expanding=True)),
            MatchEvent.at >= bindparam("since"),
            MatchEvent.reason.is_not(None),
            (
                (MatchEvent.to_status == MatchStatus.DECLINED.value)
                & (User.role == Role.SITE_STAFF.value)
            )
            | (
                (MatchEvent.to_status == MatchStatus.REJECTED.value)
                & User.role.in_([Role.COORDINATOR.value, Role.ADMIN.value])
            ),
        )
    )


def sites_reasons(
    session: Session, site_ids: Sequence[int], *, days: int, now: datetime | None = None
) -> dict[int, list[tuple[int, str | None]]]:
    """:func:`site_reasons` of many sites in one query (a batch run), by site id."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    rows = session.execute(_reasons_statement(), {"site_ids": list(site_ids), "since": since})
    found: dict[int, list[tuple[int, str | None]]] = {}
    for site, need, reason in rows:
        found.setdefault(int(site), []).append((int(need), reason))
    return found


def boost_for_need(
    session: Session, need_id: int, site_id: int | None, *, step: float, cap: float, days: int
) -> dict[str, float]:
    if site_id is None or step <= 0 or cap <= 0:
        return {}
    return boost_from_reasons(
        site_reasons(session, site_id, days=days), need_id, step=step, cap=cap
    )
