from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from models.schemas.programme import ProgrammeRead, ProgressRead
from service import policy
from service.auth import ActorDep
from service.deps import SessionDep
from service.i18n import pick_locale, translate
from service.usecases import programmes
from service.usecases.progress import (
    PROGRESS_COLUMNS,
    progress,
    progress_headers,
    progress_row,
    progress_row_words,
)
from service.usecases.reference import labels
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
    request: Request,
    fmt: Literal["csv", "xlsx"],
    actor: ActorDep,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county: str | None = None,
    header: Annotated[
        Literal["words", "codes"],
        Query(
            description="`words` (the default): headers, programmes, targets, units and "
            "counties in the reader's language (`lang`, the `lang` cookie or "
            "Accept-Language), code columns labelled as codes; `codes`: the machine "
            "column keys and codes only, for programs."
        ),
    ] = "words",
    lang: str | None = None,
) -> Response:
    rows = progress(session=session, year=year, county=policy.progress_county(actor, county))
    views = [policy.progress_view(actor, p) for p in rows]
    locale = pick_locale(
        lang, request.cookies.get("lang"), request.headers.get("accept-language", "")
    )
    if header == "codes":
        columns = list(PROGRESS_COLUMNS)
        data = [progress_row(p) for p in views]
    else:
        names = labels()["county"]
        columns = progress_headers(locale)
        data = [progress_row_words(p, locale, names) for p in views]
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(columns, data, buffer)
        return Response(
            "\ufeff" + buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="progress.csv"'},
        )
    out = io.BytesIO()
    title = "progress" if header == "codes" else translate("nav.progress", locale)
    write_xlsx(columns, data, out, sheet_title=title)
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="progress.xlsx"'},
    )


@router.get("/{code}", response_model=ProgrammeRead)
def get_programme(code: str, session: SessionDep) -> ProgrammeRead:
    return programmes.get_or_raise(session=session, code=code)
