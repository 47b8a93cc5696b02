"""Options are documented data; bad input fails with a message naming the field."""

from __future__ import annotations

import numpy as np
import pytest

from matching.assignment import (
    AssignmentOptions,
    AssignmentProblem,
    AssignmentStatus,
    solve_assignment,
)
from matching.assignment.options import OPTION_NAMES


def test_every_option_is_documented() -> None:
    doc = AssignmentOptions.__doc__ or ""
    assert [name for name in OPTION_NAMES if f"{name}:" not in doc] == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"priority_weight": -1.0}, "priority_weight"),
        ({"county_min_fill_share": 1.5}, "county_min_fill_share"),
        ({"county_min_mode": "strict"}, "county_min_mode"),
        ({"continuity": "always"}, "continuity"),
        (
            {"max_placements_per_institution_per_site": -1},
            "max_placements_per_institution_per_site",
        ),
        ({"spread_free_placements": 0}, "spread_free_placements"),
        ({"time_limit_seconds": 0}, "time_limit_seconds"),
        ({"exact_milp_max_edges": -1}, "exact_milp_max_edges"),
        ({"fixing_reduced_cost": -0.1}, "fixing_reduced_cost"),
    ],
)
def test_bad_option_names_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        AssignmentOptions(**kwargs)


def base(**overrides: object) -> dict:
    arrays: dict = dict(
        need_index=np.array([0, 1]),
        talent_index=np.array([0, 0]),
        score=np.array([0.5, 0.6]),
        need_headcount=np.array([1, 1]),
        talent_capacity=np.array([1]),
    )
    arrays.update(overrides)
    return arrays


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"need_index": np.array([0, 2])}, r"need_index\[1\] = 2 is outside 0..1"),
        ({"talent_index": np.array([0])}, "talent_index must have length 2"),
        ({"score": np.array([0.5, np.nan])}, r"score\[1\] = nan is not a finite number"),
        ({"need_headcount": np.array([1, -1])}, r"need_headcount\[1\] = -1 is negative"),
        ({"need_index": np.array([0, 0])}, "both pair need 0 with talent 0"),
        ({"edge_weight": np.array([1.0, -2.0])}, r"edge_weight\[1\] = -2.0 is negative"),
        ({"need_priority": np.array([0, 2])}, r"need_priority\[1\] = 2 is not a flag"),
        ({"score": np.array(["a", "b"])}, "score must hold numbers"),
    ],
)
def test_bad_input_names_the_field(overrides: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AssignmentProblem.from_arrays(**base(**overrides))


def test_priority_weight_tilts_towards_priority_need() -> None:
    arrays = base(need_priority=np.array([True, False]))
    problem = AssignmentProblem.from_arrays(**arrays)
    assert solve_assignment(problem).chosen_edges.tolist() == [1]
    tilted = solve_assignment(problem, AssignmentOptions(priority_weight=1.5))
    assert tilted.chosen_edges.tolist() == [0]


def test_forced_continuity_keeps_worse_existing_pairing() -> None:
    problem = AssignmentProblem.from_arrays(**base(edge_existing=np.array([True, False])))
    result = solve_assignment(problem, AssignmentOptions(continuity="forced"))
    assert result.chosen_edges.tolist() == [0]
    bonus = solve_assignment(problem, AssignmentOptions(continuity_bonus=0.2))
    assert bonus.chosen_edges.tolist() == [0]


def test_forced_pairing_over_capacity_is_refused_with_names() -> None:
    problem = AssignmentProblem.from_arrays(**base(edge_existing=np.array([True, True])))
    with pytest.raises(ValueError, match=r"talent 0 has 2 existing pairings .* talent_capacity"):
        solve_assignment(problem, AssignmentOptions(continuity="forced"))


def test_hard_county_floor_that_cannot_be_met_is_explained() -> None:
    problem = AssignmentProblem.from_arrays(
        **base(need_county=np.array([0, 1]), talent_capacity=np.array([1]))
    )
    result = solve_assignment(
        problem, AssignmentOptions(county_min_fill_share=1.0, county_min_mode="hard")
    )
    assert result.status is AssignmentStatus.INFEASIBLE
    assert "county" in result.message
    soft = solve_assignment(problem, AssignmentOptions(county_min_fill_share=1.0))
    assert soft.status is AssignmentStatus.OPTIMAL
    assert sum(soft.county_shortfall.values()) == 1


def test_spread_penalty_prefers_a_free_colleague() -> None:
    problem = AssignmentProblem.from_arrays(
        need_index=np.array([0, 1, 1]),
        talent_index=np.array([0, 0, 1]),
        score=np.array([0.9, 0.8, 0.7]),
        need_headcount=np.array([1, 1]),
        talent_capacity=np.array([2, 1]),
    )
    assert solve_assignment(problem).chosen_edges.tolist() == [0, 1]
    spread = solve_assignment(problem, AssignmentOptions(spread_penalty=0.2))
    assert spread.chosen_edges.tolist() == [0, 2]
