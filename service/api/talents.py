from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from models.enums import Mode
from models.schemas.page import Page
from models.schemas.talent import TalentRead, TalentUpdate
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import talents

router = APIRouter(prefix="/talents", tags=["talents"])


@router.get("", response_model=Page[TalentRead])
def list_talents(
    actor: ActorDep,
    session: SessionDep,
    category: str | None = None,
    county: str | None = None,
    mode: Mode | None = None,
    skill: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[TalentRead]:
    return talents.list_(
        session=session,
        actor=actor,
        category=category,
        county=county,
        mode=mode,
        skill=skill,
        q=q,
        offset=offset,
        limit=limit,
    )


@router.get("/{talent_id}", response_model=TalentRead)
def get_talent(talent_id: PathId, actor: ActorDep, session: SessionDep) -> TalentRead:
    return TalentRead.model_validate(
        talents.get_or_raise(session=session, actor=actor, talent_id=talent_id)
    )


@router.patch("/{talent_id}", response_model=TalentRead)
def update_talent(
    talent_id: PathId, body: TalentUpdate, actor: ActorDep, session: SessionDep
) -> TalentRead:
    return TalentRead.model_validate(
        talents.update(session=session, actor=actor, talent_id=talent_id, data=body)
    )
