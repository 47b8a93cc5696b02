"""The demo people records (issue 14): loaded once, pools whose rows agree with their
movements, recruitments that satisfy the plan's route rules, and service history in
which every 职称 rule shows a real case, met and not met."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Recruitment, Rotation, StaffingMovement, StaffingPool, Talent
from models.people import RecruitmentRoute
from seed.load_people_demo import HIRES, load_people_demo
from service.usecases import people_rules as rules
from service.usecases import recruitments, service_ledger, staffing

AS_OF = date(2026, 6, 30)


def test_demo_people_load_once_and_show_every_rule(session: Session) -> None:
    added = load_people_demo(session=session)
    assert added > len(HIRES)
    assert load_people_demo(session=session) == 0
    demo = session.scalars(
        select(Recruitment).where(Recruitment.external_id.like("demo-rec-%"))
    ).all()
    assert len(demo) == len(HIRES)
    # Each demo recruitment keeps the rules a coordinator's entry would be held to.
    for row in demo:
        place = recruitments.place_of(session, row.county_code, row.township_id)
        route = RecruitmentRoute(row.route)
        candidate = recruitments.candidate_of(row)
        if route is RecruitmentRoute.SPECIAL_POST:
            assert not rules.special_post_problems(
                candidate, place, township_level=row.township_id is not None
            )
        if route is RecruitmentRoute.SHORTAGE:
            assert rules.shortage_eligible(rules.shortage_conditions(candidate, place))
    # Pool rows equal the last figures of their movements; none is ever negative.
    for pool in session.scalars(
        select(StaffingPool).where(StaffingPool.external_id.like("demo-pool-%"))
    ):
        moves = session.scalars(
            select(StaffingMovement)
            .where(StaffingMovement.pool_id == pool.id)
            .order_by(StaffingMovement.id)
        ).all()
        assert staffing.running_balance_ok(list(moves))
        last = moves[-1]
        assert (last.available_after, last.reserved_after, last.total_after) == (
            pool.available,
            pool.reserved,
            pool.approved_total,
        )
    # Every rule has a person who meets it and one who does not.
    seen: dict[str, set[bool]] = {}
    people = {r.talent_id for r in demo} | set(
        session.scalars(select(Rotation.talent_id).where(Rotation.external_id.like("demo-rot-%")))
    )
    for tid in people:
        talent = session.get(Talent, tid)
        assert talent is not None
        for check in service_ledger.build(session, talent, AS_OF).rules:
            if check.applies:
                seen.setdefault(check.code, set()).add(check.met)
    for code in ("senior_service", "grassroots_associate_senior", "term_priority"):
        assert seen.get(code) == {True, False}, (code, seen)
    # At least one demo person may apply for a first 职称 a year early.
    early = seen.get("early_first_title", set())
    assert any(early), ("no demo person is eligible for an early first title", seen)
