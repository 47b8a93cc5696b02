from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from models.schemas.page import Page
from models.schemas.site import SiteContact, SiteCreate, SiteDetail, SiteRead, SiteUpdate
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import sites

router = APIRouter(prefix="/sites", tags=["sites"])


@router.get("", response_model=Page[SiteRead])
def list_sites(
    actor: ActorDep,
    session: SessionDep,
    county: str | None = None,
    site_type: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[SiteRead]:
    return sites.list_(
        session=session, actor=actor, county=county, site_type=site_type, offset=offset, limit=limit
    )


def _detail(actor: ActorDep, site: object) -> SiteDetail:
    detail = SiteDetail.model_validate(site)
    if sites.contacts_visible(actor, site):  # type: ignore[arg-type]
        detail.contact = SiteContact.model_validate(site)
    return detail


@router.post("", response_model=SiteDetail, status_code=201)
def create_site(body: SiteCreate, actor: ActorDep, session: SessionDep) -> SiteDetail:
    return _detail(actor, sites.create(session=session, actor=actor, data=body))


@router.get("/{site_id}", response_model=SiteDetail)
def get_site(site_id: PathId, actor: ActorDep, session: SessionDep) -> SiteDetail:
    return _detail(actor, sites.get_or_raise(session=session, actor=actor, site_id=site_id))


@router.patch("/{site_id}", response_model=SiteDetail)
def update_site(
    site_id: PathId, body: SiteUpdate, actor: ActorDep, session: SessionDep
) -> SiteDetail:
    return _detail(actor, sites.update(session=session, actor=actor, site_id=site_id, data=body))
