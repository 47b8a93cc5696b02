"""Recruitments, pools, movements, rotations and ledgers as the API's read schemas, with
their words in the reader's language (one place for the JSON routes and the pages)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Recruitment, Rotation, StaffingMovement, StaffingPool, Talent
from models.schemas.people import (
    CheckRead,
    MovementRead,
    PeriodRead,
    PoolRead,
    RecruitmentRead,
    RotationRead,
    ServiceLedgerRead,
)
from service.i18n import translate
from service.usecases import people_rules as rules
from service.usecases import recruitments
from service.usecases.service_ledger import Ledger, period_label
from service.usecases.staffing import movement_label_key


def check_read(check: rules.Check, locale: str) -> CheckRead:
    return CheckRead(**check.as_dict(locale))


def recruitment_read(
    session: Session, row: Recruitment, locale: str, *, high_altitude_m: float
) -> RecruitmentRead:
    out = RecruitmentRead.model_validate(row)
    talent = session.get(Talent, row.talent_id)
    out.person = talent.name if talent else ""
    out.route_label = translate(f"people.route.{row.route}", locale)
    out.grade_label = translate(f"people.grade.{row.post_grade}", locale)
    out.status_label = translate(f"ledger.status.{row.status}", locale)
    found = recruitments.assess(session, row, high_altitude_m=high_altitude_m)
    out.target = found.target
    out.subsidies = [check_read(c, locale) for c in found.subsidies]
    out.conditions = [check_read(c, locale) for c in found.conditions]
    return out


def pool_read(pool: StaffingPool, locale: str) -> PoolRead:
    out = PoolRead.model_validate(pool)
    out.sector_label = translate(f"people.sector.{pool.sector}", locale)
    out.in_use = pool.approved_total - pool.available - pool.reserved
    return out


def movement_read(row: StaffingMovement, sector: str, locale: str) -> MovementRead:
    out = MovementRead.model_validate(row)
    out.kind_label = translate(movement_label_key(row.kind, sector), locale)
    return out


def rotation_read(session: Session, row: Rotation, locale: str) -> RotationRead:
    out = RotationRead.model_validate(row)
    talent = session.get(Talent, row.talent_id)
    out.person = talent.name if talent else ""
    out.kind_label = translate(f"people.rotation.{row.kind}", locale)
    return out


def ledger_read(session: Session, ledger: Ledger, locale: str) -> ServiceLedgerRead:
    return ServiceLedgerRead(
        talent_id=ledger.talent.id,
        person=ledger.talent.name,
        as_of=ledger.as_of,
        series=ledger.person.series,
        title_level=ledger.person.title_level,
        total_days=ledger.total_days,
        periods=[
            PeriodRead(
                source=p.source,
                source_label=period_label(p, locale),
                place=p.place,
                poverty_township=p.poverty_township,
                poverty_county=p.poverty_county,
                altitude_m=p.altitude_m,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                days=p.days,
                decision=p.decision,
                decision_reason=p.decision_reason,
            )
            for p in ledger.periods
        ],
        rules=[check_read(c, locale) for c in ledger.rules],
        rotations=[rotation_read(session, r, locale) for r in ledger.rotations],
    )
