"""Coordinators: the approval queue with bulk decisions, batch runs and their reports,
programme progress charts, the county map and exports."""

from __future__ import annotations

import importlib
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from models.enums import Role
from service.api.params import PathId
from service.auth import Actor, OptionalActorDep, require
from service.deps import SessionDep
from service.errors import AppError, not_found
from service.form_input import whole_number
from service.i18n import translate
from service.pages import charts
from service.pages.common import FormDep, login_redirect, see_other, text, values
from service.pages.render import render, request_locale
from service.usecases import exports, matches, programmes, views
from service.usecases.progress import progress

router = APIRouter(include_in_schema=False)

RUN_MODES = ("optimal", "stable")


def _coordinator(actor: Actor) -> None:
    require(actor, Role.COORDINATOR, Role.ADMIN)


def _county_filter(actor: Actor, county: str | None) -> str | None:
    # A county coordinator's filter is fixed to the county; the use cases enforce the same.
    if actor.role is Role.COORDINATOR and actor.jurisdiction is not None:
        return actor.jurisdiction
    return county or None


def _queue_context(
    session: Any, actor: Actor, county: str | None, programme: str | None, offset: int
) -> dict[str, Any]:
    page = matches.list_(
        session=session,
        actor=actor,
        status="accepted",
        county=_county_filter(actor, county),
        programme=programme or None,
        offset=offset,
        limit=50,
    )
    return {
        "actor": actor,
        "page": page,
        "county": county or "",
        "programme": programme or "",
        "counties": views.counties(session=session),
        "programmes": programmes.list_(session=session),
        "errors": {},
        "results": [],
        "reason": "",
        "decision": "",
    }


@router.get("/queue", response_class=HTMLResponse, response_model=None)
def queue(
    request: Request,
    session: SessionDep,
    actor: OptionalActorDep,
    county: str | None = None,
    programme: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    if actor is None:
        return login_redirect(request)
    _coordinator(actor)
    return render(request, "queue.html", _queue_context(session, actor, county, programme, offset))


@router.post("/queue", response_class=HTMLResponse, response_model=None)
def queue_decide(
    request: Request, session: SessionDep, actor: OptionalActorDep, form: FormDep
) -> Response:
    """Approve or reject the ticked matches one by one: each is its own decision with its
    own capacity check, so one conflict does not undo the others."""
    if actor is None:
        return login_redirect(request)
    _coordinator(actor)
    locale = request_locale(request)
    decision, reason = text(form, "decision"), text(form, "reason")
    ids = [i for v in values(form, "match_ids") if (i := whole_number(v)) is not None]
    errors: dict[str, str] = {}
    if decision not in ("approve", "reject"):
        errors["decision"] = translate("queue.err.decision", locale)
    if not ids:
        errors["match_ids"] = translate("queue.err.pick", locale)
    if decision == "reject" and not reason:
        errors["reason"] = translate("queue.err.reason", locale)
    results: list[dict[str, Any]] = []
    if not errors:
        for match_id in ids:
            version = text(form, f"version_{match_id}")
            try:
                matches.transition(
                    session=session,
                    actor=actor,
                    match_id=match_id,
                    action=decision,
                    reason=reason or None,
                    expected_version=whole_number(version),
                )
                results.append({"id": match_id, "ok": True, "message": ""})
            except AppError as exc:
                session.rollback()
                results.append(
                    {
                        "id": match_id,
                        "ok": False,
                        "message": exc.message if locale == "en" else exc.message_zh,
                    }
                )
    context = _queue_context(session, actor, text(form, "county"), text(form, "programme"), 0)
    context.update(errors=errors, results=results, reason=reason, decision=decision)
    return render(request, "queue.html", context, status=422 if errors else 200)


def _batch_module() -> Any | None:
    # The batch use case ships separately; until it is installed the page says so.
    try:
        return importlib.import_module("service.usecases.batch")
    except ImportError:
        return None


@router.get("/runs", response_class=HTMLResponse, response_model=None)
def runs(request: Request, session: SessionDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return login_redirect(request)
    _coordinator(actor)
    return render(
        request,
        "runs.html",
        {
            "actor": actor,
            "runs": views.runs(session=session, actor=actor),
            "counties": views.counties(session=session),
            "modes": RUN_MODES,
            "available": _batch_module() is not None,
            "errors": {},
        },
    )


@router.post("/runs", response_model=None)
def run_start(
    request: Request, session: SessionDep, actor: OptionalActorDep, form: FormDep
) -> Response:
    if actor is None:
        return login_redirect(request)
    _coordinator(actor)
    batch = _batch_module()
    if batch is None:
        raise AppError(
            503, "unavailable", "Batch matching is not installed yet", "批量匹配功能尚未安装"
        )
    mode = text(form, "mode") if text(form, "mode") in RUN_MODES else RUN_MODES[0]
    outcome = batch.run_batch(
        session=session,
        engine=request.app.state.engine,
        actor=actor,
        county=_county_filter(actor, text(form, "county")),
        mode=mode,
        dry_run=bool(form.get("dry_run")),
    )
    return see_other(f"/runs/{outcome.run.id}")


@router.get("/runs/{run_id}", response_class=HTMLResponse, response_model=None)
def run_detail(
    request: Request, run_id: PathId, session: SessionDep, actor: OptionalActorDep
) -> Response:
    if actor is None:
        return login_redirect(request)
    run = views.run_or_none(session=session, actor=actor, run_id=run_id)
    if run is None:
        raise not_found("run")
    report = run.report or {}
    return render(
        request,
        "run_detail.html",
        {
            "actor": actor,
            "run": run,
            "report": report,
            "fill_rate": report.get("fill_rate"),
            "unfilled": report.get("unfilled") or report.get("unfilled_needs") or [],
            "by_reason": report.get("unfilled_by_reason") or {},
        },
    )


@router.get("/progress", response_class=HTMLResponse, response_model=None)
def progress_page(
    request: Request,
    session: SessionDep,
    actor: OptionalActorDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county: str | None = None,
) -> Response:
    if actor is None:
        return login_redirect(request)
    _coordinator(actor)
    year = year or date.today().year
    county = _county_filter(actor, county)
    items = progress(session=session, year=year, county=county)
    locale = request_locale(request)
    english = locale == "en"
    county_list = views.counties(session=session)
    names = {c.code: (c.name_en if english else c.name) for c in county_list}
    counted = [p for p in items if not p.counted_by_hand]
    bullets = charts.bullet_chart(
        [charts.Bar(p.text, p.achieved, p.value) for p in counted],
        title=translate("progress.chart_title", locale),
    )
    by_county = [
        (
            p,
            charts.bar_chart(
                [
                    charts.Bar(names[c.code], p.by_county.get(c.code, 0))
                    for c in county_list
                    if county in (None, c.code)
                ],
                title=p.text,
            ),
        )
        for p in counted
        if p.achieved
    ]
    return render(
        request,
        "progress.html",
        {
            "actor": actor,
            "items": items,
            "bullets": bullets,
            "by_county": by_county,
            "year": year,
            "county": county or "",
            "counties": county_list,
            "years": sorted({*request.app.state.settings.plan_years, year}),
            "fixed_county": actor.role is Role.COORDINATOR and actor.jurisdiction is not None,
        },
    )


@router.get("/map", response_class=HTMLResponse, response_model=None)
def map_page(request: Request, session: SessionDep, actor: OptionalActorDep) -> Response:
    if actor is None:
        return login_redirect(request)
    data = views.map_counts(session=session, actor=actor)
    english = request_locale(request) == "en"
    svg = charts.county_map(
        data, english=english, title=translate("map.title", request_locale(request))
    )
    return render(request, "map.html", {"actor": actor, "data": data, "svg": svg})


@router.get("/exports", response_class=HTMLResponse, response_model=None)
def exports_page(request: Request, actor: OptionalActorDep) -> Response:
    if actor is None:
        return login_redirect(request)
    _exporter(actor)
    return render(
        request,
        "exports.html",
        {"actor": actor, "kinds": exports.EXPORT_KINDS, "year": date.today().year},
    )


def _exporter(actor: Actor) -> None:
    # The export files cover the whole prefecture, so only prefecture-level coordinators
    # and admins take them; a county coordinator uses the filtered pages and progress CSV.
    _coordinator(actor)
    if actor.role is Role.COORDINATOR and actor.jurisdiction is not None:
        raise AppError(
            403,
            "forbidden",
            "Exports cover the whole prefecture",
            "导出文件覆盖全州数据，仅州级协调员和管理员可用",
        )


@router.get("/exports/{kind}.{fmt}", response_model=None)
def export_file(
    request: Request, kind: str, fmt: str, session: SessionDep, actor: OptionalActorDep
) -> Response:
    if actor is None:
        return login_redirect(request)
    _exporter(actor)
    if kind not in exports.EXPORT_KINDS or fmt not in ("csv", "xlsx"):
        raise not_found("export")
    filename = f"{kind}-{date.today().isoformat()}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":
        binary = io.BytesIO()
        exports.export(kind, binary, session=session, fmt="xlsx")  # type: ignore[arg-type]
        return Response(
            binary.getvalue(),
            headers=disposition,
            media_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    buffer = io.StringIO()
    exports.export(kind, buffer, session=session, fmt="csv")  # type: ignore[arg-type]
    return StreamingResponse(
        iter(["\ufeff", buffer.getvalue()]),
        headers=disposition,
        media_type="text/csv; charset=utf-8",
    )


__all__ = ["router"]
