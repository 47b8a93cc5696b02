"""Trainings: events whose participants count toward a target (新型职业农民培养,
一村一幼师/一村一医生 and the other 培育 of measure 5, 高层次人才州情研修班 of measure 10).
Entered and reviewed like a register row; an approved training counts its participants
toward its target for its county and the year it starts.

Service records' ``people_trained`` roll into 新型职业农民 through "confirm people
trained": a coordinator picks a county and year, and the unconfirmed records with people
trained become one training (submitted, to be approved like any other) that references
them. The link table's primary key is the service record, so a record is confirmed at
most once even when two coordinators confirm at the same moment."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from models import Match, Need, ServiceRecord, Site, Training
from models.ledger import (
    PEOPLE_TRAINED_TARGET,
    TRAINING_TARGETS,
    LedgerStatus,
    TrainingParticipant,
    TrainingServiceRecord,
)
from models.schemas.ledger import ConfirmPeopleTrained, TrainingCreate
from models.schemas.page import Page
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.usecases import ledger_review as review
from service.usecases.registers import year_clause

_AUDIT_FIELDS = (
    "title",
    "target_key",
    "county_code",
    "starts_on",
    "ends_on",
    "organiser",
    "participants",
    "status",
)


def _add(session: Session, actor: Actor, training: Training, action: str) -> Training:
    session.add(training)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action=action,
        entity="training",
        entity_id=training.id,
        after={
            **audit.snapshot(training, _AUDIT_FIELDS),
            "service_record_ids": [link.service_record_id for link in training.service_records],
        },
    )
    return training


def create(*, session: Session, actor: Actor, body: TrainingCreate) -> Training:
    """Enter a training (status submitted); commits. Nothing is written when a field is
    wrong: 422 naming it, or 404 for a county outside the jurisdiction."""
    review.check_county(session, actor, body.county_code)
    review.check_choice("target", body.target, tuple(TRAINING_TARGETS))
    review.check_plan_year(session, "starts_on", body.starts_on)
    training = Training(
        title=body.title.strip(),
        target_key=body.target,
        county_code=body.county_code,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        organiser=body.organiser.strip(),
        participants=body.participants,
        note=body.note,
        status=LedgerStatus.SUBMITTED.value,
        entered_by=actor.id,
        people=[TrainingParticipant(name=name) for name in body.names],
    )
    _add(session, actor, training, "create")
    session.commit()
    return training


def _records_query(county: str, year: int) -> Select[ServiceRecord]:
    return (
        select(ServiceRecord)
        .join(Match, Match.id == ServiceRecord.match_id)
        .join(Need, Need.id == Match.need_id)
        .join(Site, Site.id == Need.site_id)
        .where(
            Site.county_code == county,
            year_clause(ServiceRecord.date, year),
            ServiceRecord.people_trained > 0,
        )
    )


def confirmable_records(session: Session, county: str, year: int) -> list[ServiceRecord]:
    """The county's records of ``year`` with people trained, not yet confirmed."""
    confirmed = select(TrainingServiceRecord.service_record_id)
    stmt = _records_query(county, year).where(ServiceRecord.id.not_in(confirmed))
    return list(session.scalars(stmt.order_by(ServiceRecord.date, ServiceRecord.id)))


def _chosen_records(session: Session, body: ConfirmPeopleTrained) -> list[ServiceRecord]:
    if body.service_record_ids is None:
        records = confirmable_records(session, body.county_code, body.year)
        if not records:
            raise review.invalid(
                "year",
                f"no unconfirmed service records with people trained in "
                f"{body.county_code} for {body.year}",
                body.year,
                "该县市该年度没有待确认的培训人数记录",
            )
        return records
    wanted = sorted(set(body.service_record_ids))
    stmt = _records_query(body.county_code, body.year).where(ServiceRecord.id.in_(wanted))
    found = {r.id: r for r in session.scalars(stmt)}
    for record_id in wanted:
        if record_id not in found:
            raise review.invalid(
                "service_record_ids",
                f"service record {record_id} is not a record of {body.county_code} in "
                f"{body.year} with people trained",
                record_id,
                f"服务记录 {record_id} 不属于该县市该年度，或没有培训人数",
            )
    _refuse_confirmed(session, wanted)
    return [found[i] for i in wanted]


def _refuse_confirmed(session: Session, record_ids: list[int]) -> None:
    done = session.scalars(
        select(TrainingServiceRecord.service_record_id).where(
            TrainingServiceRecord.service_record_id.in_(record_ids)
        )
    ).all()
    if done:
        raise _already_confirmed(sorted(done))


def _already_confirmed(record_ids: list[int]) -> AppError:
    return AppError(
        409,
        "already_confirmed",
        f"service records {record_ids} were already confirmed into a training",
        f"服务记录 {record_ids} 已确认过，不能重复计入",
        [FieldError("service_record_ids", "already confirmed", record_ids)],
    )


def confirm_people_trained(
    *, session: Session, actor: Actor, body: ConfirmPeopleTrained
) -> Training:
    """Roll a county and year's service records' people trained into one training toward
    新型职业农民; commits. Each record is confirmed once: a second confirmation is 409."""
    county = review.check_county(session, actor, body.county_code)
    review.check_plan_year_number(session, "year", body.year)
    records = _chosen_records(session, body)
    training = Training(
        title=body.title.strip() or f"{county.name}{body.year}年服务记录培训人数确认",
        target_key=PEOPLE_TRAINED_TARGET,
        county_code=body.county_code,
        starts_on=min(r.date for r in records),
        ends_on=max(r.date for r in records),
        organiser=county.name,
        participants=sum(r.people_trained for r in records),
        status=LedgerStatus.SUBMITTED.value,
        entered_by=actor.id,
        service_records=[
            TrainingServiceRecord(service_record_id=r.id, people_trained=r.people_trained)
            for r in records
        ],
    )
    try:
        _add(session, actor, training, "confirm_people_trained")
        session.commit()
    except IntegrityError:
        session.rollback()
        raise _already_confirmed([r.id for r in records]) from None
    return training


def get(*, session: Session, actor: Actor, training_id: int) -> Training:
    row: Training = review.load_visible(session, actor, Training, training_id)
    return row


def approve(*, session: Session, actor: Actor, training_id: int) -> Training:
    row: Training = review.decide(session, actor, Training, training_id, approve=True)
    return row


def return_(*, session: Session, actor: Actor, training_id: int, reason: str) -> Training:
    row: Training = review.decide(
        session, actor, Training, training_id, approve=False, reason=reason.strip()
    )
    return row


def list_(
    *,
    session: Session,
    actor: Actor,
    target: str | None = None,
    county: str | None = None,
    year: int | None = None,
    status: LedgerStatus | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[Training]:
    stmt = policy.visible_ledger(actor, select(Training), Training.county_code)
    if target:
        stmt = stmt.where(Training.target_key == target)
    if county:
        stmt = stmt.where(Training.county_code == county)
    if year is not None:
        stmt = stmt.where(year_clause(Training.starts_on, year))
    if status is not None:
        stmt = stmt.where(Training.status == status.value)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(selectinload(Training.people), selectinload(Training.service_records))
        .order_by(Training.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return Page(items=list(rows), total=total, offset=offset, limit=limit)
