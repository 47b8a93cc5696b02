from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from models.schemas.institution import (
    InstitutionCreate,
    InstitutionRead,
    PairingCreate,
    PairingRead,
)
from models.schemas.page import Page
from service.api.params import PathId, QueryId
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import institutions

router = APIRouter(tags=["institutions"])


@router.get("/institutions", response_model=Page[InstitutionRead])
def list_institutions(
    actor: ActorDep,
    session: SessionDep,
    institution_type: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[InstitutionRead]:
    return institutions.list_(
        session=session, institution_type=institution_type, offset=offset, limit=limit
    )


@router.post("/institutions", response_model=InstitutionRead, status_code=201)
def create_institution(
    body: InstitutionCreate, actor: ActorDep, session: SessionDep
) -> InstitutionRead:
    return InstitutionRead.model_validate(
        institutions.create(session=session, actor=actor, data=body)
    )


@router.get("/institutions/{institution_id}", response_model=InstitutionRead)
def get_institution(
    institution_id: PathId, actor: ActorDep, session: SessionDep
) -> InstitutionRead:
    return InstitutionRead.model_validate(
        institutions.get_or_raise(session=session, institution_id=institution_id)
    )


@router.get("/pairings", response_model=Page[PairingRead])
def list_pairings(
    actor: ActorDep,
    session: SessionDep,
    institution_id: QueryId = None,
    county: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[PairingRead]:
    return institutions.list_pairings(
        session=session,
        actor=actor,
        institution_id=institution_id,
        county=county,
        offset=offset,
        limit=limit,
    )


@router.post("/pairings", response_model=PairingRead, status_code=201)
def create_pairing(body: PairingCreate, actor: ActorDep, session: SessionDep) -> PairingRead:
    return PairingRead.model_validate(
        institutions.create_pairing(session=session, actor=actor, data=body)
    )
