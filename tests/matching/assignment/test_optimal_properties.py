"""Property tests: whatever the instance and options, no limit is ever exceeded."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.assignment import (
    AssignmentOptions,
    AssignmentProblem,
    AssignmentStatus,
    UnfilledReason,
    solve_assignment,
)
from tests.matching.assignment.instances import check_limits, county_floors, county_shortfall

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def problems(draw: st.DrawFn) -> AssignmentProblem:
    n_needs = draw(st.integers(1, 7))
    n_talents = draw(st.integers(1, 7))
    all_pairs = [(n, t) for n in range(n_needs) for t in range(n_talents)]
    pairs = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=18))
    e = len(pairs)
    return AssignmentProblem.from_arrays(
        need_index=np.array([p[0] for p in pairs], dtype=np.int64),
        talent_index=np.array([p[1] for p in pairs], dtype=np.int64),
        score=np.array(draw(st.lists(st.floats(-0.5, 1.0), min_size=e, max_size=e))),
        edge_existing=np.array(draw(st.lists(st.booleans(), min_size=e, max_size=e)), bool),
        need_headcount=np.array(
            draw(st.lists(st.integers(0, 3), min_size=n_needs, max_size=n_needs))
        ),
        need_days=np.array(draw(st.lists(st.integers(0, 30), min_size=n_needs, max_size=n_needs))),
        need_priority=np.array(draw(st.lists(st.booleans(), min_size=n_needs, max_size=n_needs))),
        need_county=np.array(
            draw(st.lists(st.integers(-1, 2), min_size=n_needs, max_size=n_needs))
        ),
        need_site=np.array(draw(st.lists(st.integers(-1, 2), min_size=n_needs, max_size=n_needs))),
        talent_capacity=np.array(
            draw(st.lists(st.integers(0, 3), min_size=n_talents, max_size=n_talents))
        ),
        talent_days=np.array(
            draw(st.lists(st.integers(0, 60), min_size=n_talents, max_size=n_talents))
        ),
        talent_institution=np.array(
            draw(st.lists(st.integers(-1, 2), min_size=n_talents, max_size=n_talents))
        ),
    )


option_sets = st.builds(
    AssignmentOptions,
    priority_weight=st.sampled_from([1.0, 1.5, 3.0]),
    county_min_fill_share=st.sampled_from([0.0, 0.3, 0.8]),
    county_min_mode=st.sampled_from(["soft", "hard"]),
    county_shortfall_penalty=st.sampled_from([0.5, 5.0]),
    max_placements_per_institution_per_site=st.sampled_from([None, 0, 1, 2]),
    continuity_bonus=st.sampled_from([0.0, 0.5]),
    spread_penalty=st.sampled_from([0.0, 0.2, 2.0]),
    spread_free_placements=st.sampled_from([1, 2]),
)


@PROPERTY_SETTINGS
@given(problem=problems(), options=option_sets)
def test_no_limit_is_ever_exceeded(problem: AssignmentProblem, options: AssignmentOptions) -> None:
    result = solve_assignment(problem, options)
    if result.status is AssignmentStatus.INFEASIBLE:
        # Only hard floors can make a run without forced pairings infeasible, and then
        # the empty placement must also miss them.
        assert options.county_min_mode == "hard"
        assert county_shortfall(problem, options.county_min_fill_share, np.zeros(0, int)) > 0
        assert result.chosen_edges.size == 0
        assert "county" in result.message
        return
    assert result.status is AssignmentStatus.OPTIMAL
    assert check_limits(problem, options, result.chosen_edges) == []
    if options.county_min_mode == "hard":
        assert county_shortfall(problem, options.county_min_fill_share, result.chosen_edges) == 0
    placed = np.bincount(problem.need_index[result.chosen_edges], minlength=problem.n_needs)
    assert np.array_equal(placed, result.placements_per_need)
    short = set(np.flatnonzero(placed < problem.need_headcount).tolist())
    assert set(result.unfilled) == short
    for n, reason in result.unfilled.items():
        if not np.any(problem.need_index == n):
            assert reason is UnfilledReason.NO_CANDIDATES


@PROPERTY_SETTINGS
@given(problem=problems(), options=option_sets)
def test_forced_continuity_keeps_every_existing_pairing(
    problem: AssignmentProblem, options: AssignmentOptions
) -> None:
    forced = AssignmentOptions(
        continuity="forced",
        max_placements_per_institution_per_site=options.max_placements_per_institution_per_site,
        spread_penalty=options.spread_penalty,
    )
    try:
        result = solve_assignment(problem, forced)
    except ValueError as error:
        # Refused up front only when an existing pairing is itself over a limit.
        assert "existing pairing" in str(error) or "existing pairings" in str(error)
        return
    if result.status is AssignmentStatus.OPTIMAL:
        assert check_limits(problem, forced, result.chosen_edges) == []
    else:
        assert result.status is AssignmentStatus.INFEASIBLE


@PROPERTY_SETTINGS
@given(problem=problems())
def test_soft_county_floor_is_met_when_it_pays(problem: AssignmentProblem) -> None:
    # With hard floors feasible, a soft floor priced above any edge gain meets them too.
    hard = AssignmentOptions(county_min_fill_share=0.5, county_min_mode="hard")
    if solve_assignment(problem, hard).status is not AssignmentStatus.OPTIMAL:
        return
    best_gain = float(np.abs(problem.score).sum()) + 1.0
    soft = AssignmentOptions(county_min_fill_share=0.5, county_shortfall_penalty=best_gain)
    result = solve_assignment(problem, soft)
    assert county_shortfall(problem, 0.5, result.chosen_edges) == 0
    assert result.county_shortfall == {}
    assert set(county_floors(problem, 0.5)) <= {int(c) for c in problem.need_county if c >= 0}
