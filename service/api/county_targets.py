"""任务分解 over the API: GET/PUT /api/v1/programmes/county-targets, the grid as CSV/XLSX
and its import."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from service.auth import ActorDep
from service.deps import SessionDep, SettingsDep
from service.i18n import pick_locale
from service.usecases import county_target_sheets, county_targets
from service.usecases.county_targets import CountyTargetItem

router = APIRouter(prefix="/programmes/county-targets", tags=["programmes"])

_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class CountyTargetRead(BaseModel):
    target: str
    county_code: str
    year: int
    value: int


class CountyTargetWrite(BaseModel):
    """One county's share of a target; ``year`` defaults to the query's year."""

    target: str = Field(max_length=64)
    county_code: str = Field(max_length=12)
    value: int | None
    year: int | None = None


class SavedRead(BaseModel):
    changed: int


@router.get("", response_model=list[CountyTargetRead])
def list_county_targets(
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
    year: Annotated[int, Query()],
    county: str | None = None,
) -> list[CountyTargetRead]:
    """The shares set for ``year``; a county coordinator reads their own county only."""
    found = county_targets.list_(
        session=session, actor=actor, year=year, county=county, years=settings.plan_years
    )
    return [CountyTargetRead(**vars(i)) for i in found]


@router.put("", response_model=SavedRead)
def set_county_targets(
    body: list[CountyTargetWrite],
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
    year: Annotated[int, Query()],
) -> SavedRead:
    """Set shares (prefecture coordinator and admins): all or none is saved."""
    items = [CountyTargetItem(i.target, i.county_code, i.year or year, i.value) for i in body]
    county_targets.require_setter(actor)
    county_targets.check_year(year, settings.plan_years)
    changed = county_targets.set_many(
        session=session, actor=actor, items=items, years=settings.plan_years
    )
    return SavedRead(changed=changed)


@router.get(
    ".{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "The 任务分解 grid as a file: CSV (UTF-8 with BOM) or XLSX.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    },
)
def export_county_targets(
    fmt: Literal["csv", "xlsx"],
    request: Request,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
    year: Annotated[int, Query()],
    county: str | None = None,
    header: Annotated[
        Literal["words", "codes"],
        Query(
            description="`words` (the default): headers, targets, units and counties in the "
            "reader's language (`lang`, the `lang` cookie or Accept-Language), the target "
            "code in a column headed as a code; `codes`: machine keys and county codes only. "
            "Either layout imports back."
        ),
    ] = "words",
    lang: str | None = None,
) -> Response:
    locale = pick_locale(
        lang, request.cookies.get("lang"), request.headers.get("accept-language", "")
    )
    data = county_target_sheets.export(
        session=session,
        actor=actor,
        year=year,
        county=county,
        years=settings.plan_years,
        fmt=fmt,
        locale=locale,
        header=header,
    )
    name = f"county_targets_{year}.{fmt}"
    return Response(
        data,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/import", response_model=SavedRead)
def import_county_targets(
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
    year: Annotated[int, Query()],
    file: Annotated[UploadFile, File()],
) -> SavedRead:
    """Upload the grid (CSV or XLSX, as exported): every cell is saved or none."""
    data = file.file.read(settings.max_upload_bytes + 1)
    changed = county_target_sheets.import_(
        session=session,
        actor=actor,
        data=data,
        filename=file.filename or "upload",
        year=year,
        years=settings.plan_years,
        max_bytes=settings.max_upload_bytes,
    )
    return SavedRead(changed=changed)
