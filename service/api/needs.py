from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from models.enums import Mode, NeedStatus
from models.schemas.need import NeedCreate, NeedRead, NeedUpdate
from models.schemas.page import Page
from service.api.params import PathId, QueryId
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import needs

router = APIRouter(prefix="/needs", tags=["needs"])


@router.get("", response_model=Page[NeedRead])
def list_needs(
    actor: ActorDep,
    session: SessionDep,
    county: str | None = None,
    status: NeedStatus | None = None,
    programme: str | None = None,
    mode: Mode | None = None,
    township: QueryId = None,
    site_id: QueryId = None,
    starts_after: date | None = None,
    ends_before: date | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[NeedRead]:
    """Needs the caller may see, newest first. ``q`` is a keyword search: split on spaces
    and punctuation, every term must occur in the title, the description, the site's
    name or the name of one of the need's skills (Chinese or English)."""
    return needs.list_(
        session=session,
        actor=actor,
        county=county,
        status=status,
        programme=programme,
        mode=mode,
        site_id=site_id,
        starts_after=starts_after,
        ends_before=ends_before,
        q=q,
        township=township,
        offset=offset,
        limit=limit,
    )


@router.post("", response_model=NeedRead, status_code=201)
def create_need(body: NeedCreate, actor: ActorDep, session: SessionDep) -> NeedRead:
    return NeedRead.model_validate(needs.create(session=session, actor=actor, data=body))


@router.get("/{need_id}", response_model=NeedRead)
def get_need(need_id: PathId, actor: ActorDep, session: SessionDep) -> NeedRead:
    return NeedRead.model_validate(
        needs.get_or_raise(session=session, actor=actor, need_id=need_id)
    )


@router.patch("/{need_id}", response_model=NeedRead)
def update_need(
    need_id: PathId, body: NeedUpdate, actor: ActorDep, session: SessionDep
) -> NeedRead:
    return NeedRead.model_validate(
        needs.update(session=session, actor=actor, need_id=need_id, data=body)
    )
