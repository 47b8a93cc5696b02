"""Step 5 of a run: the typed report from what the earlier steps found."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.assignment import AssignmentOptions
from models import County, Need
from service.usecases.batch.candidates import Candidates
from service.usecases.batch.diagnosis import Diagnosis
from service.usecases.batch.problem import BatchInstance
from service.usecases.batch.reasons import Unfilled
from service.usecases.batch.report import (
    FillRates,
    PriorityShares,
    RunReport,
    Timings,
    UnfilledNeed,
    UnfilledSummary,
)
from service.usecases.batch.solve import RunMode, Solved

# Unfilled needs listed one by one in the report; the counts always cover all of them.
REPORT_UNFILLED_LIMIT = 500


@dataclass(frozen=True)
class RunScope:
    """What the run was asked to do."""

    run_id: int
    mode: RunMode
    dry_run: bool
    county: str | None
    candidates_per_need: int
    options: AssignmentOptions


def build_report(
    *,
    session: Session,
    scope: RunScope,
    candidates: Candidates,
    instance: BatchInstance,
    solved: Solved,
    diagnosis: Diagnosis,
    proposed: int,
    total_seconds: float,
) -> RunReport:
    needs = candidates.needs
    problem = instance.problem
    priority = problem.need_priority
    summary = solved.summary
    return RunReport(
        run_id=scope.run_id,
        mode=scope.mode,
        dry_run=scope.dry_run,
        county=scope.county,
        county_name=county_name(session, scope.county),
        needs_open=len(candidates.needs_all),
        needs_already_covered=len(candidates.needs_all) - len(needs),
        needs=len(needs),
        headcount=summary.headcount,
        placements=summary.placements,
        proposed=proposed,
        fill=_fill_rates(summary.fill_rate, problem.need_headcount, instance, priority),
        priority=PriorityShares(
            of_slots=round(summary.priority_need_share, 4),
            of_needs=round(int(priority.sum()) / len(needs), 4) if needs else 0.0,
            of_placements=round(summary.priority_placement_share, 4),
        ),
        unfilled=_unfilled_summary(session, diagnosis.unfilled),
        talents_considered=len(instance.talent_ids),
        candidate_edges=problem.n_edges,
        excluded_existing_pairs=candidates.excluded_existing_pairs,
        candidates_per_need=scope.candidates_per_need,
        options=_options(scope),
        solver=solved.solver,
        timings=Timings(
            candidate_seconds=round(candidates.seconds, 4),
            solver_seconds=round(solved.seconds, 4),
            diagnosis_seconds=round(diagnosis.seconds, 4),
            total_seconds=round(total_seconds, 3),
        ),
    )


def _options(scope: RunScope) -> dict[str, Any] | None:
    return asdict(scope.options) if scope.mode == "optimal" else None


def _fill_rates(
    overall: float, headcount: np.ndarray, instance: BatchInstance, priority: np.ndarray
) -> FillRates:
    placed = np.bincount(
        instance.problem.need_index[instance.chosen], minlength=len(instance.need_ids)
    )
    filled = np.minimum(placed, headcount)

    def rate(mask: np.ndarray) -> float | None:
        asked = int(headcount[mask].sum())
        return round(float(filled[mask].sum()) / asked, 4) if asked else None

    return FillRates(overall=round(overall, 4), priority=rate(priority), other=rate(~priority))


def _unfilled_summary(session: Session, unfilled: list[UnfilledNeed]) -> UnfilledSummary:
    listed = unfilled[:REPORT_UNFILLED_LIMIT]
    titles: dict[int, str] = {}
    if listed:
        titles = {
            row.id: row.title
            for row in session.execute(
                select(Need.id, Need.title).where(Need.id.in_([u.need_id for u in listed]))
            )
        }
    by_reason = Counter(u.reason for u in unfilled)
    by_constraint = Counter(
        u.constraint.name
        for u in unfilled
        if u.constraint is not None and u.reason == Unfilled.NO_FEASIBLE
    )
    return UnfilledSummary(
        count=len(unfilled),
        by_reason=dict(sorted(by_reason.items())),
        no_feasible_by_constraint=dict(by_constraint.most_common()),
        listed=tuple(replace(u, title=titles.get(u.need_id, "")) for u in listed),
    )


def county_name(session: Session, code: str | None) -> str | None:
    return session.scalar(select(County.name).where(County.code == code)) if code else None
