"""Batch runs: start one over a jurisdiction and read its report."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service import policy
from service.api.params import PathId
from service.deps import SessionDep
from service.errors import not_found
from service.pages.common import (
    FormDep,
    PageActorDep,
    see_other,
    text,
)
from service.pages.render import render, request_locale
from service.usecases import batch, explain, matches, views

router = APIRouter(include_in_schema=False)

RUN_MODES: tuple[Literal["optimal", "stable"], ...] = ("optimal", "stable")


@router.get("/runs", response_class=HTMLResponse, response_model=None)
def runs(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    policy.require_coordinator(actor)
    return render(
        request,
        "runs.html",
        {
            "actor": actor,
            "runs": views.runs(session=session, actor=actor),
            "counties": views.counties(session=session),
            "modes": RUN_MODES,
            "errors": {},
        },
    )


@router.post("/runs", response_model=None)
def run_start(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    policy.require_coordinator(actor)
    mode = next((m for m in RUN_MODES if m == text(form, "mode")), RUN_MODES[0])
    run = batch.enqueue(
        session=session,
        engine=request.app.state.engine,
        actor=actor,
        county=policy.county_scope(actor, text(form, "county")),
        mode=mode,
        dry_run=bool(form.get("dry_run")),
    )
    return see_other(
        f"/runs/{batch.start(session=session, engine=request.app.state.engine, run=run).id}"
    )


@router.post("/runs/{run_id}/confirm", response_model=None)
def run_confirm(
    request: Request, run_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    policy.require_coordinator(actor)
    run = batch.confirm(session=session, actor=actor, preview_id=run_id)
    return see_other(
        f"/runs/{batch.start(session=session, engine=request.app.state.engine, run=run).id}"
    )


@router.post("/runs/{run_id}/cancel", response_model=None)
def run_cancel(
    request: Request, run_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    policy.require_coordinator(actor)
    batch.cancel(session=session, actor=actor, run_id=run_id)
    return see_other(f"/runs/{run_id}")


@router.get("/runs/{run_id}", response_class=HTMLResponse, response_model=None)
def run_detail(
    request: Request, run_id: PathId, session: SessionDep, actor: PageActorDep
) -> Response:
    run = views.run_or_none(session=session, actor=actor, run_id=run_id)
    if run is None:
        raise not_found("run")
    stored = batch.report_of(run)
    locale = request_locale(request)
    finished = run.status == "succeeded" and run.dry_run
    proposals = matches.list_(session=session, actor=actor, run_id=run.id, limit=50)
    return render(
        request,
        "run_detail.html",
        {
            "actor": actor,
            "run": run,
            "proposals": proposals,
            "explained": explain.for_matches(session, request.app.state.engine, proposals.items),
            "report": stored if isinstance(stored, batch.RunReport) else None,
            "raw": stored.to_json() if stored is not None else {},
            "changes": (run.report or {}).get("changes") or [],
            "placements": batch.placement_rows(session, run, locale) if finished else [],
            "confirmation": views.confirmation_of(session=session, run=run),
            "county_name": views.county_name(session=session, code=run.county_code),
            "reason_words": batch.REASON_TEXT,
        },
    )
