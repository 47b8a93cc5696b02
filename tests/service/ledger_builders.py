"""Rows that keep (or break) a plan line's rule, for the ledger tests."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from sqlalchemy.orm import Session

import reference
from models import Institution, Match, MatchEvent, Need, Site, Talent

SHUANGBAI = "532322"  # 双柏县, a poverty county (reference/data/divisions.json)
CHUXIONG = "532301"  # 楚雄市, not a poverty county
_serial = count(1)


def fitting_match(
    session: Session, line: str, target: reference.Target, county: str = SHUANGBAI
) -> Match:
    """An approved match whose need (under ``line``) and talent keep ``target``'s rule."""
    rule = target.counting
    assert rule is not None
    n = next(_serial)
    site = Site(
        external_id=f"ledger-site-{n}",
        name=f"账本测试单位{n}",
        site_type=(rule.site_types or ("township_public_institution",))[0],
        county_code=county,
        lat=24.69,
        lon=101.64,
        poverty_township=True,
    )
    institution = None
    if rule.institution_types:
        institution = Institution(
            external_id=f"ledger-inst-{n}",
            name=f"账本测试机构{n}",
            institution_type=rule.institution_types[0],
        )
        session.add(institution)
        session.flush()
    talent = Talent(
        external_id=f"ledger-talent-{n}",
        name=f"测试人才{n}",
        category=(rule.talent_categories or ("professional_technician",))[0],
        institution_id=institution.id if institution else None,
        bio="账本测试",
        home_county_code=county,
        base_lat=24.69,
        base_lon=101.64,
    )
    session.add_all([site, talent])
    session.flush()
    start = date.today()
    need = Need(
        external_id=f"ledger-need-{n}",
        site_id=site.id,
        title="账本测试需求",
        description="按行动措施发布的需求",
        skills=[(rule.field_codes or ("agri.extension",))[0]],
        mode=(rule.modes or ("onsite_short",))[0],
        start_date=start,
        end_date=start + timedelta(days=max(rule.min_days or 30, 30)),
        headcount=1,
        days_needed=rule.min_days or 5,
        programme_code=line,
    )
    session.add(need)
    session.flush()
    match = Match(need_id=need.id, talent_id=talent.id, status="approved", origin="coordinator")
    session.add(match)
    session.flush()
    session.add(MatchEvent(match_id=match.id, from_status="accepted", to_status="approved"))
    session.commit()
    return match


def counted_lines() -> list[tuple[str, reference.Target]]:
    """Every (line, target) pair counted from matches, in the plan's order."""
    plan = reference.load_programmes()
    owners = [(g.code, g.targets) for g in plan.goals] + [
        (m.code, m.targets) for m in plan.measures
    ]
    return [(code, t) for code, targets in owners for t in targets if t.counting is not None]
