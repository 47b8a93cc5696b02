"""Optimal assignment on the candidate graph, solved exactly with SciPy's HiGHS."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from matching.assignment._arrays import BoolArray, FloatArray, IntArray
from matching.assignment.formulation import Formulation, build_formulation, edge_objective
from matching.assignment.network import (
    FlowNetwork,
    FlowSolution,
    flow_is_wanted,
    network_of,
    solve_network,
)
from matching.assignment.options import AssignmentOptions
from matching.assignment.problem import AssignmentProblem
from matching.assignment.result import AssignmentResult, AssignmentStatus
from matching.assignment.rounding import rounded_incumbent
from matching.assignment.unfilled import unfilled_reasons

INTEGRALITY_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class _Solution:
    values: FloatArray | None  # None when the solver found no feasible point
    bound: float  # upper bound on the (maximised) objective
    status: AssignmentStatus
    method: str
    seconds: float
    message: str


def solve_assignment(
    problem: AssignmentProblem, options: AssignmentOptions | None = None
) -> AssignmentResult:
    """Choose candidate edges maximising the total objective subject to every limit.

    A model that is a network (see :mod:`matching.assignment.network`) goes to
    OR-Tools' min-cost flow (``options.lp_solver``). Otherwise the model (see
    :mod:`matching.assignment.formulation`) is solved by the HiGHS LP
    solver when its matrix is totally unimodular, after which the vertex is checked to
    be integral (a MILP re-solve follows if it ever is not), and by the HiGHS MILP
    solver otherwise. Raises ``ValueError`` when a forced existing pairing cannot hold.
    """
    options = options or AssignmentOptions()
    by_flow = _solve_by_flow(problem, options) if flow_is_wanted(options) else None
    if by_flow is not None:
        return by_flow
    started = time.perf_counter()
    model = build_formulation(problem, options)
    build_seconds = time.perf_counter() - started

    if model.objective.size == 0:
        # Nothing to choose: the empty placement is the answer if it meets every row.
        empty_ok = bool(np.all(model.row_lower <= 0) and np.all(model.row_upper >= 0))
        solution = (
            _Solution(np.zeros(0), 0.0, AssignmentStatus.OPTIMAL, "lp", 0.0, "")
            if empty_ok
            else _Solution(None, -np.inf, AssignmentStatus.INFEASIBLE, "lp", 0.0, "")
        )
    elif model.integral_vertices:
        solution = _solve_lp(model, options)
        if solution.values is not None and not _is_integral(solution.values[: model.n_edge_vars]):
            retry = _solve_milp(model, options)
            solution = _Solution(
                retry.values,
                retry.bound,
                retry.status,
                retry.method,
                solution.seconds + retry.seconds,
                "the LP vertex was fractional; re-solved as a MILP",
            )
    else:
        solution = _solve_milp_from_relaxation(model, options)

    if solution.values is None:
        chosen: IntArray = np.zeros(0, np.int64)
    else:
        chosen = model.edges[solution.values[: model.n_edge_vars] > 0.5]
    objective, shortfall = _objective_of(problem, options, model.county_floor, chosen)
    bound = max(solution.bound, objective) if solution.values is not None else solution.bound
    if not np.isfinite(bound) and solution.values is not None:
        bound = objective if solution.status is AssignmentStatus.OPTIMAL else np.inf
    message = solution.message
    if solution.status is AssignmentStatus.INFEASIBLE:
        message = _explain_infeasible(problem, options, model)
    return AssignmentResult(
        chosen_edges=chosen,
        placements_per_need=np.bincount(problem.need_index[chosen], minlength=problem.n_needs),
        objective=objective,
        total_score=float(problem.score[chosen].sum()),
        bound=bound,
        gap=(bound - objective) / max(1.0, abs(objective))
        if solution.values is not None
        else np.inf,
        status=solution.status,
        method=solution.method,
        solve_seconds=solution.seconds,
        build_seconds=build_seconds,
        unfilled=unfilled_reasons(problem, options, chosen),
        county_shortfall=shortfall,
        message=message,
    )


@dataclass(frozen=True, eq=False, slots=True)
class _Relaxation:
    result: Any  # scipy OptimizeResult of linprog
    seconds: float


def _relax(model: Formulation, options: AssignmentOptions) -> _Relaxation:
    # linprog takes only "<=" rows: split each two-sided row into its finite sides.
    upper_rows = np.isfinite(model.row_upper)
    lower_rows = np.isfinite(model.row_lower)
    a_ub = sp.vstack([model.matrix[upper_rows], -model.matrix[lower_rows]], format="csr")
    b_ub = np.concatenate([model.row_upper[upper_rows], -model.row_lower[lower_rows]])
    solver_options: dict[str, float | bool] = {"presolve": True}
    if options.time_limit_seconds is not None:
        solver_options["time_limit"] = options.time_limit_seconds
    started = time.perf_counter()
    result = linprog(
        -model.objective,
        A_ub=a_ub if a_ub.shape[0] else None,
        b_ub=b_ub if a_ub.shape[0] else None,
        bounds=np.stack([model.var_lower, model.var_upper], axis=1),
        method="highs",
        options=solver_options,
    )
    return _Relaxation(result, time.perf_counter() - started)


def _solve_lp(model: Formulation, options: AssignmentOptions) -> _Solution:
    relaxation = _relax(model, options)
    result, seconds = relaxation.result, relaxation.seconds
    if result.status == 0:
        return _Solution(result.x, -result.fun, AssignmentStatus.OPTIMAL, "lp", seconds, "")
    if result.status == 2:
        return _Solution(None, -np.inf, AssignmentStatus.INFEASIBLE, "lp", seconds, "")
    # A limit hit inside the LP leaves no proven integral point; the MILP path returns
    # its incumbent and bound instead.
    retry = _solve_milp(model, options)
    return _Solution(
        retry.values,
        retry.bound,
        retry.status,
        retry.method,
        seconds + retry.seconds,
        f"LP stopped early ({result.message}); fell back to the MILP",
    )


def _solve_milp_from_relaxation(model: Formulation, options: AssignmentOptions) -> _Solution:
    """LP relaxation first: its optimum is a bound, an integral optimum ends the search,
    and its rounding is a fallback placement should the MILP stop without a better one."""
    relaxation = _relax(model, options)
    result, seconds = relaxation.result, relaxation.seconds
    if result.status == 2:
        return _Solution(None, -np.inf, AssignmentStatus.INFEASIBLE, "milp", seconds, "")
    if result.status != 0:
        retry = _solve_milp(model, options)
        return _Solution(
            retry.values, retry.bound, retry.status, retry.method, seconds + retry.seconds, ""
        )
    lp_bound = -float(result.fun)
    if _is_integral(result.x[: model.n_edge_vars]):
        return _Solution(result.x, lp_bound, AssignmentStatus.OPTIMAL, "lp", seconds, "")
    remaining = options.time_limit_seconds
    if remaining is not None:
        remaining = max(remaining - seconds, 0.01)
    if model.n_edge_vars > options.exact_milp_max_edges:
        restricted = _solve_restricted(model, options, result, lp_bound, remaining)
        return _Solution(
            restricted.values,
            restricted.bound,
            restricted.status,
            restricted.method,
            seconds + restricted.seconds,
            restricted.message,
        )
    incumbent = rounded_incumbent(model, result.x)
    search = _solve_milp(model, options, time_limit_seconds=remaining)
    seconds += search.seconds
    if search.status is not AssignmentStatus.TIME_LIMIT or incumbent is None:
        return _Solution(
            search.values,
            min(search.bound, lp_bound),
            search.status,
            "milp",
            seconds,
            search.message,
        )
    incumbent_value = float(model.objective @ incumbent)
    search_value = float(model.objective @ search.values) if search.values is not None else -np.inf
    if search_value >= incumbent_value:
        values, note = search.values, search.message
    else:
        values, note = incumbent, search.message + "; returned the rounded LP relaxation"
    return _Solution(
        values, min(search.bound, lp_bound), AssignmentStatus.TIME_LIMIT, "milp", seconds, note
    )


def _restricted(model: Formulation, keep_edge: BoolArray) -> Formulation:
    """The model over the kept edge columns (every slack column stays)."""
    columns = np.concatenate(
        [np.flatnonzero(keep_edge), np.arange(model.n_edge_vars, model.objective.shape[0])]
    )
    return Formulation(
        edges=model.edges[keep_edge],
        spread_talents=model.spread_talents,
        shortfall_counties=model.shortfall_counties,
        objective=model.objective[columns],
        matrix=model.matrix.tocsc()[:, columns].tocsr(),
        row_lower=model.row_lower,
        row_upper=model.row_upper,
        var_lower=model.var_lower[columns],
        var_upper=model.var_upper[columns],
        integral_vertices=False,
        county_floor=model.county_floor,
    )


def _solve_restricted(
    model: Formulation,
    options: AssignmentOptions,
    relaxed: Any,
    lp_bound: float,
    time_limit_seconds: float | None,
) -> _Solution:
    """MILP over the edges the LP optimum uses or nearly prices in (LP-and-fix).

    ``relaxed`` is the linprog result of the model: ``x`` (V,) and the reduced costs
    ``lower.marginals`` (V,), >= 0 at a minimum of the negated objective. An edge at 0 with
    reduced cost ``d`` can only enter a placement worth at most ``lp_bound - d`` (LP
    duality), so leaving out every edge with ``d > margin`` loses nothing the bound
    ``lp_bound - min d`` would not already allow: the reported bound is
    ``min(lp_bound, max(restricted bound, lp_bound - min d))``, a proven one.

    Two passes: the edges within ``fixing_reduced_cost / 5`` (small, an answer within
    seconds), then, with the time left, all within ``fixing_reduced_cost``. Each pass is
    a HiGHS MILP; the rounded LP relaxation is the fallback placement."""
    k = model.n_edge_vars
    x = relaxed.x[:k]
    reduced = np.asarray(relaxed.lower.marginals, dtype=float)[:k]
    at_zero = (x <= INTEGRALITY_TOLERANCE) & (model.var_lower[:k] == 0)
    full_values = rounded_incumbent(model, relaxed.x)
    best_value = float(model.objective @ full_values) if full_values is not None else -np.inf
    best_pass = "the rounded LP relaxation"
    started = time.perf_counter()
    bound = lp_bound
    hit_limit = False
    notes: list[str] = []
    margin = options.fixing_reduced_cost
    kept_before = -1
    for pass_margin in (margin / 5, margin):
        keep = ~at_zero | (reduced <= pass_margin)
        if int(keep.sum()) == kept_before:
            continue  # the wider margin adds no edge: the pass would repeat
        kept_before = int(keep.sum())
        spent = time.perf_counter() - started
        limit = None if time_limit_seconds is None else time_limit_seconds - spent
        if limit is not None and limit < 0.5:
            hit_limit = True
            break
        sub = _restricted(model, keep)
        search = _solve_milp(model=sub, options=options, time_limit_seconds=limit)
        hit_limit = search.status is AssignmentStatus.TIME_LIMIT
        left_out = reduced[~keep]
        # Duals carry solver tolerances; shave the reduced costs a little to stay safe.
        outside = lp_bound - float(left_out.min()) + 1e-7 if left_out.size else -np.inf
        if search.status is not AssignmentStatus.INFEASIBLE:
            bound = min(bound, max(search.bound, outside))
        notes.append(
            f"pass {len(notes) + 1}: {int(keep.sum())} of {k} edges, "
            f"{search.status.value} in {search.seconds:.1f} s"
        )
        if search.values is not None:
            values = np.zeros(model.objective.shape[0])
            values[np.flatnonzero(keep)] = search.values[: sub.n_edge_vars]
            values[k:] = search.values[sub.n_edge_vars :]
            value = float(model.objective @ values)
            if value > best_value:
                full_values, best_value, best_pass = values, value, f"pass {len(notes)}"
        if best_value >= bound - 1e-9 * max(1.0, abs(best_value)):
            break
    seconds = time.perf_counter() - started
    if full_values is None:
        return _Solution(
            None,
            bound,
            AssignmentStatus.TIME_LIMIT,
            "milp_restricted",
            seconds,
            "restricted MILP search found no placement in time; " + "; ".join(notes),
        )
    proven = best_value >= bound - 1e-9 * max(1.0, abs(best_value))
    status = (
        AssignmentStatus.OPTIMAL
        if proven
        else AssignmentStatus.TIME_LIMIT
        if hit_limit
        else AssignmentStatus.FEASIBLE
    )
    return _Solution(
        full_values,
        bound,
        status,
        "milp_restricted",
        seconds,
        f"LP-and-fix search over edges priced within {margin} of the LP optimum; "
        + "; ".join(notes)
        + f"; answer from {best_pass}",
    )


def _solve_milp(
    model: Formulation, options: AssignmentOptions, time_limit_seconds: float | None = None
) -> _Solution:
    integrality = np.zeros(model.objective.shape[0])
    integrality[: model.n_edge_vars] = 1  # y and u are integral at any optimum anyway
    solver_options: dict[str, float | bool] = {
        "presolve": True,
        "mip_rel_gap": options.mip_relative_gap,
    }
    limit = time_limit_seconds if time_limit_seconds is not None else options.time_limit_seconds
    if limit is not None:
        solver_options["time_limit"] = limit
    constraints = (
        [LinearConstraint(model.matrix, model.row_lower, model.row_upper)]
        if model.matrix.shape[0]
        else []
    )
    started = time.perf_counter()
    result = milp(
        -model.objective,
        integrality=integrality,
        bounds=Bounds(model.var_lower, model.var_upper),
        constraints=constraints,
        options=solver_options,
    )
    seconds = time.perf_counter() - started
    dual_bound = getattr(result, "mip_dual_bound", None)
    bound = -float(dual_bound) if dual_bound is not None else np.inf
    if result.status == 0:
        if not np.isfinite(bound):
            bound = -float(result.fun)
        return _Solution(result.x, bound, AssignmentStatus.OPTIMAL, "milp", seconds, "")
    if result.status == 2:
        return _Solution(None, -np.inf, AssignmentStatus.INFEASIBLE, "milp", seconds, "")
    return _Solution(
        result.x,
        bound,
        AssignmentStatus.TIME_LIMIT,
        "milp",
        seconds,
        f"solver stopped before proving optimality: {result.message}",
    )


def _is_integral(values: FloatArray) -> bool:
    return bool(np.all(np.abs(values - np.round(values)) <= INTEGRALITY_TOLERANCE))


def _solve_by_flow(
    problem: AssignmentProblem, options: AssignmentOptions
) -> AssignmentResult | None:
    """The min-cost flow answer when the model is a network; None when it is not, or
    when the flow is infeasible (the HiGHS path then says which limit cannot hold)."""
    started = time.perf_counter()
    network = network_of(problem, options)
    if network is None or not network.n_edges:
        return None
    build_seconds = time.perf_counter() - started
    flow = solve_network(network)
    if flow.chosen is None:
        return None
    return _flow_result(problem, options, network, flow, build_seconds)


def _flow_result(
    problem: AssignmentProblem,
    options: AssignmentOptions,
    network: FlowNetwork,
    flow: FlowSolution,
    build_seconds: float,
) -> AssignmentResult:
    chosen = np.sort(flow.chosen) if flow.chosen is not None else np.zeros(0, np.int64)
    objective, shortfall = _objective_of(problem, options, network.county_floor, chosen)
    bound = objective + flow.rounding_slack
    return AssignmentResult(
        chosen_edges=chosen,
        placements_per_need=np.bincount(problem.need_index[chosen], minlength=problem.n_needs),
        objective=objective,
        total_score=float(problem.score[chosen].sum()),
        bound=bound,
        gap=(bound - objective) / max(1.0, abs(objective)),
        status=AssignmentStatus.OPTIMAL,
        method="flow",
        solve_seconds=flow.seconds,
        build_seconds=build_seconds,
        unfilled=unfilled_reasons(problem, options, chosen),
        county_shortfall=shortfall,
        message="",
    )


def _objective_of(
    problem: AssignmentProblem,
    options: AssignmentOptions,
    county_floor: dict[int, int],
    chosen: IntArray,
) -> tuple[float, dict[int, int]]:
    """Recompute the objective from the integral choice (exact, free of solver noise)."""
    value = float(edge_objective(problem, options)[chosen].sum())
    load = np.bincount(problem.talent_index[chosen], minlength=problem.n_talents)
    extra = np.maximum(load - options.spread_free_placements, 0)
    value -= options.spread_penalty * float(extra.sum())
    placed_county = problem.need_county[problem.need_index[chosen]]
    shortfall = {}
    for county, floor in county_floor.items():
        missing = floor - int(np.count_nonzero(placed_county == county))
        if missing > 0:
            shortfall[county] = missing
    if options.county_min_mode == "soft":
        value -= options.county_shortfall_penalty * sum(shortfall.values())
    return value, shortfall


def _explain_infeasible(
    problem: AssignmentProblem, options: AssignmentOptions, model: Formulation
) -> str:
    reasons = []
    if options.county_min_mode == "hard" and model.county_floor:
        # The most a county could fill if it had every usable candidate to itself.
        need = problem.need_index[model.edges]
        degree = np.bincount(need, minlength=problem.n_needs)
        reachable = np.minimum(degree, problem.need_headcount)
        short = []
        for county, floor in sorted(model.county_floor.items()):
            best = int(reachable[problem.need_county == county].sum())
            if best < floor:
                short.append(f"county {county} needs {floor} placements, at most {best} possible")
        if short:
            reasons.append("hard county floor cannot be met: " + "; ".join(short))
        else:
            reasons.append(
                "the hard county floors (county_min_fill_share="
                f"{options.county_min_fill_share}) conflict with capacities or each other"
            )
    if options.continuity == "forced" and problem.edge_existing.any():
        reasons.append("forced existing pairings may conflict with days or institution limits")
    return "no placement satisfies every hard limit: " + (
        "; ".join(reasons) or "check forced pairings and floors"
    )
