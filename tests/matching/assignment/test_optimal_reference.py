"""The optimal assignment equals independent exact references."""

from __future__ import annotations

import itertools
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
from tests.matching.assignment.reference import reference_optimum

OPTION_SETS = {
    "plain": AssignmentOptions(),
    "priority": AssignmentOptions(priority_weight=1.7),
    "continuity_bonus": AssignmentOptions(continuity_bonus=0.4),
    "spread": AssignmentOptions(spread_penalty=0.3),
    "spread_two_free": AssignmentOptions(spread_penalty=0.2, spread_free_placements=2),
    "institution": AssignmentOptions(max_placements_per_institution_per_site=1),
    "county_soft": AssignmentOptions(county_min_fill_share=0.7, county_shortfall_penalty=2.0),
    "everything": AssignmentOptions(
        priority_weight=1.3,
        continuity_bonus=0.2,
        spread_penalty=0.1,
        max_placements_per_institution_per_site=2,
        county_min_fill_share=0.5,
        county_shortfall_penalty=1.5,
    ),
}


def assert_matches_reference(problem: AssignmentProblem, options: AssignmentOptions) -> None:
    result = solve_assignment(problem, options)
    expected = reference_optimum(problem, options)
    assert expected is not None
    assert result.status is AssignmentStatus.OPTIMAL
    assert result.objective == pytest.approx(expected, abs=1e-6)
    assert objective_of(problem, options, result.chosen_edges) == pytest.approx(
        result.objective, abs=1e-9
    )
    assert result.bound >= result.objective - 1e-9
    assert result.gap <= 1e-6
    assert check_limits(problem, options, result.chosen_edges) == []


@pytest.mark.parametrize("name", sorted(OPTION_SETS))
@pytest.mark.parametrize("days", [False, True], ids=["no_days", "days"])
def test_small_instances_match_dense_reference(name: str, days: bool) -> None:
    options = OPTION_SETS[name]
    rng = np.random.default_rng(zlib.crc32(f"{name}-{days}".encode()))
    for _ in range(3):
        arrays = random_arrays(
            rng,
            needs=12,
            talents=15,
            candidates_per_need=6,
            days=days,
            institutions=3,
            sites=5,
            counties=3,
        )
        assert_matches_reference(AssignmentProblem.from_arrays(**arrays), options)


@pytest.mark.parametrize(
    ("needs", "talents", "per_need", "days", "options"),
    [
        (300, 1000, 12, False, AssignmentOptions(priority_weight=1.3, continuity_bonus=0.1)),
        (300, 1000, 12, True, AssignmentOptions(priority_weight=1.3, spread_penalty=0.05)),
        (
            300,
            1000,
            8,
            True,
            AssignmentOptions(
                max_placements_per_institution_per_site=1,
                county_min_fill_share=0.6,
                county_shortfall_penalty=1.0,
            ),
        ),
    ],
    ids=["lp_300x1000", "milp_days_300x1000", "milp_all_options_300x1000"],
)
def test_large_instances_match_dense_reference(
    needs: int, talents: int, per_need: int, days: bool, options: AssignmentOptions
) -> None:
    rng = np.random.default_rng(needs * 7 + per_need + int(days))
    arrays = random_arrays(
        rng,
        needs=needs,
        talents=talents,
        candidates_per_need=per_need,
        days=days,
        institutions=15,
        sites=120,
        counties=10,
    )
    # Scarce capacity so that needs compete for the same people.
    arrays["talent_capacity"] = rng.integers(0, 2, size=talents)
    assert_matches_reference(AssignmentProblem.from_arrays(**arrays), options)


def brute_force_optimum(problem: AssignmentProblem, options: AssignmentOptions) -> float | None:
    best = None
    for size in range(problem.n_edges + 1):
        for subset in itertools.combinations(range(problem.n_edges), size):
            chosen = np.array(subset, dtype=np.int64)
            if check_limits(problem, options, chosen):
                continue
            if options.county_min_mode == "hard":
                from tests.matching.assignment.instances import county_shortfall

                if county_shortfall(problem, options.county_min_fill_share, chosen):
                    continue
            value = objective_of(problem, options, chosen)
            best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_tiny_instances_match_brute_force(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    arrays = random_arrays(
        rng,
        needs=4,
        talents=4,
        candidates_per_need=3,
        days=True,
        institutions=2,
        sites=2,
        counties=2,
    )
    problem = AssignmentProblem.from_arrays(**arrays)
    assert problem.n_edges <= 12
    for options in (
        AssignmentOptions(spread_penalty=0.25, priority_weight=2.0),
        AssignmentOptions(max_placements_per_institution_per_site=1, continuity_bonus=0.5),
        AssignmentOptions(county_min_fill_share=0.5, county_min_mode="hard"),
    ):
        expected = brute_force_optimum(problem, options)
        result = solve_assignment(problem, options)
        if expected is None:
            assert result.status is AssignmentStatus.INFEASIBLE
        else:
            assert result.status is AssignmentStatus.OPTIMAL
            assert result.objective == pytest.approx(expected, abs=1e-9)
