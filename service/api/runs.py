"""Batch matching runs for coordinators: start one over a county (or, for the prefecture,
all counties) and read past runs with their reports.

The endpoints are plain ``def``: FastAPI runs them in its threadpool, so a run of
several seconds never blocks the event loop."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from models import MatchRun
from models.schemas.page import Page
from models.schemas.run import RunCreate, RunRead
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep
from service.engine import MatchingEngine
from service.usecases import batch

router = APIRouter(prefix="/runs", tags=["runs"])


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
    """Propose placements for every open need of the county in one transaction and
    return the run with its report (fill rate, priority share, unfilled by reason)."""
    done = batch.run_batch(
        session=session,
        engine=_engine(request),
        actor=actor,
        county=body.county,
        mode=body.mode,
        dry_run=body.dry_run,
        candidates_per_need=body.candidates_per_need,
    )
    return _read(done.run)


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
