"""What a person or the CLI asks of runs: queue one (committed, status ``queued``),
confirm a preview, cancel, or run one to its end in this thread. The steps themselves
are in :mod:`service.usecases.batch.job`; on any failure only the run row remains,
marked ``failed`` (or ``cancelled``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching.assignment import AssignmentOptions
from models import MatchRun
from models.enums import Role, RunStatus
from service import audit, jobs, policy
from service.actor import Actor, require
from service.engine import MatchingEngine
from service.errors import AppError, FieldError, not_found
from service.usecases import expiry
from service.usecases.batch import job
from service.usecases.batch.candidates import Progress
from service.usecases.batch.job import default_options
from service.usecases.batch.problem import BatchInstance
from service.usecases.batch.read import get_or_raise, resolve_county
from service.usecases.batch.report import RunReport
from service.usecases.batch.solve import RUN_MODES, RunMode


@dataclass
class BatchRun:
    """The recorded run (committed) with its report, and the solved instance."""

    run: MatchRun
    report: RunReport
    instance: BatchInstance | None


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


def enqueue(
    *,
    session: Session,
    engine: MatchingEngine,
    actor: Actor | None,
    county: str | None,
    mode: str = "optimal",
    dry_run: bool = False,
    candidates_per_need: int = 30,
) -> MatchRun:
    """Check the request and queue the run (committed, status ``queued``); a job runner
    carries it out (:func:`service.usecases.batch.job.execute`). ``county`` is a code or
    a name; None means every county."""
    _check_arguments(mode, candidates_per_need)
    code = resolve_county(session=session, value=county) if county else None
    authorise(actor, code)
    # Needs whose end date has passed expire before the run picks its open needs.
    expiry.expire_needs(session, on=engine.settings.today, actor=actor)
    jobs.reap_stale_runs(session, engine.settings.job_lease_seconds)
    run = MatchRun(
        county_code=code,
        mode=mode,
        dry_run=dry_run,
        status=RunStatus.QUEUED.value,
        created_by=actor.id if actor else None,
        candidates_per_need=candidates_per_need,
        owner=None,
        heartbeat_at=None,
    )
    session.add(run)
    session.commit()
    job.queued.set()
    return run


def _live_confirmation(session: Session, preview_id: int) -> MatchRun | None:
    return session.scalars(
        select(MatchRun).where(
            MatchRun.preview_of == preview_id,
            MatchRun.status.in_(
                [RunStatus.QUEUED.value, RunStatus.RUNNING.value, RunStatus.SUCCEEDED.value]
            ),
        )
    ).first()


def confirm(*, session: Session, actor: Actor | None, preview_id: int) -> MatchRun:
    """Queue the confirmation of a preview: a run that writes exactly the preview's
    placements (or nothing, saying why, if the world changed in between)."""
    preview = _run_for(session, actor, preview_id)
    authorise(actor, preview.county_code)
    if not preview.dry_run or preview.status != RunStatus.SUCCEEDED.value:
        raise AppError(
            409,
            "conflict",
            f"run {preview_id} is not a finished preview; only a finished dry run is confirmed",
            "只有已完成的试运行（预览）可以确认",
            [FieldError("run_id", "expected a succeeded dry run", preview.status)],
        )
    earlier = _live_confirmation(session, preview_id)
    if earlier is not None:
        raise AppError(
            409,
            "conflict",
            f"this preview is already confirmed by run {earlier.id} ({earlier.status})",
            "该预览已经确认过",
            [FieldError("run_id", "expected a preview not yet confirmed", earlier.id)],
        )
    run = MatchRun(
        county_code=preview.county_code,
        mode=preview.mode,
        dry_run=False,
        status=RunStatus.QUEUED.value,
        created_by=actor.id if actor else None,
        candidates_per_need=preview.candidates_per_need,
        preview_of=preview.id,
        owner=None,
        heartbeat_at=None,
    )
    session.add(run)
    session.commit()
    job.queued.set()
    return run


def _run_for(session: Session, actor: Actor | None, run_id: int) -> MatchRun:
    if actor is not None:
        return get_or_raise(session=session, actor=actor, run_id=run_id)
    run = session.get(MatchRun, run_id)
    if run is None:
        raise not_found("run")
    return run


def cancel(*, session: Session, actor: Actor | None, run_id: int) -> MatchRun:
    """Stop a run: a queued one at once; a running one at its next progress tick (its
    write is rolled back, nothing half-written remains). A finished run: 409."""
    run = _run_for(session, actor, run_id)
    authorise(actor, run.county_code)
    jobs.begin_write_phase(session)
    stopped = session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == RunStatus.QUEUED.value)
        .values(
            status=RunStatus.CANCELLED.value,
            finished_at=datetime.now(UTC),
            report=job.cancelled_report(run_id, 0.0),
        )
        .execution_options(synchronize_session=False)
    )
    if not stopped.rowcount:  # type: ignore[attr-defined]
        asked = session.execute(
            update(MatchRun)
            .where(MatchRun.id == run_id, MatchRun.status == RunStatus.RUNNING.value)
            .values(cancel_requested=True)
            .execution_options(synchronize_session=False)
        )
        if not asked.rowcount:  # type: ignore[attr-defined]
            session.rollback()
            session.refresh(run)
            raise AppError(
                409,
                "conflict",
                f"run {run_id} has already ended ({run.status}); nothing to cancel",
                "该批量匹配已结束，无法取消",
                [FieldError("run_id", "expected a queued or running run", run.status)],
            )
    audit.record(
        session=session,
        actor=actor,
        action="match_run.cancel",
        entity="match_run",
        entity_id=run_id,
        after={"status": "cancelled" if stopped.rowcount else "cancel_requested"},  # type: ignore[attr-defined]
    )
    session.commit()
    session.refresh(run)
    return run


def run_inline(
    *,
    session: Session,
    engine: MatchingEngine,
    run: MatchRun,
    progress: Progress | None = None,
    options: AssignmentOptions | None = None,
) -> BatchRun:
    """Carry out a queued run in this thread, every step in ``session``."""
    done = job.execute(
        sessions=job.one_session(session),
        engine=engine,
        run_id=run.id,
        bind=job.bind_of(session),
        echo=progress,
        options=options or default_options(engine.settings.assignment_lp_solver),
    )
    if done is None:
        raise AppError(409, "conflict", f"run {run.id} was taken or cancelled", "该匹配已被取消")
    return BatchRun(run=done.run, report=done.report, instance=done.instance)


def start(*, session: Session, engine: MatchingEngine, run: MatchRun) -> MatchRun:
    """A queued run: left to the background job runner (``RENCAI_JOB_WORKER``), or,
    without one, carried out here and now."""
    if engine.settings.job_worker:
        return run
    try:
        return run_inline(session=session, engine=engine, run=run).run
    except (job.RunCancelled, job.WorldChanged):
        session.rollback()
        return session.get_one(MatchRun, run.id)


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
    """Propose placements for every open need of ``county`` (None: every county), in
    this thread: queue the run, then carry it out.

    ``county`` is a code or a name. Raises :class:`AppError` for a person-fixable
    problem (unknown county, outside the jurisdiction, infeasible options). Any failure
    after the run started leaves only its ``MatchRun`` row, marked ``failed``.
    """
    run = enqueue(
        session=session,
        engine=engine,
        actor=actor,
        county=county,
        mode=mode,
        dry_run=dry_run,
        candidates_per_need=candidates_per_need,
    )
    try:
        return run_inline(
            session=session, engine=engine, run=run, progress=progress, options=options
        )
    except IntegrityError as exc:
        raise AppError(
            409,
            "conflict",
            "another run or a person created one of these matches at the same time; run again",
            "其他操作同时创建了对接记录，请重新运行",
        ) from exc
