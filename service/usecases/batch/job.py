"""Batch runs as background jobs (issue 12, item 8).

A run is queued first (:func:`enqueue`, or :func:`confirm` for a preview's
confirmation) and then executed (:func:`execute`) by a job runner — the background
thread of ``rencai serve`` (``service.job_runner``), ``rencai match run`` in its own
process, or, when ``RENCAI_JOB_WORKER`` is off, the request that queued it.

* **Claiming.** A queued run is taken by one conditional UPDATE (``queued`` →
  ``running`` with the taker as ``owner``): of several runners on several nodes exactly
  one gets it. While it works its heartbeat refreshes the lease (``service.jobs``); a
  runner that dies leaves a run the next start-up marks failed with its reason.
* **One session per step.** Candidates and the problem (one read snapshot); the solver
  (no session); the diagnosis; the write, one transaction that also finishes the run.
* **Progress** is written to the run row as the steps advance (phase, done, total,
  percent 0–100), from a connection of its own; a page or ``rencai match watch`` reads
  it. The same read tells the job whether someone asked it to stop.
* **Cancellation** raises :class:`RunCancelled` at the next progress tick; the write
  step's transaction is rolled back, so nothing half-written remains.
* **Preview and confirmation.** A dry run (preview) stores its placements as
  ``RunProposal`` rows with a digest of the need's and the talent's state
  (:func:`states_of`); its confirmation writes exactly those placements, after checking
  in its write transaction that no digest changed. If one did, it writes nothing and
  says which placements no longer hold and why.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from matching.assignment import AssignmentOptions
from matching.assignment.options import LpSolver
from models import Match, MatchRun, Need, RunProposal, Talent, User
from models.enums import NeedStatus, RunStatus
from models.match import process_owner
from service import audit, jobs
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import AppError
from service.i18n import translate
from service.usecases.batch import candidates as candidates_step
from service.usecases.batch import solve as solve_step
from service.usecases.batch.candidates import Progress
from service.usecases.batch.diagnosis import diagnose
from service.usecases.batch.problem import BatchInstance, build_instance
from service.usecases.batch.report import RunReport, read_report
from service.usecases.batch.summary import RunScope, build_report
from service.usecases.batch.write import (
    Proposal,
    chosen_pairs,
    mark_failed,
    proposals_from,
    write_impressions,
    write_proposals,
)

SessionSource = Callable[[], AbstractContextManager[Session]]

# Runners wait on this between polls; queuing a run sets it (this process only).
queued = threading.Event()

# Each phase's share of the bar, as (from, to) percent.
PHASE_SPAN: dict[str, tuple[int, int]] = {
    "candidates": (0, 70),
    "solve": (70, 85),
    "report": (85, 90),
    "check": (0, 90),
    "write": (90, 100),
}
# The most changed placements a failed confirmation lists one by one.
CHANGES_LISTED = 50


def default_options(lp_solver: LpSolver = "auto") -> AssignmentOptions:
    """The run's assignment options when the caller gives none: a 20 % tilt towards
    poverty-township and high-altitude sites (the plan's 倾斜) on top of the score's own
    priority feature, and a time limit so one run never holds a coordinator for long.
    ``lp_solver``: the ``RENCAI_ASSIGNMENT_LP_SOLVER`` setting."""
    return AssignmentOptions(priority_weight=1.2, time_limit_seconds=120.0, lp_solver=lp_solver)


class RunCancelled(Exception):
    """Someone asked the run to stop; raised at its next progress tick."""


@dataclass
class Executed:
    """A run carried out to its end: the row and, unless it confirmed a preview, the
    report and the solved instance."""

    run: MatchRun
    report: RunReport
    instance: BatchInstance | None


def percent_of(phase: str, done: int, total: int) -> int:
    low, high = PHASE_SPAN.get(phase, (0, 100))
    share = 1.0 if total <= 0 else min(1.0, max(0.0, done / total))
    return int(low + (high - low) * share)


# ------------------------------------------------------------------ progress
class Tracker:
    """The progress callback of one run: passes each tick on to ``echo`` (a terminal's
    bar), records it on the run row at most every ``interval`` seconds from a session of
    its own, and raises :class:`RunCancelled` once a cancellation is asked for. While
    the write step holds the database's write lock it only reads (never queues behind
    its own run for the lock). Without an engine to connect to (a test's outer
    transaction) it only echoes."""

    def __init__(
        self,
        bind: Engine | None,
        run_id: int,
        echo: Progress | None = None,
        interval: float = 0.3,
    ) -> None:
        self.bind = bind
        self.run_id = run_id
        self.echo = echo
        self.interval = interval
        self._last = 0.0
        self._phase: str | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.echo is not None:
            self.echo(phase, done, total)
        now = time.monotonic()
        if phase == self._phase and now - self._last < self.interval and done < total:
            return
        self._phase, self._last = phase, now
        self.sync(phase, done, total, write=phase != "write" or done == 0)

    def sync(self, phase: str, done: int, total: int, *, write: bool = True) -> None:
        if self.bind is None:
            return
        with Session(self.bind) as session:
            if write:
                session.execute(
                    update(MatchRun)
                    .where(MatchRun.id == self.run_id, MatchRun.status == RunStatus.RUNNING.value)
                    .values(
                        progress_phase=phase,
                        progress_done=done,
                        progress_total=total,
                        percent=percent_of(phase, done, total),
                        heartbeat_at=datetime.now(UTC),
                    )
                )
                session.commit()
            stop = session.scalar(
                select(MatchRun.cancel_requested).where(MatchRun.id == self.run_id)
            )
        if stop:
            raise RunCancelled(self.run_id)


# ------------------------------------------------------------------ sessions
def one_session(session: Session) -> SessionSource:
    """Every step in the same session (the CLI's and a test's)."""

    @contextmanager
    def same() -> Iterator[Session]:
        yield session

    return same


def bind_of(session: Session) -> Engine | None:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else None


# ------------------------------------------------------------------ claiming
def next_queued(session: Session) -> int | None:
    """The oldest queued run, if any (a plain read)."""
    run_id = session.scalar(
        select(MatchRun.id)
        .where(MatchRun.status == RunStatus.QUEUED.value)
        .order_by(MatchRun.id)
        .limit(1)
    )
    session.rollback()
    return run_id


def claim(session: Session, run_id: int) -> bool:
    """Take a queued run: True for exactly one taker."""
    jobs.begin_write_phase(session)
    now = datetime.now(UTC)
    done = session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == RunStatus.QUEUED.value)
        .values(
            status=RunStatus.RUNNING.value,
            owner=process_owner(),
            started_at=now,
            heartbeat_at=now,
            percent=0,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(done.rowcount)  # type: ignore[attr-defined]


def _actor_of(session: Session, user_id: int | None) -> Actor | None:
    user = session.get(User, user_id) if user_id is not None else None
    return Actor.of(user) if user is not None else None


# ------------------------------------------------------------------ executing
def execute(
    *,
    sessions: SessionSource,
    engine: MatchingEngine,
    run_id: int,
    bind: Engine | None,
    echo: Progress | None = None,
    options: AssignmentOptions | None = None,
) -> Executed | None:
    """Claim the queued run ``run_id`` and carry it out; None when another runner took
    it first (or it was cancelled while queued). On failure or cancellation the run is
    marked so, nothing of it is written, and the exception is raised again."""
    with sessions() as session:
        if not claim(session, run_id):
            return None
        run = session.get_one(MatchRun, run_id)
        session.refresh(run)
        actor = _actor_of(session, run.created_by)
    tracker = Tracker(bind, run_id, echo)
    heartbeat = jobs.Heartbeat.on(bind, run_id, engine.settings.job_lease_seconds)
    started = time.perf_counter()
    try:
        if run.preview_of is not None:
            return _confirm(sessions, run, actor, tracker, started)
        scope = _scope(run, options or default_options(engine.settings.assignment_lp_solver))
        return _compute_and_write(sessions, engine, scope, actor, tracker, started)
    except BaseException as exc:
        with sessions() as session:
            session.rollback()
            if isinstance(exc, RunCancelled):
                _mark_cancelled(session, run_id, time.perf_counter() - started)
            elif isinstance(exc, WorldChanged):
                _mark_changed(session, run_id, exc.changes, time.perf_counter() - started)
            else:
                mark_failed(session, run_id, exc, time.perf_counter() - started)
        raise
    finally:
        jobs.stop(heartbeat)


def _scope(run: MatchRun, options: AssignmentOptions | None) -> RunScope:
    return RunScope(
        run_id=run.id,
        mode=run.mode,  # type: ignore[arg-type]
        dry_run=run.dry_run,
        county=run.county_code,
        candidates_per_need=run.candidates_per_need,
        options=options or default_options(),
    )


def _compute_and_write(
    sessions: SessionSource,
    engine: MatchingEngine,
    scope: RunScope,
    actor: Actor | None,
    tracker: Tracker,
    started: float,
) -> Executed:
    tracker.sync("candidates", 0, 1)
    with sessions() as session:  # step 1: candidates and the problem, one snapshot
        found = candidates_step.gather(
            session=session,
            engine=engine,
            county=scope.county,
            candidates_per_need=scope.candidates_per_need,
            progress=tracker,
        )
        instance = build_instance(session=session, engine=engine, candidates=found)
        states = states_of(session, instance.need_ids.tolist(), instance.talent_ids.tolist())
        session.rollback()
    # step 2: the solver, no session
    solved = solve_step.solve(instance, mode=scope.mode, options=scope.options, progress=tracker)
    candidates_step.explain(found, chosen_pairs(instance))
    proposals = proposals_from(instance)
    with sessions() as session:  # step 3: why each short need is short
        arrays = engine.talent_arrays(session)
        diagnosis = diagnose(session, found, instance, solved.reasons, arrays)
        session.rollback()
    tracker("report", 1, 1)
    tracker.sync("write", 0, len(proposals))
    with sessions() as session:  # step 4: one transaction writes and finishes the run
        jobs.begin_write_phase(session)
        written = 0
        if scope.dry_run:
            keep_proposals(session, scope.run_id, proposals, states)
        else:
            written = write_proposals(session, scope.run_id, actor, proposals, tracker)
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
        done = _finish(session, scope.run_id, report.to_json())
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
    return Executed(run=done, report=report, instance=instance)


def _finish(session: Session, run_id: int, report: dict[str, Any]) -> MatchRun:
    run = session.get_one(MatchRun, run_id)
    run.status = RunStatus.SUCCEEDED.value
    run.finished_at = datetime.now(UTC)
    run.report = report
    run.percent = 100
    run.progress_phase = "done"
    return run


# ------------------------------------------------------------------ preview state
def _digest(parts: Iterable[object]) -> str:
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def states_of(
    session: Session, need_ids: Sequence[int], talent_ids: Sequence[int]
) -> tuple[dict[int, str], dict[int, str]]:
    """A digest of each need's and each talent's state as a run sees it: the row's last
    change, the need's status and headcount, and every match it has with its status."""
    need_matches: dict[int, list[str]] = {int(i): [] for i in need_ids}
    talent_matches: dict[int, list[str]] = {int(i): [] for i in talent_ids}
    need_rows: dict[int, str] = {}
    talent_rows: dict[int, str] = {}
    for chunk in _chunks(list(need_matches)):
        for nid, status, headcount, changed in session.execute(
            select(Need.id, Need.status, Need.headcount, Need.updated_at).where(Need.id.in_(chunk))
        ):
            need_rows[nid] = f"{status}:{headcount}:{changed.isoformat()}"
        for mid, nid, status in session.execute(
            select(Match.id, Match.need_id, Match.status).where(Match.need_id.in_(chunk))
        ):
            need_matches[nid].append(f"{mid}:{status}")
    for chunk in _chunks(list(talent_matches)):
        for tid, changed in session.execute(
            select(Talent.id, Talent.updated_at).where(Talent.id.in_(chunk))
        ):
            talent_rows[tid] = changed.isoformat()
        for mid, tid, status in session.execute(
            select(Match.id, Match.talent_id, Match.status).where(Match.talent_id.in_(chunk))
        ):
            talent_matches[tid].append(f"{mid}:{status}")
    needs = {i: _digest([need_rows.get(i, "gone"), *sorted(m)]) for i, m in need_matches.items()}
    talents = {
        i: _digest([talent_rows.get(i, "gone"), *sorted(m)]) for i, m in talent_matches.items()
    }
    return needs, talents


def keep_proposals(
    session: Session,
    run_id: int,
    proposals: list[Proposal],
    states: tuple[dict[int, str], dict[int, str]],
) -> None:
    needs, talents = states
    session.add_all(
        RunProposal(
            run_id=run_id,
            need_id=p.need_id,
            talent_id=p.talent_id,
            score=p.score,
            breakdown=p.breakdown,
            need_state=needs.get(p.need_id, ""),
            talent_state=talents.get(p.talent_id, ""),
        )
        for p in proposals
    )
    session.flush()


def proposals_of(session: Session, run_id: int) -> list[RunProposal]:
    return list(
        session.scalars(
            select(RunProposal)
            .where(RunProposal.run_id == run_id)
            .order_by(RunProposal.need_id, RunProposal.score.desc(), RunProposal.id)
        )
    )


# ------------------------------------------------------------------ confirmation
@dataclass(frozen=True)
class Change:
    """A preview's placement that no longer holds, and why (a reason code for the
    report and the words a person reads)."""

    need_id: int
    talent_id: int
    need: str
    talent: str
    reason: str
    zh: str
    en: str

    def to_json(self) -> dict[str, Any]:
        return {
            "need_id": self.need_id,
            "talent_id": self.talent_id,
            "need": self.need,
            "talent": self.talent,
            "reason": self.reason,
            "zh": self.zh,
            "en": self.en,
        }


class WorldChanged(Exception):
    def __init__(self, changes: list[Change]) -> None:
        super().__init__(f"{len(changes)} placements of the preview no longer hold")
        self.changes = changes


def _words(key: str, **values: tuple[str, str]) -> tuple[str, str]:
    """The zh-CN and English words of ``batchjob.change.<key>``; each value is given in
    both languages."""
    zh = translate(f"batchjob.change.{key}", "zh-CN").format(**{k: v[0] for k, v in values.items()})
    en = translate(f"batchjob.change.{key}", "en").format(**{k: v[1] for k, v in values.items()})
    return zh, en


def _need_status(need: Need | None) -> tuple[str, str]:
    if need is None:
        return _words("gone")
    return (
        translate(f"need_status.{need.status}", "zh-CN"),
        translate(f"need_status.{need.status}", "en"),
    )


def world_changes(session: Session, rows: Sequence[RunProposal]) -> list[Change]:
    """The preview's placements whose need or talent changed since the preview."""
    needs_now, talents_now = states_of(
        session, sorted({r.need_id for r in rows}), sorted({r.talent_id for r in rows})
    )
    need_rows = {n.id: n for n in session.scalars(select(Need).where(Need.id.in_(needs_now)))}
    talent_names = {
        k: v
        for k, v in session.execute(
            select(Talent.id, Talent.name).where(Talent.id.in_(talents_now))
        )
    }
    changes = []
    for r in rows:
        need = need_rows.get(r.need_id)
        if need is None or need.status != NeedStatus.OPEN.value:
            reason, (zh, en) = "need_not_open", _words("need_not_open", status=_need_status(need))
        elif needs_now.get(r.need_id) != r.need_state:
            reason, (zh, en) = "need_changed", _words("need_changed")
        elif talents_now.get(r.talent_id) != r.talent_state:
            reason, (zh, en) = "talent_changed", _words("talent_changed")
        else:
            continue
        title = need.title if need is not None else ""
        name = talent_names.get(r.talent_id, "")
        changes.append(Change(r.need_id, r.talent_id, title, name, reason, zh, en))
    return changes


def _confirm(
    sessions: SessionSource,
    run: MatchRun,
    actor: Actor | None,
    tracker: Tracker,
    started: float,
) -> Executed:
    preview_id = int(run.preview_of or 0)
    tracker.sync("check", 0, 1)
    with sessions() as session:
        jobs.begin_write_phase(session)  # the check and the write see one state
        rows = proposals_of(session, preview_id)
        changes = world_changes(session, rows)
        if changes:
            raise WorldChanged(changes)
        proposals = [Proposal(r.need_id, r.talent_id, r.score, list(r.breakdown)) for r in rows]
        written = write_proposals(session, run.id, actor, proposals, tracker)
        preview = session.get_one(MatchRun, preview_id)
        stored = read_report(preview.report)
        if not isinstance(stored, RunReport):
            raise AppError(409, "conflict", "the preview has no report", "预览没有报告")
        report = replace(
            stored,
            run_id=run.id,
            dry_run=False,
            proposed=written,
            timings=replace(stored.timings, total_seconds=round(time.perf_counter() - started, 3)),
        )
        body = {**report.to_json(), "confirms": preview_id}
        done = _finish(session, run.id, body)
        audit.record(
            session=session,
            actor=actor,
            action="match_run.confirm",
            entity="match_run",
            entity_id=run.id,
            after={"preview": preview_id, "proposed": written},
        )
        session.commit()
    return Executed(run=done, report=report, instance=None)


# ------------------------------------------------------------------ endings
def _end(session: Session, run_id: int, status: RunStatus, report: dict[str, Any]) -> None:
    jobs.begin_write_phase(session)
    session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id)
        .values(status=status.value, finished_at=datetime.now(UTC), report=report)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def cancelled_report(run_id: int, seconds: float) -> dict[str, Any]:
    return {
        "error": translate("batchjob.cancelled", "en").format(run=run_id),
        "error_zh": translate("batchjob.cancelled", "zh-CN").format(run=run_id),
        "reason": "cancelled",
        "total_seconds": round(seconds, 3),
    }


def _mark_cancelled(session: Session, run_id: int, seconds: float) -> None:
    _end(session, run_id, RunStatus.CANCELLED, cancelled_report(run_id, seconds))


def _mark_changed(session: Session, run_id: int, changes: list[Change], seconds: float) -> None:
    n = len(changes)
    _end(
        session,
        run_id,
        RunStatus.FAILED,
        {
            "error": translate("batchjob.world_changed", "en").format(n=n),
            "error_zh": translate("batchjob.world_changed", "zh-CN").format(n=n),
            "reason": "world_changed",
            "total_seconds": round(seconds, 3),
            "changes": [c.to_json() for c in changes[:CHANGES_LISTED]],
            "changes_count": n,
        },
    )
