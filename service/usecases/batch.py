"""Batch matching over a jurisdiction: one run proposes the best set of placements for
every open need at once and says what it could not fill and why.

A run has three steps:

1. **Candidates.** For each open need the engine gives its best talents (hard
   constraints already applied) with scores and breakdowns. Pairs that already have a
   match row in *any* status are left out: a decision is never overwritten and the
   unique (need, talent) key is respected.
2. **Assign.** ``optimal`` solves the assignment exactly on that candidate graph
   (:func:`matching.assignment.solve_assignment`); ``stable`` runs deferred acceptance.
3. **Write.** ``proposed`` matches with their score breakdown and the run id, one
   ``MatchEvent`` each and one audit event for the run, all in one transaction. The
   ``MatchRun`` row itself is committed first (status ``running``) so that a failure
   leaves that row, marked ``failed``, and nothing else.

Open proposals (proposed, interested, accepted) from earlier runs count against a
need's headcount and a talent's capacity here, as approved and active matches do. Were
they not counted, every re-run would pile one more proposal onto each need; counted,
a re-run over unchanged data proposes nothing, and a decline frees the slot for the
next run.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching.assignment import (
    AssignmentOptions,
    AssignmentProblem,
    AssignmentStatus,
    StableMatching,
    UnfilledReason,
    assignment_report,
    deferred_acceptance,
    placement_report,
    preferences_from_scores,
    solve_assignment,
)
from matching.constraints import Constraint, TalentArrays
from matching.geo import haversine_km
from matching.results import Recommendation
from matching.types import Mode, NeedProfile
from models import County, Match, MatchEvent, MatchRun, Need, Site
from models.enums import MatchOrigin, MatchStatus, NeedStatus, Role, RunStatus
from service import audit, jobs
from service.auth import Actor, require
from service.engine import MatchingEngine
from service.errors import AppError, FieldError, not_found
from service.profiles import need_profiles, talent_profiles

log = logging.getLogger(__name__)

RunMode = Literal["optimal", "stable"]
RUN_MODES: tuple[str, ...] = ("optimal", "stable")

# (phase, done, total): phases are "candidates", "solve" and "write".
Progress = Callable[[str, int, int], None]

# Statuses in which a match takes one of the need's slots and one unit of the talent's
# capacity for the purposes of a run (see the module docstring).
RESERVING = frozenset(
    {
        MatchStatus.PROPOSED,
        MatchStatus.INTERESTED,
        MatchStatus.ACCEPTED,
        MatchStatus.APPROVED,
        MatchStatus.ACTIVE,
    }
)
_RESERVING = [s.value for s in RESERVING]

DEFAULT_HIGH_ALTITUDE_M = 2500.0
# Unfilled needs listed one by one in the report; the counts always cover all of them.
REPORT_UNFILLED_LIMIT = 500
_WRITE_CHUNK = 200


def default_options() -> AssignmentOptions:
    """The run's assignment options when the caller gives none: a 20 % tilt towards
    poverty-township and high-altitude sites (the plan's 倾斜) on top of the score's own
    priority feature, and a time limit so one run never holds a coordinator for long."""
    return AssignmentOptions(priority_weight=1.2, time_limit_seconds=120.0)


# ------------------------------------------------------------------ reasons
class Unfilled:
    """Why a need got fewer proposals than it has open slots."""

    NO_FEASIBLE = "no_feasible_candidate"
    FEW_CANDIDATES = "too_few_candidates"
    ALREADY_MATCHED = "candidates_already_matched"
    CAPACITY_COMMITTED = "capacity_committed"
    CAPACITY_EXHAUSTED = UnfilledReason.CAPACITY_EXHAUSTED.value
    INSTITUTION_CAP = UnfilledReason.INSTITUTION_CAP.value
    NOT_WORTHWHILE = UnfilledReason.NOT_WORTHWHILE.value


REASON_TEXT: dict[str, tuple[str, str]] = {
    Unfilled.NO_FEASIBLE: (
        "没有人才满足硬性条件",
        "no talent passes the hard constraints",
    ),
    Unfilled.FEW_CANDIDATES: (
        "满足硬性条件的人才少于所需人数，已全部推荐",
        "fewer talents pass the hard constraints than the need asks for; all were proposed",
    ),
    Unfilled.ALREADY_MATCHED: (
        "符合条件的人才均已与该需求有对接记录（待定或已决定）",
        "every feasible talent already has a match with this need (pending or decided)",
    ),
    Unfilled.CAPACITY_COMMITTED: (
        "候选人才的服务容量已被此前的对接占满",
        "every candidate's capacity is taken by earlier matches",
    ),
    Unfilled.CAPACITY_EXHAUSTED: (
        "候选人才已被安排到更合适的需求",
        "capacity exhausted by better uses in this run",
    ),
    Unfilled.INSTITUTION_CAP: (
        "同一机构派往该单位的人数已达上限",
        "held back by the per-institution cap at this site",
    ),
    Unfilled.NOT_WORTHWHILE: (
        "候选人才匹配度过低，安排不划算",
        "the remaining candidates would lower the total (score too low)",
    ),
}

CONSTRAINT_TEXT: dict[str, tuple[str, str]] = {
    Constraint.WINDOW: ("服务时间不重合", "no shared time window"),
    Constraint.MODE: ("服务方式不符", "service mode not offered"),
    Constraint.TITLE: ("职称不足", "title too low"),
    Constraint.DEGREE: ("学历不足", "degree too low"),
    Constraint.LICENCE: ("缺少资格证书", "missing licence"),
    Constraint.DISTANCE: ("距离超出出行半径", "beyond travel radius"),
    Constraint.LANGUAGE: ("语言不符", "language not spoken"),
    Constraint.CAPACITY_CONCURRENT: ("同时服务已满", "fully booked"),
    Constraint.CAPACITY_DAYS: ("年度服务天数不足", "not enough days left this year"),
    Constraint.DECLINED: ("此前已婉拒", "declined before"),
    Constraint.BLOCKED: ("已设屏蔽", "blocked"),
}


# ------------------------------------------------------------------ results
@dataclass
class BatchInstance:
    """What was solved, for callers and tests that check the answer.

    need_ids (N,), talent_ids (T,) map problem indices to database ids; ``problem`` is
    the optimal-mode instance (built in both modes); ``chosen`` (K,) indexes its edges.
    In stable mode ``need_preferences`` / ``talent_preferences`` / ``stable_capacity``
    and ``matching`` are the deferred-acceptance input and output.
    """

    need_ids: np.ndarray
    talent_ids: np.ndarray
    problem: AssignmentProblem
    chosen: np.ndarray
    recommendations: dict[tuple[int, int], Recommendation] = field(default_factory=dict)
    need_preferences: list[list[int]] | None = None
    talent_preferences: list[list[int]] | None = None
    stable_capacity: np.ndarray | None = None
    matching: StableMatching | None = None


@dataclass
class BatchRun:
    """The recorded run (committed) with its report, and the solved instance."""

    run: MatchRun
    report: dict[str, Any]
    instance: BatchInstance | None


# ------------------------------------------------------------------ scope
def resolve_county(*, session: Session, value: str) -> str:
    """A county's code from its code, Chinese name (双柏县), former or English name."""
    text = value.strip()
    code = session.scalar(
        select(County.code).where(
            or_(
                County.code == text,
                County.name == text,
                County.former_name == text,
                func.lower(County.name_en) == text.lower(),
            )
        )
    )
    if code is None:
        raise AppError(
            422,
            "validation_error",
            f"unknown county {value!r}",
            f"未知的县市：{value}",
            [FieldError("county", "expected a county code or name of 楚雄州", value)],
        )
    return str(code)


def authorise(actor: Actor | None, county: str | None) -> None:
    """Coordinators run their own jurisdiction; only a prefecture coordinator or an
    admin runs all counties. Counties are public, so refusing says 403, not 404."""
    if actor is None:  # the CLI, run by the operator of the machine
        return
    require(actor, Role.COORDINATOR, Role.ADMIN)
    if county is None:
        if not (actor.is_admin or actor.jurisdiction is None):
            raise AppError(
                403,
                "forbidden",
                "only a prefecture coordinator or an admin may run all counties",
                "仅州级协调员或管理员可对全州运行匹配",
            )
    elif not actor.covers_county(county):
        raise AppError(
            403,
            "forbidden",
            f"county {county} is outside your jurisdiction",
            "该县市不在您的管辖范围内",
        )


# ------------------------------------------------------------------ run
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
    code = resolve_county(session=session, value=county) if county else None
    authorise(actor, code)
    options = options or default_options()
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
    run_id = run.id
    started = time.perf_counter()
    heartbeat = jobs.Heartbeat.start(session, run_id, lease)
    try:
        report, instance, proposals = _compute(
            session=session,
            engine=engine,
            county=code,
            mode=mode,
            options=options,
            candidates_per_need=candidates_per_need,
            progress=progress,
        )
        jobs.begin_write_phase(session)
        report.update(
            run_id=run_id,
            mode=mode,
            dry_run=dry_run,
            county=code,
            county_name=_county_name(session, code),
        )
        written = 0
        if not dry_run:
            written = _write(session, run_id, actor, proposals, progress)
        report["proposed"] = written
        report["total_seconds"] = round(time.perf_counter() - started, 3)
        run = session.get_one(MatchRun, run_id)
        run.status = RunStatus.SUCCEEDED.value
        run.finished_at = datetime.now(UTC)
        run.report = report
        audit.record(
            session=session,
            actor=actor,
            action="match_run.dry_run" if dry_run else "match_run.run",
            entity="match_run",
            entity_id=run_id,
            after={
                "county": code,
                "mode": mode,
                "proposed": written,
                "fill_rate": report["fill_rate"],
            },
        )
        session.commit()
    except BaseException as exc:
        session.rollback()
        _mark_failed(session, run_id, exc, time.perf_counter() - started)
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
    return BatchRun(run=run, report=report, instance=instance)


def _mark_failed(session: Session, run_id: int, exc: BaseException, seconds: float) -> None:
    try:
        jobs.begin_write_phase(session)
        run = session.get_one(MatchRun, run_id)
        run.status = RunStatus.FAILED.value
        run.finished_at = datetime.now(UTC)
        run.report = jobs.failure_report(run_id, exc, seconds)
        session.commit()
    except Exception:  # the database itself may be why the run failed
        log.exception("could not mark match run %s as failed", run_id)
        session.rollback()


def _county_name(session: Session, code: str | None) -> str | None:
    return session.scalar(select(County.name).where(County.code == code)) if code else None


# ------------------------------------------------------------------ compute
@dataclass
class _Proposal:
    need_id: int
    talent_id: int
    score: float
    breakdown: list[dict[str, Any]]


def _scope_needs(session: Session, county: str | None) -> list[NeedProfile]:
    stmt = (
        select(Need.id)
        .join(Site, Need.site_id == Site.id)
        .where(Need.status == NeedStatus.OPEN.value)
    )
    if county:
        stmt = stmt.where(Site.county_code == county)
    ids = list(session.scalars(stmt.order_by(Need.id)))
    return need_profiles(session, ids) if ids else []


def _existing_pairs(session: Session, need_ids: Sequence[int]) -> dict[int, set[int]]:
    pairs: dict[int, set[int]] = defaultdict(set)
    for need_id, talent_id in session.execute(
        select(Match.need_id, Match.talent_id).where(Match.need_id.in_(list(need_ids)))
    ):
        pairs[need_id].add(talent_id)
    return pairs


def _reserved_per_need(session: Session, need_ids: Sequence[int]) -> dict[int, int]:
    return {
        need_id: int(n)
        for need_id, n in session.execute(
            select(Match.need_id, func.count())
            .where(Match.need_id.in_(list(need_ids)), Match.status.in_(_RESERVING))
            .group_by(Match.need_id)
        )
    }


def _reserved_per_talent(session: Session, talent_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    return {
        talent_id: (int(n), int(days or 0))
        for talent_id, n, days in session.execute(
            select(Match.talent_id, func.count(), func.sum(Need.days_needed))
            .join(Need, Match.need_id == Need.id)
            .where(Match.talent_id.in_(list(talent_ids)), Match.status.in_(_RESERVING))
            .group_by(Match.talent_id)
        )
    }


def _high_altitude_m(engine: MatchingEngine) -> float:
    try:
        return float(engine.settings.matching_config().high_altitude_m)
    except Exception:  # an odd override must not stop a run; the plan's line is 2500 m
        return DEFAULT_HIGH_ALTITUDE_M


def _compute(
    *,
    session: Session,
    engine: MatchingEngine,
    county: str | None,
    mode: RunMode,
    options: AssignmentOptions,
    candidates_per_need: int,
    progress: Progress | None,
) -> tuple[dict[str, Any], BatchInstance, list[_Proposal]]:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    needs_all = _scope_needs(session, county)
    need_ids_all = [n.id for n in needs_all]
    reserved = _reserved_per_need(session, need_ids_all) if need_ids_all else {}
    remaining = {n.id: max(0, n.headcount - reserved.get(n.id, 0)) for n in needs_all}
    needs = [n for n in needs_all if remaining[n.id] > 0]
    existing = _existing_pairs(session, [n.id for n in needs]) if needs else {}

    # 1. candidates from the engine, minus every pair that already has a match row
    recs: dict[tuple[int, int], Recommendation] = {}
    feasible_found: dict[int, int] = {}
    want: dict[int, int] = {}
    per_need: dict[int, list[Recommendation]] = {}
    if needs:
        engine.sync(session)
    for i, need in enumerate(needs):
        taken = existing.get(need.id, set())
        # A need asking for many people gets at least as many candidates as slots.
        want[need.id] = max(candidates_per_need, remaining[need.id])
        found = engine.recommend_talents(session, need, k=want[need.id] + len(taken))
        feasible_found[need.id] = len(found)
        kept = [r for r in found if r.talent_id not in taken][: want[need.id]]
        per_need[need.id] = kept
        for r in kept:
            recs[(need.id, r.talent_id)] = r
        if progress:
            progress("candidates", i + 1, len(needs))
    timings["candidate_seconds"] = time.perf_counter() - clock

    # 2. the instance
    talent_ids = np.array(sorted({t for _, t in recs}), dtype=np.int64)
    t_row = {int(t): i for i, t in enumerate(talent_ids)}
    profiles = (
        {p.id: p for p in talent_profiles(session, talent_ids.tolist())} if len(talent_ids) else {}
    )
    held = _reserved_per_talent(session, talent_ids.tolist()) if len(talent_ids) else {}
    high_m = _high_altitude_m(engine)
    need_ids = np.array([n.id for n in needs], dtype=np.int64)
    edge_need: list[int] = []
    edge_talent: list[int] = []
    edge_score: list[float] = []
    edge_existing: list[bool] = []
    for n_idx, need in enumerate(needs):
        for r in per_need[need.id]:
            profile = profiles.get(r.talent_id)
            if profile is None:  # deactivated since the engine last synced
                continue
            edge_need.append(n_idx)
            edge_talent.append(t_row[r.talent_id])
            edge_score.append(float(r.score))
            edge_existing.append(
                (need.site_id is not None and need.site_id in profile.paired_site_ids)
                or need.county in profile.paired_counties
            )
    capacity = np.zeros(len(talent_ids), np.int64)
    days = np.zeros(len(talent_ids), np.int64)
    institution = np.full(len(talent_ids), -1, np.int64)
    for i, tid in enumerate(talent_ids.tolist()):
        profile = profiles.get(tid)
        if profile is None:
            continue
        n_held, days_held = held.get(tid, (0, 0))
        capacity[i] = max(0, profile.capacity_concurrent - n_held)
        days[i] = max(0, profile.capacity_days_per_year - days_held)
        institution[i] = profile.institution_id if profile.institution_id else -1
    headcount = np.array([remaining[n.id] for n in needs], dtype=np.int64)
    priority = np.array([_is_priority(n, high_m) for n in needs], dtype=bool)
    county_codes = sorted({n.county for n in needs})
    county_label = {c: i for i, c in enumerate(county_codes)}
    problem = AssignmentProblem.from_arrays(
        need_index=np.array(edge_need, np.int64),
        talent_index=np.array(edge_talent, np.int64),
        score=np.array(edge_score, np.float64),
        edge_existing=np.array(edge_existing, bool),
        need_headcount=headcount,
        need_days=np.array([n.days_needed for n in needs], np.int64),
        need_priority=priority,
        need_county=np.array([county_label[n.county] for n in needs], np.int64),
        need_site=np.array([n.site_id if n.site_id is not None else -1 for n in needs], np.int64),
        talent_capacity=capacity,
        talent_days=days,
        talent_institution=institution,
    )

    # 3. solve
    if progress:
        progress("solve", 0, 1)
    clock = time.perf_counter()
    instance = BatchInstance(
        need_ids=need_ids,
        talent_ids=talent_ids,
        problem=problem,
        chosen=np.zeros(0, np.int64),
        recommendations=recs,
    )
    solver: dict[str, Any]
    if mode == "optimal":
        result = solve_assignment(problem, options)
        if result.status is AssignmentStatus.INFEASIBLE:
            raise AppError(
                422,
                "infeasible",
                f"the run's options cannot all hold: {result.message}",
                f"匹配条件无法同时满足：{result.message}",
            )
        instance.chosen = result.chosen_edges
        summary = assignment_report(problem, result)
        solver_reasons: dict[int, str] = {int(k): str(v) for k, v in result.unfilled.items()}
        solver = {
            "objective": _num(result.objective),
            "bound": _num(result.bound),
            "gap": _num(result.gap),
            "status": str(result.status),
            "method": result.method,
            "solve_seconds": round(result.solve_seconds, 4),
            "build_seconds": round(result.build_seconds, 4),
            "total_score": _num(result.total_score),
            "message": result.message,
            "county_shortfall": {
                county_codes[int(k)]: int(v) for k, v in result.county_shortfall.items()
            },
        }
    else:
        chosen, solver_reasons, solver = _solve_stable(problem, instance)
        instance.chosen = chosen
        summary = placement_report(headcount, problem.need_index[chosen], priority, solver_reasons)
    timings["solver_seconds"] = time.perf_counter() - clock
    if progress:
        progress("solve", 1, 1)

    # 4. why each short need is short
    clock = time.perf_counter()
    placed = np.bincount(problem.need_index[instance.chosen], minlength=len(needs))
    n_edges = np.bincount(problem.need_index, minlength=len(needs))
    has_edges = n_edges > 0
    # Every feasible talent placed and still short: too few passed the hard constraints.
    short_of_talent = [
        needs[i]
        for i in range(len(needs))
        if placed[i] < headcount[i]
        and (
            feasible_found[needs[i].id] == 0
            or (placed[i] == n_edges[i] and feasible_found[needs[i].id] < want[needs[i].id])
        )
    ]
    blockers = _blocking_constraints(session, short_of_talent) if short_of_talent else {}
    unfilled: list[dict[str, Any]] = []
    for i, need in enumerate(needs):
        if placed[i] >= headcount[i]:
            continue
        entry: dict[str, Any] = {
            "need_id": need.id,
            "site_id": need.site_id,
            "county": need.county,
            "headcount": int(headcount[i]),
            "placed": int(placed[i]),
            "missing": int(headcount[i] - placed[i]),
            "priority": bool(priority[i]),
        }
        if not has_edges[i]:
            if feasible_found[need.id] == 0:
                entry["reason"] = Unfilled.NO_FEASIBLE
                entry.update(blockers.get(need.id, {}))
            else:
                entry["reason"] = Unfilled.ALREADY_MATCHED
        else:
            reason = solver_reasons.get(i, Unfilled.CAPACITY_EXHAUSTED)
            if reason == UnfilledReason.NO_CANDIDATES.value:
                # No usable candidate left: either all were placed here, or the rest
                # have no capacity (or days) left after earlier matches.
                reason = (
                    Unfilled.FEW_CANDIDATES
                    if placed[i] == n_edges[i]
                    else Unfilled.CAPACITY_COMMITTED
                )
            entry["reason"] = reason
            if need.id in blockers:
                entry.update(blockers[need.id])
        entry["reason_zh"], entry["reason_en"] = REASON_TEXT[entry["reason"]]
        unfilled.append(entry)
    timings["diagnosis_seconds"] = time.perf_counter() - clock

    if unfilled:
        listed = [e["need_id"] for e in unfilled[:REPORT_UNFILLED_LIMIT]]
        titles = {
            row.id: row.title
            for row in session.execute(select(Need.id, Need.title).where(Need.id.in_(listed)))
        }
        for e in unfilled[:REPORT_UNFILLED_LIMIT]:
            e["title"] = titles.get(e["need_id"], "")
    by_reason = Counter(e["reason"] for e in unfilled)
    by_constraint = Counter(
        e["constraint"]
        for e in unfilled
        if e.get("constraint") and e["reason"] == Unfilled.NO_FEASIBLE
    )
    n_priority = int(priority.sum())
    filled = np.minimum(placed, headcount)

    def fill_rate(mask: np.ndarray) -> float | None:
        asked = int(headcount[mask].sum())
        return round(float(filled[mask].sum()) / asked, 4) if asked else None

    report: dict[str, Any] = {
        "needs_open": len(needs_all),
        "needs_already_covered": len(needs_all) - len(needs),
        "needs": len(needs),
        "headcount": summary.headcount,
        "placements": summary.placements,
        "fill_rate": round(summary.fill_rate, 4),
        "priority_need_share": round(summary.priority_need_share, 4),
        "priority_need_count_share": round(n_priority / len(needs), 4) if needs else 0.0,
        "priority_placement_share": round(summary.priority_placement_share, 4),
        "priority_fill_rate": fill_rate(priority),
        "other_fill_rate": fill_rate(~priority),
        "unfilled_needs": len(unfilled),
        "unfilled_by_reason": dict(sorted(by_reason.items())),
        "no_feasible_by_constraint": dict(by_constraint.most_common()),
        "unfilled": unfilled[:REPORT_UNFILLED_LIMIT],
        "unfilled_listed": min(len(unfilled), REPORT_UNFILLED_LIMIT),
        "talents_considered": len(talent_ids),
        "candidate_edges": problem.n_edges,
        "excluded_existing_pairs": sum(len(v) for v in existing.values()),
        "candidates_per_need": candidates_per_need,
        "options": asdict(options) if mode == "optimal" else None,
        **solver,
        **{k: round(v, 4) for k, v in timings.items()},
    }
    proposals = []
    for e in instance.chosen.tolist():
        need_id = int(need_ids[problem.need_index[e]])
        talent_id = int(talent_ids[problem.talent_index[e]])
        rec = recs[(need_id, talent_id)]
        proposals.append(_Proposal(need_id, talent_id, float(rec.score), _breakdown(rec)))
    return report, instance, proposals


def _num(value: float) -> float | None:
    """JSON has no infinity: an unbounded or undefined figure is null."""
    return round(float(value), 6) if math.isfinite(value) else None


def _is_priority(need: NeedProfile, high_altitude_m: float) -> bool:
    return bool(need.poverty_township) or (
        need.altitude_m is not None and need.altitude_m >= high_altitude_m
    )


def _breakdown(rec: Recommendation) -> list[dict[str, Any]]:
    return [
        {
            "feature": line.feature,
            "value": float(line.value),
            "contribution": float(line.contribution),
            "zh": line.zh,
            "en": line.en,
        }
        for line in rec.breakdown
    ]


def _solve_stable(
    problem: AssignmentProblem, instance: BatchInstance
) -> tuple[np.ndarray, dict[int, str], dict[str, Any]]:
    """Deferred acceptance, needs proposing. Needs rank talents by score. Talents have
    no stated preferences stored yet, so they rank needs by the same score. A pair the
    talent has too few days for is left off both lists, and a talent's capacity is cut
    to what their days allow even for their longest candidate need: deferred acceptance
    knows counts, not days, so this keeps every day budget safe."""
    need, talent, score = problem.need_index, problem.talent_index, problem.score
    fits = problem.need_days[need] <= problem.talent_days[talent]
    keep = np.flatnonzero(fits)
    n_needs, n_talents = problem.n_needs, problem.n_talents
    need_prefs = preferences_from_scores(
        need[keep], talent[keep], score[keep], n_owners=n_needs, n_others=n_talents
    )
    talent_prefs = preferences_from_scores(
        talent[keep], need[keep], score[keep], n_owners=n_talents, n_others=n_needs
    )
    longest = np.zeros(n_talents, np.int64)
    np.maximum.at(longest, talent[keep], problem.need_days[need[keep]])
    by_days = np.where(
        longest > 0, problem.talent_days // np.maximum(longest, 1), problem.talent_capacity
    )
    capacity = np.minimum(problem.talent_capacity, by_days)
    started = time.perf_counter()
    matching = deferred_acceptance(need_prefs, talent_prefs, problem.need_headcount, capacity)
    seconds = time.perf_counter() - started
    edge_of = {(int(n), int(t)): e for e, (n, t) in enumerate(zip(need, talent, strict=True))}
    chosen = np.array(
        sorted(
            edge_of[(int(n), int(t))]
            for n, t in zip(matching.need_index, matching.talent_index, strict=True)
        ),
        dtype=np.int64,
    )
    usable = np.zeros(n_needs, bool)
    usable[need[keep][capacity[talent[keep]] > 0]] = True
    reasons = {
        int(n): (Unfilled.CAPACITY_EXHAUSTED if usable[n] else UnfilledReason.NO_CANDIDATES.value)
        for n in np.flatnonzero(matching.unfilled_slots > 0)
    }
    instance.need_preferences = need_prefs
    instance.talent_preferences = talent_prefs
    instance.stable_capacity = capacity
    instance.matching = matching
    total = float(score[chosen].sum())
    return (
        chosen,
        reasons,
        {
            "objective": round(total, 6),
            "bound": None,
            "gap": None,
            "status": "stable",
            "method": "deferred_acceptance",
            "solve_seconds": round(seconds, 4),
            "total_score": round(total, 6),
            "rounds": matching.rounds,
            "proposing_side": matching.proposing_side,
            "talent_preferences": "derived from scores: no stated talent preferences are "
            "stored yet",
        },
    )


# ------------------------------------------------------------------ diagnosis
def _blocking_constraints(
    session: Session, needs: Sequence[NeedProfile]
) -> dict[int, dict[str, Any]]:
    """For needs no talent can serve: how many talents fail each hard constraint, and
    the commonest one named. The counts equal tallying ``why_not`` over every active
    talent, computed on the constraint arrays in one pass per need."""
    talents = talent_profiles(session)
    arrays = TalentArrays.build(talents)
    out: dict[int, dict[str, Any]] = {}
    for need in needs:
        counts, sole = violation_counts(need, arrays)
        entry: dict[str, Any] = {
            "violations": counts,
            "sole_blocker": sole,
            "talents_checked": len(arrays),
        }
        if counts:
            # The commonest failure; among equals, the one that alone blocks most.
            name = max(counts, key=lambda c: (counts[c], sole.get(c, 0)))
            zh, en = CONSTRAINT_TEXT[Constraint(name)]
            entry.update(constraint=name, constraint_zh=zh, constraint_en=en)
        out[need.id] = entry
    return out


def violation_counts(
    need: NeedProfile, arrays: TalentArrays
) -> tuple[dict[str, int], dict[str, int]]:
    """(constraint -> talents failing it, constraint -> talents failing only it) for
    ``need`` over the talents ``arrays`` was built from. Mirrors
    :func:`matching.constraints.feasible_talents` one rule at a time; a test holds it to
    ``why_not``."""
    n = len(arrays)
    fails: dict[str, np.ndarray] = {}
    lo, hi = need.window.start.toordinal(), need.window.end.toordinal()
    overlap = (np.maximum(arrays.window_start, lo) <= np.minimum(arrays.window_end, hi)).any(1)
    fails[Constraint.WINDOW] = arrays.has_windows & ~overlap
    fails[Constraint.MODE] = (arrays.mode_bits & _mode_bit(need.mode)) == 0
    fails[Constraint.TITLE] = arrays.title < need.min_title_level
    fails[Constraint.DEGREE] = arrays.degree < need.min_degree_level
    licensed = np.ones(n, bool)
    for licence in need.licences:
        licensed &= arrays.licences.get(licence, np.zeros(n, bool))
    fails[Constraint.LICENCE] = ~licensed
    if need.mode != Mode.REMOTE and need.lat is not None and need.lon is not None:
        distance = haversine_km(need.lat, need.lon, arrays.lat, arrays.lon)
        fails[Constraint.DISTANCE] = np.asarray(distance > arrays.travel_radius_km)
    else:
        fails[Constraint.DISTANCE] = np.zeros(n, bool)
    spoken = np.ones(n, bool)
    for language in need.languages:
        spoken &= arrays.languages.get(language, np.zeros(n, bool))
    fails[Constraint.LANGUAGE] = ~spoken
    fails[Constraint.CAPACITY_CONCURRENT] = arrays.free_slots <= 0
    fails[Constraint.CAPACITY_DAYS] = arrays.free_days < need.days_needed
    declined = np.zeros(n, bool)
    rows = arrays.declined_rows.get(need.id)
    if rows is not None:
        declined[rows] = True
    fails[Constraint.DECLINED] = declined
    blocked = np.zeros(n, bool)
    rows = arrays.blocked_rows.get(need.site_id) if need.site_id is not None else None
    if rows is not None:
        blocked[rows] = True
    fails[Constraint.BLOCKED] = blocked
    matrix = np.stack([fails[c] for c in Constraint]) if n else np.zeros((len(Constraint), 0), bool)
    per_talent = matrix.sum(0)
    counts = matrix.sum(1)
    only = (matrix & (per_talent == 1)).sum(1)
    names = [c.value for c in Constraint]
    return (
        {names[i]: int(counts[i]) for i in range(len(names)) if counts[i]},
        {names[i]: int(only[i]) for i in range(len(names)) if only[i]},
    )


def _mode_bit(mode: Mode) -> int:
    # The same bit layout as matching.constraints: one bit per Mode in declaration order.
    return 1 << list(Mode).index(Mode(mode))


# ------------------------------------------------------------------ write
def _write(
    session: Session,
    run_id: int,
    actor: Actor | None,
    proposals: list[_Proposal],
    progress: Progress | None,
) -> int:
    actor_id = actor.id if actor else None
    reason = f"batch run #{run_id}"
    done = 0
    for start in range(0, len(proposals), _WRITE_CHUNK):
        chunk = proposals[start : start + _WRITE_CHUNK]
        rows = [
            Match(
                need_id=p.need_id,
                talent_id=p.talent_id,
                score=p.score,
                breakdown=p.breakdown,
                status=MatchStatus.PROPOSED.value,
                origin=MatchOrigin.BATCH.value,
                run_id=run_id,
            )
            for p in chunk
        ]
        session.add_all(rows)
        session.flush()
        session.add_all(
            MatchEvent(
                match_id=m.id,
                from_status=None,
                to_status=MatchStatus.PROPOSED.value,
                actor_id=actor_id,
                reason=reason,
            )
            for m in rows
        )
        session.flush()
        done += len(rows)
        if progress:
            progress("write", done, len(proposals))
    return done


# ------------------------------------------------------------------ read
def _visible(actor: Actor, run: MatchRun) -> bool:
    if actor.is_admin:
        return True
    if actor.role is not Role.COORDINATOR:
        return False
    return actor.jurisdiction is None or run.county_code == actor.jurisdiction


def get_or_raise(*, session: Session, actor: Actor, run_id: int) -> MatchRun:
    require(actor, Role.COORDINATOR, Role.ADMIN)
    run = session.get(MatchRun, run_id)
    if run is None or not _visible(actor, run):
        raise not_found("run")
    return run


def list_(
    *, session: Session, actor: Actor, county: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[MatchRun], int]:
    """Runs the actor may see, newest first, and their total."""
    require(actor, Role.COORDINATOR, Role.ADMIN)
    stmt = select(MatchRun)
    if not actor.is_admin and actor.jurisdiction is not None:
        stmt = stmt.where(MatchRun.county_code == actor.jurisdiction)
    if county:
        stmt = stmt.where(MatchRun.county_code == resolve_county(session=session, value=county))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(MatchRun.id.desc()).offset(offset).limit(limit)))
    return rows, total
