from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from models.schemas.programme import ProgrammeRead, ProgressRead
from service import policy
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import programmes
from service.usecases.progress import PROGRESS_COLUMNS, progress, progress_row
from service.usecases.tabular import write_csv, write_xlsx

router = APIRouter(prefix="/programmes", tags=["programmes"])


@router.get("", response_model=list[ProgrammeRead])
def list_programmes(
    session: SessionDep, kind: Literal["goal", "measure"] | None = None
) -> list[ProgrammeRead]:
    """Every yearly goal and measure of the plan with its structured targets."""
    return programmes.list_(session=session, kind=kind)


@router.get("/progress", response_model=list[ProgressRead])
def get_progress(
    actor: ActorDep,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county: str | None = None,
    programme: str | None = None,
) -> list[ProgressRead]:
    """Target, achieved, share and the matches behind each number."""
    county = policy.progress_county(actor, county)
    found = progress(session=session, year=year, county=county, programme=programme)
    return [ProgressRead(**vars(policy.progress_view(actor, p))) for p in found]


@router.get(
    "/progress.{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "The progress table as a file: CSV (UTF-8 with BOM) or XLSX.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    },
)
def export_progress(
    fmt: Literal["csv", "xlsx"],
    actor: ActorDep,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county: str | None = None,
) -> Response:
    rows = progress(session=session, year=year, county=policy.progress_county(actor, county))
    header = list(PROGRESS_COLUMNS)
    data = [progress_row(policy.progress_view(actor, p)) for p in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(header, data, buffer)
        return Response(
            "\ufeff" + buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="progress.csv"'},
        )
    out = io.BytesIO()
    write_xlsx(header, data, out, sheet_title="progress")
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="progress.xlsx"'},
    )


@router.get("/{code}", response_model=ProgrammeRead)
def get_programme(code: str, session: SessionDep) -> ProgrammeRead:
    return programmes.get_or_raise(session=session, code=code)
