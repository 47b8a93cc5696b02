"""Step 3 of a run: choose the placements. ``optimal`` solves the assignment exactly
on the candidate graph (:func:`matching.assignment.solve_assignment`); ``stable`` runs
deferred acceptance with needs proposing."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from matching.assignment import (
    AssignmentOptions,
    AssignmentProblem,
    AssignmentStatus,
    PlacementReport,
    UnfilledReason,
    assignment_report,
    deferred_acceptance,
    placement_report,
    preferences_from_scores,
    solve_assignment,
)
from service.errors import AppError
from service.usecases.batch import long_placements
from service.usecases.batch.candidates import Progress
from service.usecases.batch.problem import BatchInstance
from service.usecases.batch.reasons import Unfilled
from service.usecases.batch.report import OptimalDetails, SolverReport, StableDetails

RunMode = Literal["optimal", "stable"]
RUN_MODES: tuple[str, ...] = ("optimal", "stable")


@dataclass(frozen=True)
class Solved:
    """The chosen edges (also set on the instance), the solver's reason per short need
    index, the placement summary, the solver's report and the seconds it all took."""

    chosen: np.ndarray
    reasons: dict[int, str]
    summary: PlacementReport
    solver: SolverReport
    seconds: float


def solve(
    instance: BatchInstance,
    *,
    mode: RunMode,
    options: AssignmentOptions,
    progress: Progress | None,
) -> Solved:
    if progress:
        progress("solve", 0, 1)
    clock = time.perf_counter()
    chosen, reasons, summary, solver = _solve_once(instance, mode, options)
    # A long placement occupies its talent full-time: clashing edges leave the graph, with
    # the talent's other edges that clash with what it keeps, and the solver is asked
    # again (each round removes at least one edge, so it ends).
    while instance.spans is not None:
        clashing = long_placements.clashing_edges(instance.problem, instance.spans, chosen)
        if not clashing.size:
            break
        dropped = long_placements.edges_to_drop(instance.problem, instance.spans, chosen, clashing)
        instance.problem = long_placements.without_edges(instance.problem, dropped)
        chosen, reasons, summary, solver = _solve_once(instance, mode, options)
    instance.chosen = chosen
    seconds = time.perf_counter() - clock
    if progress:
        progress("solve", 1, 1)
    return Solved(chosen=chosen, reasons=reasons, summary=summary, solver=solver, seconds=seconds)


def _solve_once(
    instance: BatchInstance, mode: RunMode, options: AssignmentOptions
) -> tuple[np.ndarray, dict[int, str], PlacementReport, SolverReport]:
    if mode == "optimal":
        return _solve_optimal(instance, options)
    chosen, reasons, solver = _solve_stable(instance)
    problem = instance.problem
    summary = placement_report(
        problem.need_headcount, problem.need_index[chosen], problem.need_priority, reasons
    )
    return chosen, reasons, summary, solver


def _num(value: float) -> float | None:
    """JSON has no infinity: an unbounded or undefined figure is null."""
    return round(float(value), 6) if math.isfinite(value) else None


def _solve_optimal(
    instance: BatchInstance, options: AssignmentOptions
) -> tuple[np.ndarray, dict[int, str], PlacementReport, SolverReport]:
    problem = instance.problem
    result = solve_assignment(problem, options)
    if result.status is AssignmentStatus.INFEASIBLE:
        raise AppError(
            422,
            "infeasible",
            f"the run's options cannot all hold: {result.message}",
            f"匹配条件无法同时满足：{result.message}",
        )
    reasons = {int(k): str(v) for k, v in result.unfilled.items()}
    solver = SolverReport(
        objective=_num(result.objective),
        bound=_num(result.bound),
        gap=_num(result.gap),
        status=str(result.status),
        method=result.method,
        solve_seconds=round(result.solve_seconds, 4),
        total_score=_num(result.total_score),
        optimal=OptimalDetails(
            build_seconds=round(result.build_seconds, 4),
            message=result.message,
            county_shortfall={
                instance.county_codes[int(k)]: int(v) for k, v in result.county_shortfall.items()
            },
        ),
    )
    return result.chosen_edges, reasons, assignment_report(problem, result), solver


def _solve_stable(instance: BatchInstance) -> tuple[np.ndarray, dict[int, str], SolverReport]:
    """Deferred acceptance, needs proposing. Needs rank talents by score. Talents have
    no stated preferences stored yet, so they rank needs by the same score. A pair the
    talent has too few days for is left off both lists, and a talent's capacity is cut
    to what their days allow even for their longest candidate need: deferred acceptance
    knows counts, not days, so this keeps every day budget safe."""
    problem: AssignmentProblem = instance.problem
    need, talent, score = problem.need_index, problem.talent_index, problem.score
    keep = np.flatnonzero(problem.need_days[need] <= problem.talent_days[talent])
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
    total = round(float(score[chosen].sum()), 6)
    solver = SolverReport(
        objective=total,
        bound=None,
        gap=None,
        status="stable",
        method="deferred_acceptance",
        solve_seconds=round(seconds, 4),
        total_score=total,
        stable=StableDetails(
            rounds=matching.rounds,
            proposing_side=matching.proposing_side,
            talent_preferences="derived from scores: no stated talent preferences are stored yet",
        ),
    )
    return chosen, reasons, solver
