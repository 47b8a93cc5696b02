"""Admin: spreadsheet imports with the row-level error report on the page."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.datastructures import UploadFile

from service import policy
from service.deps import SessionDep, SettingsDep
from service.errors import not_found
from service.i18n import translate
from service.pages.common import FormDep, PageActorDep, text
from service.pages.render import render, request_locale
from service.usecases import imports
from service.usecases.imports.headers import column_words

router = APIRouter(prefix="/admin", include_in_schema=False)

# The import templates people fill in (seed/templates/, documented in its README): one CSV
# and one XLSX per kind, with the header row and example rows.
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "seed" / "templates"
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/import/templates/{name}", response_model=None)
def import_template(name: str, actor: PageActorDep) -> Response:
    """``sites.csv``, ``needs.xlsx`` …: the template of one import kind."""
    policy.require_admin(actor)
    kind, _, fmt = name.partition(".")
    path = TEMPLATES_DIR / f"{kind}.{fmt}"
    if kind not in imports.KINDS or fmt not in _MEDIA or not path.is_file():
        raise not_found("template")
    return FileResponse(path, media_type=_MEDIA[fmt], filename=f"{kind}-template.{fmt}")


@router.get("/import", response_class=HTMLResponse, response_model=None)
def import_page(request: Request, actor: PageActorDep) -> Response:
    policy.require_admin(actor)
    return render(
        request,
        "admin_import.html",
        {"actor": actor, "kinds": imports.KINDS, "result": None, "errors": {}, "kind": ""},
    )


@router.post("/import", response_class=HTMLResponse, response_model=None)
def import_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    policy.require_admin(actor)
    kind = text(form, "kind")
    upload = form.get("file")
    errors: dict[str, str] = {}
    locale = request_locale(request)
    if kind not in imports.KINDS:
        errors["kind"] = translate("import.err.kind", locale)
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = translate("import.err.file", locale)
    result = None
    if not errors:
        assert isinstance(upload, UploadFile)
        content = upload.file.read(settings.max_upload_bytes + 1)
        result = imports.import_file(
            cast(imports.Kind, kind),
            content,
            upload.filename,
            session=session,
            max_bytes=settings.max_upload_bytes,
            dry_run=bool(form.get("dry_run")),
            actor=actor,
        )
    status = 422 if errors or (result is not None and result.status != "ok") else 200
    return render(
        request,
        "admin_import.html",
        {
            "actor": actor,
            "kinds": imports.KINDS,
            "result": result,
            "errors": errors,
            "kind": kind,
            "column_words": lambda column: column_words(column, kind, locale),
        },
        status=status,
    )
