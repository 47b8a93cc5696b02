"""Institution pairing and the run report."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matching.assignment import (
    AssignmentProblem,
    PairingOptions,
    UnfilledReason,
    assignment_report,
    build_pairing_fit,
    placement_report,
    solve_assignment,
    solve_pairing,
)


def best_partial_pairing(fit: np.ndarray, min_fit: float) -> float:
    """Brute force over every partial one-to-one pairing of allowed pairs."""
    n_inst, n_sites = fit.shape
    best = 0.0
    for size in range(1, min(n_inst, n_sites) + 1):
        for insts in itertools.combinations(range(n_inst), size):
            for sites in itertools.permutations(range(n_sites), size):
                values = [fit[i, j] for i, j in zip(insts, sites, strict=True)]
                if all(v >= min_fit for v in values):
                    best = max(best, sum(values))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_pairing_is_optimal_one_to_one_and_respects_threshold(seed: int) -> None:
    rng = np.random.default_rng(seed)
    fit = rng.random((rng.integers(1, 5), rng.integers(1, 5)))
    options = PairingOptions(min_fit=0.5, keep_existing=False)
    result = solve_pairing(fit, options=options)
    assert len(set(result.institution_index)) == result.institution_index.size
    assert len(set(result.site_index)) == result.site_index.size
    assert np.all(result.fit >= 0.5)
    assert result.total_fit == pytest.approx(best_partial_pairing(fit, 0.5))
    paired = set(result.institution_index.tolist()) | set(result.unpaired_institutions.tolist())
    assert paired == set(range(fit.shape[0]))


def test_existing_relation_is_kept_even_below_threshold() -> None:
    fit = np.array([[0.1, 0.9], [0.8, 0.7]])
    existing = np.array([[True, False], [False, False]])
    result = solve_pairing(fit, existing, PairingOptions(min_fit=0.5))
    pairs = set(zip(result.institution_index.tolist(), result.site_index.tolist(), strict=True))
    assert pairs == {(0, 0), (1, 1)}
    assert result.kept_existing.tolist() == [True, False]


def test_two_existing_relations_for_one_institution_are_refused() -> None:
    with pytest.raises(ValueError, match="institution 0 has 2 existing relations"):
        solve_pairing(np.ones((1, 2)), np.array([[True, True]]))


def test_fit_prefers_coverage_then_proximity() -> None:
    # Institution 0 offers cardiology (speciality 0), institution 1 paediatrics (1).
    offered = np.array([[1, 0], [0, 1]])
    posted = np.array([[3, 0], [0, 2], [0, 0]])  # site 2 posted nothing
    distance = np.array([[50.0, 10.0, 5.0], [10.0, 50.0, 5.0]])
    fit = build_pairing_fit(offered, posted, distance, options=PairingOptions(proximity_weight=0.1))
    assert fit.shape == (2, 3)
    assert fit[0, 0] > fit[0, 1] and fit[1, 1] > fit[1, 0]
    result = solve_pairing(fit, options=PairingOptions(min_fit=0.5))
    assert set(zip(result.institution_index.tolist(), result.site_index.tolist(), strict=True)) == {
        (0, 0),
        (1, 1),
    }
    assert result.unpaired_sites.tolist() == [2]
    with pytest.raises(ValueError, match="distance_km must have shape"):
        build_pairing_fit(offered, posted, distance[:, :2])


def test_report_counts_fill_priority_and_reasons() -> None:
    problem = AssignmentProblem.from_arrays(
        need_index=np.array([0, 1, 2]),
        talent_index=np.array([0, 0, 1]),
        score=np.array([0.9, 0.5, 0.7]),
        need_headcount=np.array([1, 1, 1, 1]),
        talent_capacity=np.array([1, 1]),
        need_priority=np.array([True, False, False, True]),
    )
    result = solve_assignment(problem)
    assert result.unfilled == {
        1: UnfilledReason.CAPACITY_EXHAUSTED,
        3: UnfilledReason.NO_CANDIDATES,
    }
    report = assignment_report(problem, result)
    assert report.placements == 2 and report.headcount == 4
    assert report.fill_rate == pytest.approx(0.5)
    assert report.priority_need_share == pytest.approx(0.5)
    assert report.priority_placement_share == pytest.approx(0.5)
    assert report.unfilled_by_reason == {"capacity_exhausted": 1, "no_candidates": 1}
    empty = placement_report(np.zeros(0, int), np.zeros(0, int), np.zeros(0, bool))
    assert empty.fill_rate == 1.0
