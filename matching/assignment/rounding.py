"""A feasible placement from the LP relaxation, for when the MILP search runs out of time.

At prefecture scale with days-per-year limits, HiGHS may spend its whole time budget in
presolve and probing without an incumbent. The relaxation is nearly integral, so rounding
it gives a placement whose gap to the LP bound is known and small.
"""

from __future__ import annotations

import numpy as np

from matching.assignment._arrays import FloatArray
from matching.assignment.formulation import Formulation

FEASIBILITY_TOLERANCE = 1e-9


def rounded_incumbent(model: Formulation, relaxed: FloatArray) -> FloatArray | None:
    """A feasible integral point near the LP optimum ``relaxed``, or None.

    Edge variables are rounded down (every upper-bounded row has non-negative edge
    coefficients, so this stays feasible), then fractional ones are added greedily by
    objective while every row allows it; the single-entry columns (spread and county
    shortfall) are then set to the least value their row needs. None when a hard lower
    row (a hard county floor) is left unmet."""
    k = model.n_edge_vars
    edge_matrix = model.matrix[:, :k].tocsc()
    slack_matrix = model.matrix[:, k:].tocsc()
    slack_rows = slack_matrix.indices
    slack_coef = slack_matrix.data
    if slack_rows.shape[0] != slack_matrix.shape[1]:
        return None  # not the one-entry-per-slack-column layout this relies on
    slack_upper = model.var_upper[k:]
    # Row limits as seen by the edge variables, each slack at its most helpful value.
    upper = model.row_upper.copy()
    lower = model.row_lower.copy()
    np.add.at(upper, slack_rows, np.where(slack_coef < 0, -slack_coef * slack_upper, 0.0))
    np.add.at(lower, slack_rows, np.where(slack_coef > 0, -slack_coef * slack_upper, 0.0))

    x = np.floor(relaxed[:k] + FEASIBILITY_TOLERANCE)
    x = np.clip(x, model.var_lower[:k], model.var_upper[:k])
    activity = edge_matrix @ x
    fractional = np.flatnonzero((x < 0.5) & (relaxed[:k] > FEASIBILITY_TOLERANCE))
    for j in fractional[np.argsort(-model.objective[fractional], kind="stable")]:
        if model.objective[j] <= 0:
            break
        start, stop = edge_matrix.indptr[j], edge_matrix.indptr[j + 1]
        rows, coef = edge_matrix.indices[start:stop], edge_matrix.data[start:stop]
        if np.all(activity[rows] + coef <= upper[rows] + FEASIBILITY_TOLERANCE):
            activity[rows] += coef
            x[j] = 1.0
    if np.any(activity < lower - FEASIBILITY_TOLERANCE):
        return None

    # The least slack each row needs: a < 0 covers an excess over the upper side, a > 0 a
    # deficit below the lower side.
    with np.errstate(invalid="ignore"):
        excess = (activity[slack_rows] - model.row_upper[slack_rows]) / -slack_coef
        deficit = (model.row_lower[slack_rows] - activity[slack_rows]) / slack_coef
    need = np.where(slack_coef < 0, excess, deficit)
    slack = np.clip(np.where(np.isfinite(need), need, 0.0), model.var_lower[k:], slack_upper)
    point = np.concatenate([x, slack])
    rows_value = model.matrix @ point
    if np.any(rows_value > model.row_upper + 1e-7) or np.any(rows_value < model.row_lower - 1e-7):
        return None
    return point
