from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request

from models.enums import Mode
from models.schemas.candidate import CandidateRead, WhyNotRead
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.engine import MatchingEngine
from service.usecases import candidates

router = APIRouter(tags=["candidates"])


def _read(found: candidates.Candidate) -> CandidateRead:
    # Read the dataclass's attributes as they are: dataclasses.asdict deep-copies every
    # breakdown line and reason first, a tenth of an uncached request's time.
    return CandidateRead.model_validate(found, from_attributes=True)


def _engine(request: Request) -> MatchingEngine:
    engine: MatchingEngine = request.app.state.engine
    return engine


@router.get("/needs/{need_id}/candidates", response_model=list[CandidateRead])
def get_need_candidates(
    need_id: PathId,
    request: Request,
    actor: ActorDep,
    session: SessionDep,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    county: str | None = None,
    mode: Mode | None = None,
    category: str | None = None,
) -> list[CandidateRead]:
    """Ranked talents for a need, each with the breakdown of its score."""
    found = candidates.for_need(
        session=session,
        engine=_engine(request),
        actor=actor,
        need_id=need_id,
        k=k,
        offset=offset,
        county=county,
        mode=mode,
        category=category,
    )
    return [_read(c) for c in found]


@router.get("/talents/{talent_id}/suggestions", response_model=list[CandidateRead])
def get_talent_suggestions(
    talent_id: PathId,
    request: Request,
    actor: ActorDep,
    session: SessionDep,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    county: str | None = None,
    mode: Mode | None = None,
    programme: str | None = None,
) -> list[CandidateRead]:
    """Ranked open needs for a talent, each with the breakdown of its score."""
    found = candidates.for_talent(
        session=session,
        engine=_engine(request),
        actor=actor,
        talent_id=talent_id,
        k=k,
        offset=offset,
        county=county,
        mode=mode,
        programme=programme,
    )
    return [_read(c) for c in found]


@router.get("/needs/{need_id}/why-not/{talent_id}", response_model=WhyNotRead)
def get_why_not(
    need_id: PathId, talent_id: PathId, request: Request, actor: ActorDep, session: SessionDep
) -> WhyNotRead:
    """Every hard constraint this pair fails, and how it would score."""
    return WhyNotRead(
        **asdict(
            candidates.why_not(
                session=session,
                engine=_engine(request),
                actor=actor,
                need_id=need_id,
                talent_id=talent_id,
            )
        )
    )
