"""任务分解 page: a grid per year, targets × counties, editable by the prefecture
coordinator; a county coordinator reads their own county's column."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from service import policy
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
from service.pages.common import FormDep, PageActorDep, app_error_messages, see_other
from service.pages.render import render, request_locale
from service.usecases import county_target_sheets, county_targets, views
from service.usecases.county_targets import CountyTargetItem

router = APIRouter(include_in_schema=False)
PATH = "/programmes/county-targets"


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: PageActorDep,
    year: int,
    errors: list[str],
    status: int = 200,
) -> Response:
    county = policy.county_scope(actor, None)
    codes, rows = county_targets.grid(
        session=session, actor=actor, year=year, county=county, years=settings.plan_years
    )
    names = {c.code: c for c in views.counties(session=session)}
    return render(
        request,
        "county_targets.html",
        {
            "actor": actor,
            "year": year,
            "years": list(settings.plan_years),
            "counties": [names[c] for c in codes if c in names],
            "rows": rows,
            "editable": not policy.has_fixed_county(actor),
            "errors": errors,
        },
        status=status,
    )


def _said(exc: AppError, request: Request) -> list[str]:
    """A refusal's sentences, each once: the messages name cells by county and target in
    words (the fields' paths are for API clients)."""
    return list(dict.fromkeys(app_error_messages(exc, request_locale(request)).values()))


def _year(settings: SettingsDep, year: int | None) -> int:
    if year is None:
        today = date.today().year
        return today if today in settings.plan_years else settings.plan_years[-1]
    return year


@router.get(PATH, response_class=HTMLResponse, response_model=None)
def county_targets_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: PageActorDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    policy.require_coordinator(actor)
    return _page(request, session, settings, actor, _year(settings, year), [])


def _items(form_items: list[tuple[str, object]], year: int) -> list[CountyTargetItem]:
    """Cells named ``v:<target key>:<county code>``; an empty cell is left unset."""
    items = []
    for name, value in form_items:
        if not name.startswith("v:") or not isinstance(value, str) or not value.strip():
            continue
        _, key, county = name.split(":", 2)
        raw = value.strip()
        number = int(raw) if raw.lstrip("-").isdigit() else None
        items.append(CountyTargetItem(key, county, year, number))
    return items


@router.post(PATH, response_model=None)
def county_targets_save(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> Response:
    county_targets.require_setter(actor)
    try:
        county_targets.check_year(year, settings.plan_years)
        county_targets.set_many(
            session=session,
            actor=actor,
            items=_items(list(form.multi_items()), year),
            years=settings.plan_years,
        )
    except AppError as exc:
        if exc.status != 422:
            raise
        return _page(request, session, settings, actor, year, _said(exc, request), status=422)
    return see_other(f"{PATH}?year={year}")


@router.post(PATH + "/import", response_model=None)
def county_targets_import(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> Response:
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise AppError(422, "validation_error", "choose a file", "请选择文件")
        county_target_sheets.import_(
            session=session,
            actor=actor,
            data=upload.file.read(settings.max_upload_bytes + 1),
            filename=upload.filename,
            year=year,
            years=settings.plan_years,
            max_bytes=settings.max_upload_bytes,
        )
    except AppError as exc:
        if exc.status != 422:
            raise
        return _page(request, session, settings, actor, year, _said(exc, request), status=422)
    return see_other(f"{PATH}?year={year}")
