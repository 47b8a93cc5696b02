from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from models.schemas.programme import ProgrammeRead
from service.deps import SessionDep
from service.usecases import programmes

router = APIRouter(prefix="/programmes", tags=["programmes"])


@router.get("", response_model=list[ProgrammeRead])
def list_programmes(
    session: SessionDep, kind: Literal["goal", "measure"] | None = None
) -> list[ProgrammeRead]:
    """Every yearly goal and measure of the plan with its structured targets."""
    return programmes.list_(session=session, kind=kind)


@router.get("/{code}", response_model=ProgrammeRead)
def get_programme(code: str, session: SessionDep) -> ProgrammeRead:
    return programmes.get_or_raise(session=session, code=code)
