"""Trainings (新型职业农民培养, 一村一幼师/一村一医生, 州情研修班): list, enter, approve,
return, and "confirm people trained" over a county and year's service records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from models import Training
from models.ledger import LedgerStatus
from models.schemas.ledger import ConfirmPeopleTrained, ReturnBody, TrainingCreate, TrainingRead
from models.schemas.page import Page
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.i18n import translate
from service.usecases import trainings

router = APIRouter(tags=["trainings"])


def training_read(row: Training, locale: str) -> TrainingRead:
    out = TrainingRead.model_validate(row)
    out.status_label = translate(f"ledger.status.{row.status}", locale)
    out.names = [p.name for p in row.people]
    out.service_record_ids = [link.service_record_id for link in row.service_records]
    return out


@router.get("/trainings", response_model=Page[TrainingRead])
def list_trainings(
    actor: ActorDep,
    session: SessionDep,
    target: Annotated[str | None, Query(max_length=64)] = None,
    county: Annotated[str | None, Query(max_length=12)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: LedgerStatus | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[TrainingRead]:
    page = trainings.list_(
        session=session,
        actor=actor,
        target=target,
        county=county,
        year=year,
        status=status,
        offset=offset,
        limit=limit,
    )
    return Page(
        items=[training_read(t, actor.locale) for t in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("/trainings", response_model=TrainingRead, status_code=201)
def create_training(body: TrainingCreate, actor: ActorDep, session: SessionDep) -> TrainingRead:
    return training_read(trainings.create(session=session, actor=actor, body=body), actor.locale)


@router.post("/trainings/confirm-people-trained", response_model=TrainingRead, status_code=201)
def confirm_people_trained(
    body: ConfirmPeopleTrained, actor: ActorDep, session: SessionDep
) -> TrainingRead:
    row = trainings.confirm_people_trained(session=session, actor=actor, body=body)
    return training_read(row, actor.locale)


@router.get("/trainings/{training_id}", response_model=TrainingRead)
def get_training(training_id: PathId, actor: ActorDep, session: SessionDep) -> TrainingRead:
    row = trainings.get(session=session, actor=actor, training_id=training_id)
    return training_read(row, actor.locale)


@router.post("/trainings/{training_id}/approve", response_model=TrainingRead)
def approve_training(training_id: PathId, actor: ActorDep, session: SessionDep) -> TrainingRead:
    row = trainings.approve(session=session, actor=actor, training_id=training_id)
    return training_read(row, actor.locale)


@router.post("/trainings/{training_id}/return", response_model=TrainingRead)
def return_training(
    training_id: PathId, body: ReturnBody, actor: ActorDep, session: SessionDep
) -> TrainingRead:
    row = trainings.return_(
        session=session, actor=actor, training_id=training_id, reason=body.reason
    )
    return training_read(row, actor.locale)
