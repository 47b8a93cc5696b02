"""An independent exact reference: one binary variable per (need, talent) pair of the
full N x T grid (non-candidates fixed at 0), every limit written as its own dense-block
constraint, solved with ``scipy.optimize.milp``. It shares no code with the library."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.assignment import AssignmentOptions, AssignmentProblem
from tests.matching.assignment.instances import county_floors


def reference_optimum(problem: AssignmentProblem, options: AssignmentOptions) -> float | None:
    """The optimal objective, or None when the hard limits admit no placement."""
    n_needs, n_talents = problem.n_needs, problem.n_talents
    grid = n_needs * n_talents
    flat = problem.need_index * n_talents + problem.talent_index

    gain = problem.score * problem.edge_weight
    gain = np.where(problem.need_priority[problem.need_index], gain * options.priority_weight, gain)
    if options.continuity == "bonus":
        gain = gain + options.continuity_bonus * problem.edge_existing
    cost_x = np.zeros(grid)
    cost_x[flat] = -gain
    upper_x = np.zeros(grid)
    upper_x[flat] = 1.0
    lower_x = np.zeros(grid)
    if options.continuity == "forced":
        lower_x[flat[problem.edge_existing]] = 1.0

    floors = county_floors(problem, options.county_min_fill_share)
    counties = sorted(floors)
    soft = options.county_min_mode == "soft"
    n_u = len(counties) if soft else 0
    # y_t >= (placements of t) - free, priced by the spread penalty; unbounded above.
    cost = np.concatenate(
        [
            cost_x,
            np.full(n_talents, options.spread_penalty),
            np.full(n_u, options.county_shortfall_penalty),
        ]
    )
    lower = np.concatenate([lower_x, np.zeros(n_talents + n_u)])
    upper = np.concatenate([upper_x, np.full(n_talents + n_u, np.inf)])
    n_vars = grid + n_talents + n_u

    def pad(block: sp.spmatrix) -> sp.csr_matrix:
        extra = n_vars - block.shape[1]
        return sp.hstack([block, sp.csr_matrix((block.shape[0], extra))], format="csr")

    constraints = []
    per_need = sp.kron(sp.eye(n_needs), np.ones((1, n_talents)))  # rows: needs
    per_talent = sp.kron(np.ones((1, n_needs)), sp.eye(n_talents))  # rows: talents
    constraints.append(LinearConstraint(pad(per_need), -np.inf, problem.need_headcount))
    constraints.append(LinearConstraint(pad(per_talent), -np.inf, problem.talent_capacity))
    days = sp.kron(problem.need_days.reshape(1, -1), sp.eye(n_talents))
    constraints.append(LinearConstraint(pad(days), -np.inf, problem.talent_days))
    spread = sp.hstack([per_talent, -sp.eye(n_talents), sp.csr_matrix((n_talents, n_u))])
    constraints.append(LinearConstraint(spread, -np.inf, options.spread_free_placements))

    cap = options.max_placements_per_institution_per_site
    if cap is not None:
        site = np.where(problem.need_site >= 0, problem.need_site, -1 - np.arange(n_needs))
        row_ids, col_ids = [], []
        institutions = np.unique(problem.talent_institution[problem.talent_institution >= 0])
        for s in np.unique(site):
            needs_here = np.flatnonzero(site == s)
            for inst in institutions:
                members = np.flatnonzero(problem.talent_institution == inst)
                cols = (needs_here[:, None] * n_talents + members[None, :]).ravel()
                col_ids.append(cols)
                row_ids.append(np.full(cols.shape[0], len(row_ids)))
        if row_ids:
            block = sp.csr_matrix(
                (
                    np.ones(sum(c.size for c in col_ids)),
                    (np.concatenate(row_ids), np.concatenate(col_ids)),
                ),
                shape=(len(row_ids), n_vars),
            )
            constraints.append(LinearConstraint(block, -np.inf, cap))

    if counties:
        county_rows = np.array(
            [np.repeat(problem.need_county == c, n_talents).astype(float) for c in counties]
        )
        block = sp.csr_matrix(county_rows)
        if soft:
            block = sp.hstack(
                [block, sp.csr_matrix((len(counties), n_talents)), sp.eye(len(counties))]
            )
        constraints.append(LinearConstraint(pad(block), [floors[c] for c in counties], np.inf))

    integrality = np.concatenate([np.ones(grid), np.zeros(n_talents + n_u)])
    result = milp(
        cost,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        constraints=constraints,
        options={"mip_rel_gap": 0.0},
    )
    if result.status == 2:
        return None
    assert result.status == 0, result.message
    return -float(result.fun)
