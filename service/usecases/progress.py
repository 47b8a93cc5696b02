"""Progress of the plan's targets: which matches count toward each, by year and county.

A target's ``counting`` rule (from the plan's reference data) says which matches count:
talent categories, service modes, fields, site types, a minimum duration, poverty
townships only, hometown only; and whether to count distinct talents, matches or sites.
Targets without a rule (编制, 研修班, 招聘…) are reported as counted by hand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, MatchEvent, Need, Programme, Site, Talent, Target
from models.enums import MatchStatus

COUNTED_STATUSES = (
    MatchStatus.APPROVED.value,
    MatchStatus.ACTIVE.value,
    MatchStatus.COMPLETED.value,
)


@dataclass
class TargetProgress:
    programme_code: str
    programme_title: str
    programme_kind: str
    text: str
    value: float | None
    unit: str | None
    approx: bool
    at_least: bool
    year: int | None
    counted_by_hand: bool
    achieved: int = 0
    share: float | None = None
    match_ids: list[int] = field(default_factory=list)
    by_county: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    match_id: int
    talent_id: int
    site_id: int
    county: str
    category: str
    mode: str
    skills: tuple[str, ...]
    site_type: str
    days: int
    poverty: bool
    hometown: bool
    year: int


def _counted_rows(session: Session, county: str | None) -> list[_Row]:
    approved_at = (
        select(MatchEvent.match_id, MatchEvent.at)
        .where(MatchEvent.to_status == MatchStatus.APPROVED.value)
        .subquery()
    )
    stmt = (
        select(
            Match.id,
            Match.talent_id,
            Match.created_at,
            approved_at.c.at,
            Need.site_id,
            Need.mode,
            Need.skills,
            Need.days_needed,
            Site.county_code,
            Site.site_type,
            Site.poverty_township,
            Talent.category,
            Talent.home_county_code,
        )
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .join(Talent, Match.talent_id == Talent.id)
        .outerjoin(approved_at, approved_at.c.match_id == Match.id)
        .where(Match.status.in_(COUNTED_STATUSES))
    )
    if county:
        stmt = stmt.where(Site.county_code == county)
    rows = []
    for r in session.execute(stmt):
        when = r.at or r.created_at
        rows.append(
            _Row(
                r.id,
                r.talent_id,
                r.site_id,
                r.county_code,
                r.category,
                r.mode,
                tuple(r.skills or ()),
                r.site_type,
                r.days_needed,
                bool(r.poverty_township),
                r.home_county_code == r.county_code,
                when.year,
            )
        )
    return rows


def _counts(rule: dict[str, Any], row: _Row) -> bool:
    def allowed(key: str, value: str) -> bool:
        values = rule.get(key)
        return values is None or value in values

    if not (
        allowed("talent_categories", row.category)
        and allowed("modes", row.mode)
        and allowed("site_types", row.site_type)
    ):
        return False
    fields = rule.get("field_codes")
    if fields is not None and not set(fields) & set(row.skills):
        return False
    if rule.get("min_days") and row.days < rule["min_days"]:
        return False
    if rule.get("poverty_township_only") and not row.poverty:
        return False
    return not (rule.get("home_county_match") and not row.hometown)


def progress(
    *,
    session: Session,
    year: int | None = None,
    county: str | None = None,
    programme: str | None = None,
) -> list[TargetProgress]:
    year = year or date.today().year
    rows = _counted_rows(session, county)
    stmt = (
        select(Target, Programme)
        .join(Programme, Target.programme_id == Programme.id)
        .where((Target.year == year) | Target.year.is_(None))
        .order_by(Programme.sort_order, Target.seq)
    )
    if programme:
        stmt = stmt.where(Programme.code == programme)
    out = []
    for target, prog in session.execute(stmt):
        item = TargetProgress(
            programme_code=prog.code,
            programme_title=prog.title,
            programme_kind=prog.kind,
            text=target.text,
            value=target.value,
            unit=target.unit,
            approx=target.approx,
            at_least=target.at_least,
            year=target.year,
            counted_by_hand=target.counting is None,
        )
        rule = target.counting
        if rule is not None:
            chosen = [
                r
                for r in rows
                if (target.year is None or r.year == target.year) and _counts(rule, r)
            ]
            kind = rule.get("count", "matches")
            by_county: dict[str, set[int]] = defaultdict(set)
            for r in chosen:
                key = {"distinct_talents": r.talent_id, "coverage_sites": r.site_id}.get(
                    kind, r.match_id
                )
                by_county[r.county].add(key)
            units = set().union(*by_county.values()) if by_county else set()
            item.achieved = len(units)
            item.by_county = {c: len(v) for c, v in sorted(by_county.items())}
            item.match_ids = sorted(r.match_id for r in chosen)
            if target.value:
                item.share = round(item.achieved / target.value, 4)
        out.append(item)
    return out
