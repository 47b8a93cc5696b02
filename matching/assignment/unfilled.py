"""Why a need stayed (partly) unfilled, decided from the solved placement."""

from __future__ import annotations

import numpy as np

from matching.assignment._arrays import IntArray
from matching.assignment.formulation import site_keys, usable_edges
from matching.assignment.options import AssignmentOptions
from matching.assignment.problem import AssignmentProblem
from matching.assignment.result import UnfilledReason


def unfilled_reasons(
    problem: AssignmentProblem, options: AssignmentOptions, chosen_edges: IntArray
) -> dict[int, UnfilledReason]:
    """Need index -> reason for every need placed below its headcount.

    Looks at each candidate *not* chosen for such a need: is its talent unable to serve
    at all, at a limit because of other placements, held back by the institution cap,
    or free? The need's reason follows the most actionable finding: a free candidate
    means the optimiser preferred not to (``NOT_WORTHWHILE``), then the institution
    cap, then exhausted capacity; with no usable candidate left, ``NO_CANDIDATES``.
    """
    need, talent = problem.need_index, problem.talent_index
    placed = np.bincount(need[chosen_edges], minlength=problem.n_needs)
    short = placed < problem.need_headcount
    if not short.any():
        return {}

    load = np.bincount(talent[chosen_edges], minlength=problem.n_talents)
    days_used = np.bincount(
        talent[chosen_edges],
        weights=problem.need_days[need[chosen_edges]],
        minlength=problem.n_talents,
    )
    not_chosen = np.ones(problem.n_edges, bool)
    not_chosen[chosen_edges] = False
    remaining = np.flatnonzero(short[need] & not_chosen & usable_edges(problem))
    r_need, r_talent = need[remaining], talent[remaining]

    at_limit = (load[r_talent] >= problem.talent_capacity[r_talent]) | (
        days_used[r_talent] + problem.need_days[r_need] > problem.talent_days[r_talent]
    )
    institution_blocked = np.zeros(remaining.shape[0], bool)
    cap = options.max_placements_per_institution_per_site
    if cap is not None:
        institution_blocked = _institution_full(problem, chosen_edges, remaining, cap)
    free = ~at_limit & ~institution_blocked
    blocked_only = ~at_limit & institution_blocked

    def count(mask: np.ndarray) -> IntArray:
        return np.bincount(r_need[mask], minlength=problem.n_needs)

    n_remaining = np.bincount(r_need, minlength=problem.n_needs)
    n_free, n_blocked = count(free), count(blocked_only)
    reasons: dict[int, UnfilledReason] = {}
    for n in np.flatnonzero(short):
        if n_remaining[n] == 0:
            reasons[int(n)] = UnfilledReason.NO_CANDIDATES
        elif n_free[n]:
            reasons[int(n)] = UnfilledReason.NOT_WORTHWHILE
        elif n_blocked[n]:
            reasons[int(n)] = UnfilledReason.INSTITUTION_CAP
        else:
            reasons[int(n)] = UnfilledReason.CAPACITY_EXHAUSTED
    return reasons


def _institution_full(
    problem: AssignmentProblem, chosen_edges: IntArray, remaining: IntArray, cap: int
) -> np.ndarray:
    sites = site_keys(problem)
    institution = problem.talent_institution

    def keys(edges: IntArray) -> np.ndarray:
        site = sites[problem.need_index[edges]]
        inst = institution[problem.talent_index[edges]]
        return np.where(inst >= 0, site * (int(institution.max(initial=0)) + 1) + inst, -1)

    chosen_keys = keys(chosen_edges)
    used_keys, used_counts = np.unique(chosen_keys[chosen_keys >= 0], return_counts=True)
    remaining_keys = keys(remaining)
    used = np.zeros(remaining.shape[0], np.int64)
    if used_keys.size:
        position = np.minimum(np.searchsorted(used_keys, remaining_keys), used_keys.size - 1)
        match = used_keys[position] == remaining_keys
        used[match] = used_counts[position[match]]
    return (remaining_keys >= 0) & (used >= cap)
