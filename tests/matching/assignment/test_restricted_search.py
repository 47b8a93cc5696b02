"""The restricted (LP-and-fix) search of large MILPs: feasible, with an honest bound.

``exact_milp_max_edges=0`` sends these small instances down the path that prefecture
scale takes, so the independent reference can check what it claims.
"""

from __future__ import annotations

from typing import Any

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

RESTRICTED: dict[str, Any] = dict(
    exact_milp_max_edges=0,
    priority_weight=1.3,
    spread_penalty=0.05,
    max_placements_per_institution_per_site=1,
    county_min_fill_share=0.5,
    county_shortfall_penalty=1.0,
)


@pytest.mark.parametrize("margin", [0.0, 0.05, 10.0])
@pytest.mark.parametrize("seed", range(4))
def test_restricted_search_is_feasible_and_its_bound_holds(seed: int, margin: float) -> None:
    rng = np.random.default_rng(500 + seed)
    arrays = random_arrays(
        rng,
        needs=120,
        talents=300,
        candidates_per_need=10,
        days=True,
        institutions=8,
        sites=40,
        counties=5,
    )
    arrays["talent_capacity"] = rng.integers(0, 3, size=300)
    problem = AssignmentProblem.from_arrays(**arrays)
    options = AssignmentOptions(fixing_reduced_cost=margin, **RESTRICTED)
    result = solve_assignment(problem, options)
    expected = reference_optimum(problem, options)
    assert expected is not None

    assert check_limits(problem, options, result.chosen_edges) == []
    assert objective_of(problem, options, result.chosen_edges) == pytest.approx(
        result.objective, abs=1e-9
    )
    assert result.objective <= expected + 1e-6
    assert result.bound >= expected - 1e-6  # the bound is a proven one
    assert result.gap == pytest.approx(
        (result.bound - result.objective) / max(1.0, abs(result.objective))
    )
    if result.status is AssignmentStatus.OPTIMAL:
        assert result.objective == pytest.approx(expected, abs=1e-6)
    else:
        assert result.status in (AssignmentStatus.FEASIBLE, AssignmentStatus.TIME_LIMIT)
        assert result.gap > 0
    if result.method == "milp_restricted":
        assert "pass 1" in result.message
    if margin == 10.0:
        # Every edge stays in the search: it is the full MILP, hence exact.
        assert result.status is AssignmentStatus.OPTIMAL
        assert result.objective == pytest.approx(expected, abs=1e-6)


def test_small_days_instances_stay_on_the_exact_path() -> None:
    rng = np.random.default_rng(7)
    arrays = random_arrays(rng, needs=80, talents=200, candidates_per_need=8, days=True)
    problem = AssignmentProblem.from_arrays(**arrays)
    result = solve_assignment(problem, AssignmentOptions(spread_penalty=0.1))
    assert result.method in ("lp", "milp")
    assert result.status is AssignmentStatus.OPTIMAL
    assert result.gap <= 1e-6
