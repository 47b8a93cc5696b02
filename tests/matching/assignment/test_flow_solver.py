"""The min-cost flow path gives the HiGHS LP's objective on every network model, and
leaves the models that are not networks to HiGHS."""

from __future__ import annotations

import dataclasses
import zlib

import numpy as np
import pytest

from matching.assignment import (
    AssignmentOptions,
    AssignmentProblem,
    AssignmentStatus,
    solve_assignment,
)
from tests.matching.assignment.instances import check_limits, objective_of, random_arrays
from tests.matching.assignment.test_optimal_reference import OPTION_SETS

NETWORK_OPTION_SETS = {
    **OPTION_SETS,
    "county_hard": AssignmentOptions(county_min_fill_share=0.4, county_min_mode="hard"),
    "forced": AssignmentOptions(continuity="forced", spread_penalty=0.2),
}


def _flow_and_highs(
    problem: AssignmentProblem, options: AssignmentOptions
) -> tuple[object, object]:
    flow = solve_assignment(problem, dataclasses.replace(options, lp_solver="flow"))
    highs = solve_assignment(problem, dataclasses.replace(options, lp_solver="highs"))
    return flow, highs


def _keepable_existing(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """Existing pairings that forced continuity can keep: at most one per need and per
    talent, each between a need with a slot and a talent with capacity."""
    need, talent = arrays["need_index"], arrays["talent_index"]
    existing = arrays["edge_existing"].copy()
    existing &= (arrays["need_headcount"][need] > 0) & (arrays["talent_capacity"][talent] > 0)
    for owner in (need, talent):
        first = np.zeros_like(existing)
        _, at = np.unique(np.where(existing, owner, -1), return_index=True)
        first[at] = True
        existing &= first
    return existing


@pytest.mark.parametrize("name", sorted(NETWORK_OPTION_SETS))
def test_flow_reaches_the_highs_objective(name: str) -> None:
    options = NETWORK_OPTION_SETS[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    solved_by_flow = 0
    for _ in range(4):
        arrays = random_arrays(
            rng, needs=60, talents=80, candidates_per_need=8, institutions=4, counties=3
        )
        arrays["edge_existing"] = _keepable_existing(arrays)
        problem = AssignmentProblem.from_arrays(**arrays)
        try:
            flow, highs = _flow_and_highs(problem, options)
        except ValueError as error:  # a forced pairing over a limit is refused up front
            assert "existing pairing" in str(error)
            continue
        assert flow.status is highs.status
        if highs.status is AssignmentStatus.INFEASIBLE:
            continue
        assert flow.objective == pytest.approx(highs.objective, abs=1e-6)
        assert flow.bound >= highs.objective - 1e-9
        assert flow.gap <= 1e-6
        assert check_limits(problem, options, flow.chosen_edges) == []
        assert objective_of(problem, options, flow.chosen_edges) == pytest.approx(
            flow.objective, abs=1e-9
        )
        assert set(flow.unfilled) == {
            n
            for n in range(problem.n_needs)
            if flow.placements_per_need[n] < problem.need_headcount[n]
        }
        solved_by_flow += flow.method == "flow"
    # Institution groups spanning several needs of a site are no network; the rest are.
    if options.max_placements_per_institution_per_site is None:
        assert solved_by_flow >= 3


def test_binding_days_rows_go_to_highs() -> None:
    rng = np.random.default_rng(7)
    arrays = random_arrays(rng, needs=40, talents=30, candidates_per_need=8, days=True)
    problem = AssignmentProblem.from_arrays(**arrays)
    result = solve_assignment(problem, AssignmentOptions(lp_solver="flow"))
    assert result.method in {"lp", "milp"}
    assert check_limits(problem, AssignmentOptions(), result.chosen_edges) == []


def test_an_unknown_solver_is_refused() -> None:
    with pytest.raises(ValueError, match="lp_solver"):
        AssignmentOptions(lp_solver="simplex")  # type: ignore[arg-type]
