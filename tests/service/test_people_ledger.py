"""The grassroots-service ledger and the 职称 rules of 措施10 (issue 14): each worked
case is computed from placements, service records, rotations and recruitments written as
rows — never typed in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Rotation
from models.enums import Mode
from models.people import PeriodDecision
from models.schemas.people import PeriodReviewBody
from service.errors import AppError
from service.usecases import service_ledger
from tests.service.people_builders import (
    CHUXIONG,
    SHUANGBAI,
    actor,
    approved_recruitment,
    facts,
    person,
    placement,
    records,
    site_in,
    township,
)

AS_OF = date(2026, 6, 30)


def _rule(ledger: service_ledger.Ledger, code: str) -> dict[str, object]:
    return next(c.as_dict("zh-CN") for c in ledger.rules if c.code == code)


def test_teacher_with_eleven_months_is_not_eligible_and_with_twelve_is(session: Session) -> None:
    town = township(session, SHUANGBAI, "鄂嘉镇")
    school = site_in(session, town)
    eleven = person(session, "十一个月教师", title_level=3)
    facts(session, eleven, series="education")
    placement(session, eleven, school, date(2022, 1, 1), date(2022, 11, 30))
    twelve = person(session, "十二个月教师", title_level=3)
    facts(session, twelve, series="education")
    placement(session, twelve, school, date(2022, 1, 1), date(2022, 12, 31))

    short = service_ledger.build(session, eleven, AS_OF)
    assert short.total_days == 334
    rule = _rule(short, "senior_service")
    assert rule["applies"] is True and rule["met"] is False
    assert "334 天" in rule["reasons"][0]  # type: ignore[index]

    full = service_ledger.build(session, twelve, AS_OF)
    assert full.total_days == 365
    rule = _rule(full, "senior_service")
    assert rule["met"] is True and rule["on"] == "2022-12-31"


def test_service_records_of_short_visits_make_up_the_twelfth_month(session: Session) -> None:
    town = township(session, SHUANGBAI, "大麦地镇")
    school = site_in(session, town)
    teacher = person(session, "记录补足教师", title_level=3)
    facts(session, teacher, series="education")
    placement(session, teacher, school, date(2023, 1, 1), date(2023, 11, 30))
    visits = placement(
        session, teacher, school, date(2023, 12, 1), date(2023, 12, 31), mode=Mode.ONSITE_SHORT
    )
    december = [date(2023, 12, 1) + timedelta(days=i) for i in range(31)]
    records(session, visits, december[:30])
    ledger = service_ledger.build(session, teacher, AS_OF)
    assert ledger.total_days == 364
    assert _rule(ledger, "senior_service")["met"] is False
    records(session, visits, december[30:])
    ledger = service_ledger.build(session, teacher, AS_OF)
    assert ledger.total_days == 365
    assert _rule(ledger, "senior_service")["met"] is True
    assert {p.kind for p in ledger.periods} == {"placement", "record"}


def test_doctor_with_ten_continuous_township_years_since_intermediate_is_flagged(
    session: Session,
) -> None:
    town = township(session, SHUANGBAI, "安龙堡乡")
    doctor = person(session, "十年乡镇医生", title_level=3)
    facts(session, doctor, series="health", intermediate_since=date(2014, 6, 1))
    approved_recruitment(session, doctor, town, start_date=date(2012, 3, 1))
    ten_years_less_a_day = service_ledger.build(session, doctor, date(2024, 5, 30))
    assert _rule(ten_years_less_a_day, "grassroots_associate_senior")["met"] is False
    ledger = service_ledger.build(session, doctor, date(2024, 5, 31))
    rule = _rule(ledger, "grassroots_associate_senior")
    assert rule["met"] is True and rule["on"] == "2024-05-31"
    assert "2014-06-01" in rule["reasons"][0]  # type: ignore[index]
    assert ledger.periods[0].poverty_township is True
    assert ledger.periods[0].altitude_m == town.altitude_m


def test_a_gap_in_service_breaks_continuity(session: Session) -> None:
    town = township(session, SHUANGBAI, "独田乡")
    doctor = person(session, "中断医生", title_level=3)
    facts(session, doctor, series="health", intermediate_since=date(2012, 1, 1))
    approved_recruitment(
        session, doctor, town, start_date=date(2011, 3, 1), ended_on=date(2018, 12, 31)
    )
    session.add(
        Rotation(
            talent_id=doctor.id,
            kind="township",
            county_code=SHUANGBAI,
            employer_unit="双柏县人民医院",
            host_unit="独田乡卫生院",
            host_township_id=town.id,
            starts_on=date(2019, 2, 1),
            ends_on=date(2026, 12, 31),
        )
    )
    session.flush()
    ledger = service_ledger.build(session, doctor, AS_OF)
    assert ledger.total_days > 365 * 14  # fourteen years served, but not in one run
    rule = _rule(ledger, "grassroots_associate_senior")
    assert rule["met"] is False
    reasons = " ".join(rule["reasons"])  # type: ignore[arg-type]
    assert "间断" in reasons and "2019-02-01" in reasons
    # Without the gap (the rotation starting the day after leaving), the run is unbroken.
    rotation = session.scalars(select(Rotation).where(Rotation.talent_id == doctor.id)).one()
    rotation.starts_on = date(2019, 1, 1)
    session.flush()
    assert (
        _rule(service_ledger.build(session, doctor, AS_OF), "grassroots_associate_senior")["met"]
        is True
    )


def test_graduate_at_township_may_apply_for_first_title_a_year_early(session: Session) -> None:
    town = township(session, SHUANGBAI, "爱尼山乡")
    graduate = person(session, "乡镇毕业生")
    facts(
        session, graduate, series="agri_tech", regular_graduate=True, graduated_on=date(2025, 7, 1)
    )
    approved_recruitment(session, graduate, town, start_date=date(2025, 9, 1))
    ledger = service_ledger.build(session, graduate, AS_OF)
    assert _rule(ledger, "early_first_title")["met"] is True
    # Placed at county level only: the rule does not hold.
    county_grad = person(session, "县城毕业生")
    facts(
        session,
        county_grad,
        series="agri_tech",
        regular_graduate=True,
        graduated_on=date(2025, 7, 1),
    )
    assert (
        _rule(service_ledger.build(session, county_grad, AS_OF), "early_first_title")["met"]
        is False
    )


def test_term_assessment_gives_priority_only_when_qualified(session: Session) -> None:
    town = township(session, SHUANGBAI, "鄂嘉镇")
    ok = person(session, "三支一扶合格")
    approved_recruitment(
        session,
        ok,
        town,
        route="sanzhi_yifu",
        start_date=date(2022, 9, 1),
        term_assessment="qualified",
        assessed_on=date(2024, 8, 31),
    )
    failed = person(session, "三支一扶不合格")
    approved_recruitment(
        session,
        failed,
        town,
        route="sanzhi_yifu",
        start_date=date(2022, 9, 1),
        term_assessment="unqualified",
        assessed_on=date(2024, 8, 31),
    )
    rule = _rule(service_ledger.build(session, ok, AS_OF), "term_priority")
    assert rule["met"] is True and rule["on"] == "2024-08-31"
    assert "合格" in rule["reasons"][0]  # type: ignore[index]
    assert _rule(service_ledger.build(session, failed, AS_OF), "term_priority")["met"] is False


def test_officer_corrects_a_period_with_a_reason_audited(session: Session) -> None:
    town = township(session, SHUANGBAI, "鄂嘉镇")
    teacher = person(session, "待核实教师", title_level=3)
    facts(session, teacher, series="education")
    match = placement(
        session, teacher, site_in(session, town), date(2022, 1, 1), date(2022, 12, 31)
    )
    officer = actor(session, "county")
    body = PeriodReviewBody(
        source=f"placement:{match.id}",
        decision=PeriodDecision.CORRECT,
        starts_on=date(2022, 3, 1),
        ends_on=date(2022, 12, 31),
        reason="1–2月在县城培训，未在乡镇",
    )
    service_ledger.review_period(
        session=session, actor=officer, talent_id=teacher.id, body=body, as_of=AS_OF
    )
    ledger = service_ledger.build(session, teacher, AS_OF)
    assert ledger.periods[0].starts_on == date(2022, 3, 1)
    assert ledger.periods[0].decision == "correct"
    assert _rule(ledger, "senior_service")["met"] is False
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "service_period_review")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.after["reason"] == "1–2月在县城培训，未在乡镇"  # type: ignore[index]


def test_officer_of_another_county_cannot_read_the_ledger(session: Session) -> None:
    town = township(session, CHUXIONG, "东华镇")
    outsider = person(session, "楚雄市教师")
    placement(session, outsider, site_in(session, town), date(2022, 1, 1), date(2022, 12, 31))
    with pytest.raises(AppError) as err:
        service_ledger.for_person(
            session=session, actor=actor(session, "county"), talent_id=outsider.id, as_of=AS_OF
        )
    assert err.value.status == 404
    ledger = service_ledger.for_person(
        session=session, actor=actor(session, "zhou"), talent_id=outsider.id, as_of=AS_OF
    )
    assert ledger.total_days == 365
