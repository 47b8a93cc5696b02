"""Prefecture-wide exports as CSV or XLSX."""

from __future__ import annotations

import io
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from service import policy
from service.deps import SessionDep
from service.errors import not_found
from service.pages.common import PageActorDep
from service.pages.render import render, request_locale
from service.usecases import exports

router = APIRouter(include_in_schema=False)


@router.get("/exports", response_class=HTMLResponse, response_model=None)
def exports_page(request: Request, actor: PageActorDep) -> Response:
    policy.require_exporter(actor)
    return render(
        request,
        "exports.html",
        {"actor": actor, "kinds": exports.EXPORT_KINDS, "year": date.today().year},
    )


@router.get("/exports/{kind}.{fmt}", response_model=None)
def export_file(
    request: Request, kind: str, fmt: str, session: SessionDep, actor: PageActorDep
) -> Response:
    policy.require_exporter(actor)
    if kind not in exports.EXPORT_KINDS or fmt not in ("csv", "xlsx"):
        raise not_found("export")
    filename = f"{kind}-{date.today().isoformat()}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    # The reader's language and time zone (every file imports back in either language).
    reader = {
        "locale": request_locale(request),
        "zone_name": request.app.state.settings.display_timezone,
    }
    if fmt == "xlsx":
        binary = io.BytesIO()
        exports.export(kind, binary, session=session, fmt="xlsx", **reader)  # type: ignore[arg-type]
        return Response(
            binary.getvalue(),
            headers=disposition,
            media_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    buffer = io.StringIO()
    exports.export(kind, buffer, session=session, fmt="csv", **reader)  # type: ignore[arg-type]
    return StreamingResponse(
        iter(["\ufeff", buffer.getvalue()]),
        headers=disposition,
        media_type="text/csv; charset=utf-8",
    )
