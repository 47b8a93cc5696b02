"""A run from start to end: check the request, record the ``MatchRun`` (committed first,
status ``running``), compute, write and report in one transaction; on any failure
leave only the run row, marked ``failed``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching.assignment import AssignmentOptions
from models import MatchRun
from models.enums import Role, RunStatus
from service import audit, jobs, policy
from service.actor import Actor, require
from service.engine import MatchingEngine
from service.errors import AppError, FieldError
from service.usecases import expiry
from service.usecases.batch import candidates as candidates_step
from service.usecases.batch import solve as solve_step
from service.usecases.batch.candidates import Progress
from service.usecases.batch.diagnosis import diagnose
from service.usecases.batch.problem import BatchInstance, build_instance
from service.usecases.batch.read import resolve_county
from service.usecases.batch.report import RunReport
from service.usecases.batch.solve import RUN_MODES, RunMode
from service.usecases.batch.summary import RunScope, build_report
from service.usecases.batch.write import (
    mark_failed,
    proposals_from,
    write_impressions,
    write_proposals,
)


@dataclass
class BatchRun:
    """The recorded run (committed) with its report, and the solved instance."""

    run: MatchRun
    report: RunReport
    instance: BatchInstance | None


def default_options() -> AssignmentOptions:
    """The run's assignment options when the caller gives none: a 20 % tilt towards
    poverty-township and high-altitude sites (the plan's 倾斜) on top of the score's own
    priority feature, and a time limit so one run never holds a coordinator for long."""
    return AssignmentOptions(priority_weight=1.2, time_limit_seconds=120.0)


def authorise(actor: Actor | None, county: str | None) -> None:
    """Raise 403 unless ``actor`` may run ``county`` (None: every county); the rules
    are :func:`service.policy.may_run_all_counties` and ``may_run_county``."""
    if actor is None:  # the CLI, run by the operator of the machine
        return
    require(actor, Role.COORDINATOR, Role.ADMIN)
    if county is None and not policy.may_run_all_counties(actor):
        raise AppError(
            403,
            "forbidden",
            "only a prefecture coordinator or an admin may run all counties",
            "仅州级协调员或管理员可对全州运行匹配",
        )
    if county is not None and not policy.may_run_county(actor, county):
        raise AppError(
            403,
            "forbidden",
            f"county {county} is outside your jurisdiction",
            "该县市不在您的管辖范围内",
        )


def _check_arguments(mode: str, candidates_per_need: int) -> None:
    if mode not in RUN_MODES:
        raise AppError(
            422,
            "validation_error",
            f"unknown mode {mode!r}",
            "未知的匹配模式",
            [FieldError("mode", f"expected one of {list(RUN_MODES)}", mode)],
        )
    if not 1 <= candidates_per_need <= 500:
        raise AppError(
            422,
            "validation_error",
            "candidates_per_need must be 1..500",
            "每个需求的候选人数应在 1～500 之间",
            [FieldError("candidates_per_need", "expected 1..500", candidates_per_need)],
        )


def run_batch(
    *,
    session: Session,
    engine: MatchingEngine,
    actor: Actor | None,
    county: str | None,
    mode: RunMode = "optimal",
    dry_run: bool = False,
    options: AssignmentOptions | None = None,
    candidates_per_need: int = 30,
    progress: Progress | None = None,
) -> BatchRun:
    """Propose placements for every open need of ``county`` (None: every county).

    ``county`` is a code or a name. Raises :class:`AppError` for a person-fixable
    problem (unknown county, outside the jurisdiction, infeasible options). Any failure
    after the run started leaves only its ``MatchRun`` row, marked ``failed``.
    """
    _check_arguments(mode, candidates_per_need)
    code = resolve_county(session=session, value=county) if county else None
    authorise(actor, code)
    # Needs whose end date has passed expire before the run picks its open needs.
    expiry.expire_needs(session, on=engine.settings.today, actor=actor)
    lease = engine.settings.job_lease_seconds
    jobs.reap_stale_runs(session, lease)  # runs left `running` by a dead process
    run = MatchRun(
        county_code=code,
        mode=mode,
        dry_run=dry_run,
        status=RunStatus.RUNNING.value,
        created_by=actor.id if actor else None,
    )
    session.add(run)
    session.commit()  # its own transaction: the row survives a failed run
    scope = RunScope(
        run_id=run.id,
        mode=mode,
        dry_run=dry_run,
        county=code,
        candidates_per_need=candidates_per_need,
        options=options or default_options(),
    )
    started = time.perf_counter()
    heartbeat = jobs.Heartbeat.start(session, scope.run_id, lease)
    try:
        return _run(session, engine, actor, scope, progress, started)
    except BaseException as exc:
        session.rollback()
        mark_failed(session, scope.run_id, exc, time.perf_counter() - started)
        if isinstance(exc, IntegrityError):
            raise AppError(
                409,
                "conflict",
                "another run or a person created one of these matches at the same time; run again",
                "其他操作同时创建了对接记录，请重新运行",
            ) from exc
        raise
    finally:
        jobs.stop(heartbeat)


def _run(
    session: Session,
    engine: MatchingEngine,
    actor: Actor | None,
    scope: RunScope,
    progress: Progress | None,
    started: float,
) -> BatchRun:
    found = candidates_step.gather(
        session=session,
        engine=engine,
        county=scope.county,
        candidates_per_need=scope.candidates_per_need,
        progress=progress,
    )
    instance = build_instance(session=session, engine=engine, candidates=found)
    solved = solve_step.solve(
        instance,
        mode=scope.mode,
        options=scope.options,
        progress=progress,
    )
    diagnosis = diagnose(session, found, instance, solved.reasons)
    jobs.begin_write_phase(session)
    written = 0
    if not scope.dry_run:
        written = write_proposals(session, scope.run_id, actor, proposals_from(instance), progress)
        write_impressions(session, instance, {n.id: n.county for n in found.needs})
    report = build_report(
        session=session,
        scope=scope,
        candidates=found,
        instance=instance,
        solved=solved,
        diagnosis=diagnosis,
        proposed=written,
        total_seconds=time.perf_counter() - started,
    )
    run = session.get_one(MatchRun, scope.run_id)
    run.status = RunStatus.SUCCEEDED.value
    run.finished_at = datetime.now(UTC)
    run.report = report.to_json()
    audit.record(
        session=session,
        actor=actor,
        action="match_run.dry_run" if scope.dry_run else "match_run.run",
        entity="match_run",
        entity_id=scope.run_id,
        after={
            "county": scope.county,
            "mode": scope.mode,
            "proposed": written,
            "fill_rate": report.fill.overall,
        },
    )
    session.commit()
    return BatchRun(run=run, report=report, instance=instance)
