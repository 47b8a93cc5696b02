"""Builders for the people tests (issue 14): persons, sites in townships, placements and
service records written as real rows, and the demo coordinators as actors."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    CareerFacts,
    Match,
    Need,
    Recruitment,
    ServiceRecord,
    Site,
    Talent,
    Township,
    User,
)
from models.enums import MatchStatus, Mode
from service.actor import Actor

SHUANGBAI = "532322"  # 双柏县, the demo county coordinator's
CHUXIONG = "532301"  # 楚雄市
_seq = itertools.count(1)


def actor(session: Session, username: str) -> Actor:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return Actor.of(user)


def township(session: Session, county: str, name: str) -> Township:
    found = session.scalar(
        select(Township).where(Township.county_code == county, Township.name == name)
    )
    assert found is not None, name
    return found


def person(session: Session, name: str, *, title_level: int = 0, home: str | None = None) -> Talent:
    talent = Talent(
        external_id=f"people-test-{next(_seq)}-{name}",
        name=name,
        category="professional_technician",
        bio="测试人员",
        base_lat=25.0,
        base_lon=101.5,
        title_level=title_level,
        home_county_code=home,
    )
    session.add(talent)
    session.flush()
    return talent


def facts(session: Session, talent: Talent, **values: object) -> None:
    session.add(CareerFacts(talent_id=talent.id, **values))
    session.flush()


def site_in(session: Session, town: Township, site_type: str = "rural_school") -> Site:
    site = Site(
        external_id=f"people-site-{next(_seq)}",
        name=f"{town.name}测试单位",
        site_type=site_type,
        county_code=town.county_code,
        township_id=town.id,
        lat=town.lat,
        lon=town.lon,
        altitude_m=town.altitude_m,
        poverty_township=town.poverty_township,
    )
    session.add(site)
    session.flush()
    return site


def placement(
    session: Session,
    talent: Talent,
    site: Site,
    start: date,
    end: date,
    *,
    mode: Mode = Mode.ONSITE_LONG,
    status: MatchStatus = MatchStatus.COMPLETED,
) -> Match:
    need = Need(
        external_id=f"people-need-{next(_seq)}",
        site_id=site.id,
        title="驻点服务",
        description="长期驻点服务",
        mode=mode.value,
        start_date=start,
        end_date=end,
    )
    session.add(need)
    session.flush()
    match = Match(need_id=need.id, talent_id=talent.id, status=status.value)
    session.add(match)
    session.flush()
    return match


def records(session: Session, match: Match, days: list[date]) -> None:
    for day in days:
        session.add(ServiceRecord(match_id=match.id, date=day, hours=6, outcome="服务"))
    session.flush()


def approved_recruitment(
    session: Session, talent: Talent, town: Township, **values: object
) -> Recruitment:
    row = Recruitment(
        talent_id=talent.id,
        county_code=town.county_code,
        township_id=town.id,
        unit=f"{town.name}卫生院",
        post="临床医生",
        route=values.pop("route", "open"),
        post_grade=values.pop("post_grade", 10),
        degree_level=values.pop("degree_level", 3),
        start_date=values.pop("start_date"),
        status="approved",
        **values,
    )
    session.add(row)
    session.flush()
    return row
