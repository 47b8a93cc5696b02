"""Every database constraint rejects the bad row it exists for, on SQLite and PostgreSQL.
Each case starts from a valid row, breaks one thing, and expects the database (not
Python) to refuse it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import (
    AvailabilityWindow,
    County,
    Institution,
    Match,
    Need,
    Pairing,
    Programme,
    ServiceRecord,
    Site,
    Talent,
    Target,
    Township,
    User,
)

TODAY = date(2026, 3, 1)


def _ids(session: Session) -> dict[str, Any]:
    site = session.scalars(select(Site).order_by(Site.id)).first()
    talent = session.scalars(select(Talent).order_by(Talent.id)).first()
    need = session.scalars(select(Need).order_by(Need.id)).first()
    institution = session.scalars(select(Institution).order_by(Institution.id)).first()
    programme = session.scalars(select(Programme).order_by(Programme.id)).first()
    assert site and talent and need and institution and programme
    return {
        "site": site.id,
        "talent": talent.id,
        "need": need.id,
        "institution": institution.id,
        "programme": programme.id,
        "county": site.county_code,
    }


def site_row(ids: dict[str, Any], **bad: Any) -> tuple[Any, dict[str, Any]]:
    return Site, {
        "external_id": "X-S",
        "name": "测试卫生院",
        "site_type": "township_health_center",
        "county_code": ids["county"],
        "lat": 25.0,
        "lon": 101.5,
        **bad,
    }


def need_row(ids: dict[str, Any], **bad: Any) -> tuple[Any, dict[str, Any]]:
    return Need, {
        "external_id": "X-N",
        "site_id": ids["site"],
        "title": "t",
        "description": "需要全科医生",
        "skills": [],
        "licences": [],
        "languages": [],
        "mode": "remote",
        "start_date": TODAY,
        "end_date": TODAY + timedelta(days=9),
        "headcount": 1,
        "days_needed": 1,
        "min_title_level": 0,
        "min_degree_level": 0,
        "status": "open",
        **bad,
    }


def talent_row(ids: dict[str, Any], **bad: Any) -> tuple[Any, dict[str, Any]]:
    return Talent, {
        "external_id": "X-T",
        "name": "张三",
        "category": "expert",
        "bio": "专家",
        "base_lat": 25.0,
        "base_lon": 101.5,
        "licences": [],
        "languages": [],
        "skills": [],
        "modes": ["remote"],
        "title_level": 3,
        "degree_level": 3,
        "travel_radius_km": 50,
        "capacity_concurrent": 1,
        "capacity_days_per_year": 30,
        "active": True,
        **bad,
    }


def match_row(ids: dict[str, Any], **bad: Any) -> tuple[Any, dict[str, Any]]:
    return Match, {
        "need_id": ids["need"],
        "talent_id": ids["talent"],
        "score": 0.5,
        "breakdown": [],
        "status": "proposed",
        "origin": "batch",
        "version": 1,
        **bad,
    }


def user_row(ids: dict[str, Any], **bad: Any) -> tuple[Any, dict[str, Any]]:
    return User, {
        "username": "x-user",
        "password_hash": "h",
        "role": "admin",
        "display_name": "x",
        "locale": "zh-CN",
        "active": True,
        **bad,
    }


def record_row(ids: dict[str, Any], match_id: int, **bad: Any) -> tuple[Any, dict[str, Any]]:
    return ServiceRecord, {
        "match_id": match_id,
        "date": TODAY,
        "hours": 2,
        "visits": 1,
        "people_trained": 3,
        "outcome": "",
        **bad,
    }


Case = Callable[[dict[str, Any]], tuple[Any, dict[str, Any]]]

CASES: dict[str, Case] = {
    "site in an unknown county": lambda i: site_row(i, county_code="999999"),
    "site latitude out of range": lambda i: site_row(i, lat=123.0),
    "site without a name": lambda i: site_row(i, name=""),
    "site name NULL": lambda i: site_row(i, name=None),
    "need window end before start": lambda i: need_row(i, end_date=TODAY - timedelta(days=1)),
    "need headcount zero": lambda i: need_row(i, headcount=0),
    "need days zero": lambda i: need_row(i, days_needed=0),
    "need unknown mode": lambda i: need_row(i, mode="by_pigeon"),
    "need unknown status": lambda i: need_row(i, status="lost"),
    "need title level 9": lambda i: need_row(i, min_title_level=9),
    "need degree level -1": lambda i: need_row(i, min_degree_level=-1),
    "need empty description": lambda i: need_row(i, description=""),
    "need for a missing site": lambda i: need_row(i, site_id=10**9),
    "need for an unknown programme": lambda i: need_row(i, programme_code="no-such"),
    "talent negative radius": lambda i: talent_row(i, travel_radius_km=-1),
    "talent negative capacity": lambda i: talent_row(i, capacity_concurrent=-1),
    "talent 400 days a year": lambda i: talent_row(i, capacity_days_per_year=400),
    "talent title level 6": lambda i: talent_row(i, title_level=6),
    "talent unknown home county": lambda i: talent_row(i, home_county_code="000000"),
    "talent longitude out of range": lambda i: talent_row(i, base_lon=200.0),
    "match unknown status": lambda i: match_row(i, status="maybe"),
    "match unknown origin": lambda i: match_row(i, origin="rumour"),
    "match version zero": lambda i: match_row(i, version=0),
    "match for a missing talent": lambda i: match_row(i, talent_id=10**9),
    "user unknown role": lambda i: user_row(i, role="king"),
    "site staff without a site": lambda i: user_row(i, role="site_staff"),
    "talent user without a profile": lambda i: user_row(i, role="talent"),
    "user unknown locale": lambda i: user_row(i, locale="fr"),
    "user in an unknown jurisdiction": lambda i: user_row(
        i, role="coordinator", jurisdiction="000000"
    ),
    "window end before start": lambda i: (
        AvailabilityWindow,
        {"talent_id": i["talent"], "start_date": TODAY, "end_date": TODAY - timedelta(days=1)},
    ),
    "pairing with no counterpart": lambda i: (
        Pairing,
        {"institution_id": i["institution"], "kind": "one_to_one", "start_date": TODAY},
    ),
    "pairing unknown kind": lambda i: (
        Pairing,
        {
            "institution_id": i["institution"],
            "site_id": i["site"],
            "kind": "friendship",
            "start_date": TODAY,
        },
    ),
    "target negative value": lambda i: (
        Target,
        {
            "programme_id": i["programme"],
            "seq": 99,
            "year": 2021,
            "text": "x",
            "value": -5,
            "period": "yearly",
            "approx": False,
            "at_least": False,
        },
    ),
    "target year 1900": lambda i: (
        Target,
        {
            "programme_id": i["programme"],
            "seq": 99,
            "year": 1900,
            "text": "x",
            "value": 5,
            "period": "yearly",
            "approx": False,
            "at_least": False,
        },
    ),
    "programme measure number 11": lambda i: (
        Programme,
        {
            "code": "x",
            "kind": "measure",
            "number": 11,
            "title": "x",
            "content": "x",
            "lead_units": [],
            "responsible_units": [],
            "fields": [],
            "sort_order": 0,
        },
    ),
    "township duplicated in a county": lambda i: (
        Township,
        {"county_code": i["county"], "name": _a_township(i), "lat": 25.0, "lon": 101.5},
    ),
    "county name duplicated": lambda i: (
        County,
        {"code": "532399", "name": "双柏县", "name_en": "x", "lat": 25.0, "lon": 101.5},
    ),
}

_TOWNSHIPS: dict[str, str] = {}


def _a_township(ids: dict[str, Any]) -> str:
    return _TOWNSHIPS[ids["county"]]


@pytest.mark.parametrize("case", sorted(CASES))
def test_constraint_rejects_bad_row(case: str, session: Session) -> None:
    ids = _ids(session)
    name = session.scalars(
        select(Township.name).where(Township.county_code == ids["county"])
    ).first()
    assert name is not None
    _TOWNSHIPS[ids["county"]] = name
    model, values = CASES[case](ids)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(insert(model).values(**_with_timestamps(model, values)))


def _with_timestamps(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    now = datetime.now(UTC)
    for column in ("created_at", "updated_at"):
        if column in model.__table__.c and column not in values:
            values[column] = now
    return values


def test_the_valid_rows_are_accepted(session: Session) -> None:
    """The cases above fail for the broken field alone: the unbroken rows insert."""
    ids = _ids(session)
    for builder in (site_row, need_row, talent_row, user_row):
        model, values = builder(ids)
        with session.begin_nested():
            session.execute(insert(model).values(**_with_timestamps(model, values)))
    assert session.scalars(select(Site).where(Site.external_id == "X-S")).one().name == "测试卫生院"


def test_a_need_talent_pair_is_matched_once(session: Session) -> None:
    ids = _ids(session)
    model, values = match_row(ids)
    with session.begin_nested():
        session.execute(insert(model).values(**_with_timestamps(model, values)))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(insert(model).values(**_with_timestamps(model, match_row(ids)[1])))


def test_service_record_ranges(session: Session) -> None:
    ids = _ids(session)
    model, values = match_row(ids, status="active")
    with session.begin_nested():
        match_id = session.execute(
            insert(model).values(**_with_timestamps(model, values)).returning(Match.id)
        ).scalar_one()
    for bad in ({"hours": 30}, {"visits": -1}, {"people_trained": -2}, {"rating": 6}):
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(insert(ServiceRecord).values(**record_row(ids, match_id, **bad)[1]))
    with session.begin_nested():
        session.execute(insert(ServiceRecord).values(**record_row(ids, match_id, rating=5)[1]))
