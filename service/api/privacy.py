"""Personal data (个人信息保护法): a talent's own copy and deletion request; an admin's
list of requests and their completion by anonymising the person."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from models.schemas.page import Page
from models.schemas.privacy import DeletionRequestCreate, DeletionRequestRead, PersonalData
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.i18n import LOCALES
from service.usecases import privacy

router = APIRouter(tags=["personal data"])

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/me/personal-data",
    response_model=PersonalData,
    responses={200: {"content": {_XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
    description="Everything held about the signed-in talent: profile, availability, "
    "accounts, matches with their events and service records, deletion requests and the "
    "audit trail. Free-form by design: it mirrors the stored records.",
)
def get_personal_data(
    request: Request,
    actor: ActorDep,
    session: SessionDep,
    format: Annotated[Literal["json", "xlsx"], Query()] = "json",
) -> Any:
    data = privacy.personal_data(session=session, actor=actor)
    if format == "json":
        return data
    # The spreadsheet speaks the language of the page it was downloaded from (the lang
    # cookie), else the account's.
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    locale = chosen if chosen in LOCALES else actor.locale
    return Response(
        privacy.personal_data_xlsx(
            data, locale=locale, zone_name=request.app.state.settings.display_timezone
        ),
        media_type=_XLSX,
        headers={"Content-Disposition": 'attachment; filename="personal-data.xlsx"'},
    )


@router.post("/me/deletion-request", response_model=DeletionRequestRead, status_code=201)
def request_deletion(
    body: DeletionRequestCreate, actor: ActorDep, session: SessionDep
) -> DeletionRequestRead:
    request = privacy.request_deletion(session=session, actor=actor, reason=body.reason)
    return DeletionRequestRead.model_validate(request)


@router.get("/deletion-requests", response_model=Page[DeletionRequestRead])
def list_deletion_requests(
    actor: ActorDep,
    session: SessionDep,
    status: Literal["pending", "completed"] | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[DeletionRequestRead]:
    page = privacy.list_requests(
        session=session, actor=actor, status=status, offset=offset, limit=limit
    )
    return Page(
        items=[DeletionRequestRead.model_validate(r) for r in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("/deletion-requests/{request_id}/complete", response_model=DeletionRequestRead)
def complete_deletion(
    request_id: PathId, actor: ActorDep, session: SessionDep
) -> DeletionRequestRead:
    done = privacy.complete_deletion(session=session, actor=actor, request_id=request_id)
    return DeletionRequestRead.model_validate(done.request)
