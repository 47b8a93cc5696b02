"""Batch matching runs for coordinators: start one over a county (or, for the prefecture,
all counties) and read past runs with their reports.

The endpoints are plain ``def``: FastAPI runs them in its threadpool, so a run of
several seconds never blocks the event loop."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from models import MatchRun
from models.schemas.page import Page
from models.schemas.run import RunCreate, RunProgress, RunProposalRead, RunRead
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.engine import MatchingEngine
from service.usecases import batch

router = APIRouter(prefix="/runs", tags=["runs"])

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _read(run: MatchRun) -> RunRead:
    return RunRead(
        id=run.id,
        county_code=run.county_code,
        mode=run.mode,
        status=run.status,
        dry_run=run.dry_run,
        started_at=run.started_at,
        finished_at=run.finished_at,
        created_by=run.created_by,
        progress=RunProgress(
            phase=run.progress_phase,
            done=run.progress_done,
            total=run.progress_total,
            percent=run.percent,
            cancel_requested=run.cancel_requested,
        ),
        preview_of=run.preview_of,
        report=_report_json(run),
    )


def _report_json(run: MatchRun) -> dict[str, Any] | None:
    # The typed report, as the flat JSON object the API has always returned.
    report = batch.report_of(run)
    return None if report is None else report.to_json()


def _engine(request: Request) -> MatchingEngine:
    engine: MatchingEngine = request.app.state.engine
    return engine


@router.post("", response_model=RunRead, status_code=201)
def start_run(body: RunCreate, request: Request, actor: ActorDep, session: SessionDep) -> RunRead:
    """Queue a run over the county (a background job): ``status`` is ``queued``, then
    ``running`` with ``progress``, then ``succeeded`` with its report (fill rate,
    priority share, unfilled by reason), ``failed`` or ``cancelled``. Poll
    ``GET /runs/{id}``. A dry run is a preview: confirm it with ``POST
    /runs/{id}/confirm``."""
    run = batch.enqueue(
        session=session,
        engine=_engine(request),
        actor=actor,
        county=body.county,
        mode=body.mode,
        dry_run=body.dry_run,
        candidates_per_need=body.candidates_per_need,
    )
    return _read(batch.start(session=session, engine=_engine(request), run=run))


@router.post("/{run_id}/confirm", response_model=RunRead, status_code=201)
def confirm_run(run_id: PathId, request: Request, actor: ActorDep, session: SessionDep) -> RunRead:
    """Queue the confirmation of a preview: a new run that writes exactly the preview's
    placements, or nothing if any changed since (its report says which and why)."""
    run = batch.confirm(session=session, actor=actor, preview_id=run_id)
    return _read(batch.start(session=session, engine=_engine(request), run=run))


@router.post("/{run_id}/cancel", response_model=RunRead)
def cancel_run(run_id: PathId, actor: ActorDep, session: SessionDep) -> RunRead:
    """Stop a queued run at once, or a running one at its next step (nothing of it is
    written). A finished run answers 409."""
    return _read(batch.cancel(session=session, actor=actor, run_id=run_id))


@router.get("/{run_id}/proposals", response_model=list[RunProposalRead])
def run_proposals(run_id: PathId, actor: ActorDep, session: SessionDep) -> list[RunProposalRead]:
    """A preview's placements (or the proposals a run wrote), in words."""
    run = batch.get_or_raise(session=session, actor=actor, run_id=run_id)
    rows = batch.placement_rows(session, run, actor.locale)
    return [RunProposalRead(**row) for row in rows]


@router.get(
    "/{run_id}/report.xlsx",
    response_class=Response,
    responses={200: {"content": {_XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
def run_report_xlsx(run_id: PathId, actor: ActorDep, session: SessionDep) -> Response:
    """The run's report as a workbook: summary, placements, unfilled needs (and what
    changed, for a refused confirmation), in words."""
    run = batch.get_or_raise(session=session, actor=actor, run_id=run_id)
    return Response(
        batch.report_xlsx(session, run, actor.locale),
        media_type=_XLSX,
        headers={"Content-Disposition": f'attachment; filename="run-{run.id}.xlsx"'},
    )


@router.get("", response_model=Page[RunRead])
def list_runs(
    actor: ActorDep,
    session: SessionDep,
    county: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[RunRead]:
    rows, total = batch.list_(
        session=session, actor=actor, county=county, offset=offset, limit=limit
    )
    return Page(items=[_read(r) for r in rows], total=total, offset=offset, limit=limit)


@router.get("/{run_id}", response_model=RunRead)
def get_run(run_id: PathId, actor: ActorDep, session: SessionDep) -> RunRead:
    return _read(batch.get_or_raise(session=session, actor=actor, run_id=run_id))
