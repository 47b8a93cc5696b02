"""The demo registers and trainings: loaded once, valid under the same rules as entered
rows, and counted only when approved."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import RegisterEntry, Training
from models.ledger import LedgerStatus, RegisterKind
from seed.load_ledger_demo import REGISTERS, TRAININGS, load_ledger_demo
from service.usecases import registers
from service.usecases.ledger_review import plan_years
from service.usecases.ledger_totals import register_totals


def test_demo_ledger_loads_once_and_counts_approved_rows(session: Session) -> None:
    before = register_totals(session, year=2020, county=None)
    assert load_ledger_demo(session=session) == len(REGISTERS) + len(TRAININGS)
    assert load_ledger_demo(session=session) == 0
    years = plan_years(session)
    rows = session.scalars(select(RegisterEntry).where(RegisterEntry.external_id.is_not(None)))
    for row in rows:
        assert row.lead_unit in registers.kind_info(RegisterKind(row.kind)).lead_units
        assert row.founded_on.year in years
    after = register_totals(session, year=2020, county=None)
    # 2020, approved: two workstations, one 星创天地, no 候鸟型 (returned), 86 farmers,
    # 58 in the seminar; 养老服务实训基地 is registered without a target.
    assert after["measure_1.workstations"].value - before["measure_1.workstations"].value == 2
    assert after["measure_2.star_spaces"].value - before["measure_2.star_spaces"].value == 1
    assert after["measure_6.flexible_bases"].value == before["measure_6.flexible_bases"].value
    assert after["measure_5.new_farmers"].value - before["measure_5.new_farmers"].value == 86
    assert after["measure_10.seminar"].value - before["measure_10.seminar"].value == 58
    submitted = session.scalars(
        select(Training).where(Training.status == LedgerStatus.SUBMITTED.value)
    ).all()
    assert any(len(t.people) == 3 for t in submitted)
