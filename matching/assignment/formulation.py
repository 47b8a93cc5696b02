"""The assignment as a linear program over the candidate edges.

Variables, in this order:
    x (K,)  one per *usable* candidate edge, 1 = place; binary.
    y (S,)  placements of a talent beyond ``spread_free_placements`` (spread penalty).
    u (C,)  slots a county falls below its fairness floor (soft mode only).

Rows (all as ``row_lower <= A @ v <= row_upper``), each emitted only when it can bind:
    need      sum x over the need's edges                  <= headcount
    talent    sum x over the talent's edges (- y)          <= capacity (or free placements)
    days      sum need_days * x over the talent's edges    <= talent days
    inst      sum x over one (site, institution) group     <= institution cap
    county    sum x over the county's edges (+ u)          >= floor

Need, county and (need, institution) rows form one laminar family of edge sets and the
talent rows another; such a matrix is totally unimodular (Edmonds), and the y/u columns
have a single non-zero, which keeps it so. Then every LP vertex is integral and an LP
solve is exact. Days rows (a knapsack) and institution groups spanning several needs of
one site break this, and the model must be solved as a MILP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.assignment._arrays import BoolArray, FloatArray, IntArray
from matching.assignment.options import AssignmentOptions
from matching.assignment.problem import AssignmentProblem


@dataclass(frozen=True, eq=False, slots=True)
class Formulation:
    """A built model; ``objective`` is to be *maximised*."""

    edges: IntArray  # (K,) problem edge index of each x variable
    spread_talents: IntArray  # (S,) talent of each y variable
    shortfall_counties: IntArray  # (C,) county of each u variable
    objective: FloatArray  # (K+S+C,)
    matrix: sp.csr_matrix  # (R, K+S+C)
    row_lower: FloatArray  # (R,)
    row_upper: FloatArray  # (R,)
    var_lower: FloatArray  # (K+S+C,)
    var_upper: FloatArray  # (K+S+C,)
    integral_vertices: bool  # True when the matrix is totally unimodular
    county_floor: dict[int, int]  # county id -> slots it should fill (share > 0 only)

    @property
    def n_edge_vars(self) -> int:
        return int(self.edges.shape[0])


class _Rows:
    """Accumulates sparse rows; each ``add`` appends a block of rows."""

    def __init__(self) -> None:
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []
        self.lower: list[FloatArray] = []
        self.upper: list[FloatArray] = []
        self.count = 0

    def add(
        self,
        local_row: IntArray,
        col: IntArray,
        val: FloatArray,
        lower: FloatArray,
        upper: FloatArray,
    ) -> None:
        self.rows.append(local_row + self.count)
        self.cols.append(col)
        self.vals.append(val)
        self.lower.append(lower)
        self.upper.append(upper)
        self.count += lower.shape[0]

    def matrix(self, n_vars: int) -> tuple[sp.csr_matrix, FloatArray, FloatArray]:
        def cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(parts) if parts else np.zeros(0, dtype)

        matrix = sp.csr_matrix(
            (cat(self.vals, float), (cat(self.rows, np.int64), cat(self.cols, np.int64))),
            shape=(self.count, n_vars),
        )
        return matrix, cat(self.lower, float), cat(self.upper, float)


def edge_objective(problem: AssignmentProblem, options: AssignmentOptions) -> FloatArray:
    """Objective (E,) of each candidate edge: weighted score, priority tilt, continuity."""
    tilt = np.where(problem.need_priority[problem.need_index], options.priority_weight, 1.0)
    value = problem.score * problem.edge_weight * tilt
    if options.continuity == "bonus" and options.continuity_bonus:
        value = value + options.continuity_bonus * problem.edge_existing
    return value


def usable_edges(problem: AssignmentProblem) -> BoolArray:
    """Edges whose talent could serve the need at all, ignoring every other edge."""
    need, talent = problem.need_index, problem.talent_index
    return (
        (problem.need_headcount[need] > 0)
        & (problem.talent_capacity[talent] > 0)
        & (problem.need_days[need] <= problem.talent_days[talent])
    )


def site_keys(problem: AssignmentProblem) -> IntArray:
    """(N,) site of each need; a need without a site (-1) is a site of its own."""
    site = problem.need_site
    own = problem.n_needs + int(site.max(initial=-1)) + 1
    return np.where(site >= 0, site, own + np.arange(problem.n_needs))


def county_floors(problem: AssignmentProblem, share: float) -> dict[int, int]:
    """County id -> slots it should fill: ``ceil(share * open headcount)``."""
    if share <= 0:
        return {}
    has_county = problem.need_county >= 0
    counties = problem.need_county[has_county]
    headcount = np.bincount(counties, weights=problem.need_headcount[has_county])
    floors = {}
    for county in np.flatnonzero(headcount):
        # The epsilon keeps 0.3 * 10 from becoming 4 through float round-off.
        floors[int(county)] = math.ceil(share * headcount[county] - 1e-9)
    return {c: f for c, f in floors.items() if f > 0}


def _forced_edges(problem: AssignmentProblem, options: AssignmentOptions) -> BoolArray:
    forced = (
        problem.edge_existing.copy()
        if options.continuity == "forced"
        else np.zeros(problem.n_edges, bool)
    )
    usable = usable_edges(problem)
    bad = np.flatnonzero(forced & ~usable)
    if bad.size:
        e = int(bad[0])
        n, t = int(problem.need_index[e]), int(problem.talent_index[e])
        raise ValueError(
            f"existing pairing edge {e} (need {n}, talent {t}) must be kept "
            f"(continuity='forced') but cannot be: need_headcount={problem.need_headcount[n]}, "
            f"talent_capacity={problem.talent_capacity[t]}, need_days={problem.need_days[n]}, "
            f"talent_days={problem.talent_days[t]}; raise the limits or use continuity='bonus'"
        )
    _check_forced_counts("need", problem.need_index[forced], problem.need_headcount)
    _check_forced_counts("talent", problem.talent_index[forced], problem.talent_capacity)
    return forced


def _check_forced_counts(side: str, owners: IntArray, limit: IntArray) -> None:
    counts = np.bincount(owners, minlength=limit.shape[0])
    bad = np.flatnonzero(counts > limit)
    if bad.size:
        i = int(bad[0])
        limit_name = "need_headcount" if side == "need" else "talent_capacity"
        raise ValueError(
            f"{side} {i} has {int(counts[i])} existing pairings to keep (continuity='forced') "
            f"but {limit_name}[{i}] = {int(limit[i])}"
        )


def binding_days_rows(problem: AssignmentProblem, need: IntArray, talent: IntArray) -> BoolArray:
    """(T,) talents whose days row can bind: their best-filling choice of ``capacity``
    candidates (edges ``need``/``talent``) would overrun their days."""
    days = problem.need_days[need].astype(float)
    # Only a talent whose candidates together overrun the days can bind (cheap check);
    # the sort that picks the best-filling `capacity` of them runs on those alone.
    all_days = np.bincount(talent, weights=days, minlength=problem.n_talents)
    binding = all_days > problem.talent_days
    if not binding.any():
        return binding
    keep = np.flatnonzero(binding[talent])
    days, talent = days[keep], talent[keep]
    order = np.lexsort((-days, talent))
    first_of_talent = np.searchsorted(talent[order], talent[order], side="left")
    rank = np.empty(keep.shape[0], np.int64)
    rank[order] = np.arange(keep.shape[0]) - first_of_talent
    within_capacity = rank < problem.talent_capacity[talent]
    most_days = np.bincount(talent, weights=days * within_capacity, minlength=problem.n_talents)
    return most_days > problem.talent_days


def institution_groups(
    problem: AssignmentProblem, cap: int, need: IntArray, talent: IntArray
) -> tuple[IntArray, IntArray, BoolArray]:
    """The (site, institution) groups of the edges ``need``/``talent``.

    Returns the positions of the edges whose talent has an institution, the group of
    each of them, and per group whether its row can bind (more edges than ``cap``)."""
    institution = problem.talent_institution[talent]
    has_institution = np.flatnonzero(institution >= 0)
    site = site_keys(problem)[need[has_institution]]
    pair = np.stack([site, institution[has_institution]], axis=1)
    _, group, size = np.unique(pair, axis=0, return_inverse=True, return_counts=True)
    return has_institution, group.reshape(-1), size > cap


def groups_inside_needs(group: IntArray, binding_group: BoolArray, group_need: IntArray) -> bool:
    """Unimodularity holds while each binding group lies inside one need."""
    group_need_min = np.full(binding_group.shape[0], np.iinfo(np.int64).max)
    group_need_max = np.full(binding_group.shape[0], -1)
    np.minimum.at(group_need_min, group, group_need)
    np.maximum.at(group_need_max, group, group_need)
    return bool(np.all(group_need_min[binding_group] == group_need_max[binding_group]))


def forced_edges(problem: AssignmentProblem, options: AssignmentOptions) -> BoolArray:
    """(E,) edges that must be kept (continuity='forced'); raises when one cannot be."""
    return _forced_edges(problem, options)


def build_formulation(problem: AssignmentProblem, options: AssignmentOptions) -> Formulation:
    forced_all = _forced_edges(problem, options)
    edges = np.flatnonzero(usable_edges(problem))
    k = edges.shape[0]
    need = problem.need_index[edges]
    talent = problem.talent_index[edges]
    ones = np.ones(k)
    x_cols = np.arange(k)
    rows = _Rows()

    # Need rows, only where the candidates outnumber the headcount.
    need_degree = np.bincount(need, minlength=problem.n_needs)
    binding_need = need_degree > problem.need_headcount
    row_of_need = np.cumsum(binding_need) - 1
    in_row = binding_need[need]
    rows.add(
        row_of_need[need[in_row]],
        x_cols[in_row],
        ones[in_row],
        np.full(int(binding_need.sum()), -np.inf),
        problem.need_headcount[binding_need].astype(float),
    )

    # Talent rows. With a spread penalty the row reads sum x - y <= free, y <= cap - free:
    # the same capacity, plus a priced variable for each placement beyond the free ones.
    capacity = problem.talent_capacity
    talent_degree = np.bincount(talent, minlength=problem.n_talents)
    free = options.spread_free_placements
    spread = (
        (options.spread_penalty > 0) & (capacity > free) & (talent_degree > free)
        if options.spread_penalty > 0
        else np.zeros(problem.n_talents, bool)
    )
    spread_talents = np.flatnonzero(spread)
    binding_talent = spread | (talent_degree > capacity)
    row_of_talent = np.cumsum(binding_talent) - 1
    in_row = binding_talent[talent]
    talent_upper = np.where(spread, free, capacity)[binding_talent].astype(float)
    n_talent_rows = int(binding_talent.sum())
    y_cols = k + np.arange(spread_talents.shape[0])
    rows.add(
        np.concatenate([row_of_talent[talent[in_row]], row_of_talent[spread_talents]]),
        np.concatenate([x_cols[in_row], y_cols]),
        np.concatenate([ones[in_row], -np.ones(spread_talents.shape[0])]),
        np.full(n_talent_rows, -np.inf),
        talent_upper,
    )

    # Days rows, only for talents whose best-filling choice of `capacity` candidates
    # would overrun their days; elsewhere the row cannot bind.
    days = problem.need_days[need].astype(float)
    binding_days = binding_days_rows(problem, need, talent)
    row_of_days = np.cumsum(binding_days) - 1
    in_row = binding_days[talent]
    rows.add(
        row_of_days[talent[in_row]],
        x_cols[in_row],
        days[in_row],
        np.full(int(binding_days.sum()), -np.inf),
        problem.talent_days[binding_days].astype(float),
    )

    # Institution-per-site rows.
    laminar_groups = True
    cap = options.max_placements_per_institution_per_site
    if cap is not None:
        has_institution, group, binding_group = institution_groups(problem, cap, need, talent)
        row_of_group = np.cumsum(binding_group) - 1
        in_row = binding_group[group]
        rows.add(
            row_of_group[group[in_row]],
            has_institution[in_row],
            np.ones(int(in_row.sum())),
            np.full(int(binding_group.sum()), -np.inf),
            np.full(int(binding_group.sum()), float(cap)),
        )
        laminar_groups = groups_inside_needs(group, binding_group, need[has_institution])

    # County fairness rows.
    floors = county_floors(problem, options.county_min_fill_share)
    soft = options.county_min_mode == "soft"
    shortfall_counties = np.array(sorted(floors), dtype=np.int64) if soft else np.zeros(0, np.int64)
    n_vars = k + spread_talents.shape[0] + shortfall_counties.shape[0]
    if floors:
        county_ids = np.array(sorted(floors), dtype=np.int64)
        edge_county = problem.need_county[need]
        lookup = np.full(int(max(county_ids.max(), edge_county.max(initial=-1))) + 2, -1)
        lookup[county_ids] = np.arange(county_ids.shape[0])
        row_of_edge = lookup[edge_county]  # -1 (last slot) for edges outside a floor county
        in_row = (edge_county >= 0) & (row_of_edge >= 0)
        u_cols = k + spread_talents.shape[0] + np.arange(shortfall_counties.shape[0])
        u_rows = np.arange(shortfall_counties.shape[0]) if soft else np.zeros(0, np.int64)
        rows.add(
            np.concatenate([row_of_edge[in_row], u_rows]),
            np.concatenate([x_cols[in_row], u_cols]),
            np.ones(int(in_row.sum()) + u_rows.shape[0]),
            np.array([floors[int(c)] for c in county_ids], dtype=float),
            np.full(county_ids.shape[0], np.inf),
        )

    matrix, row_lower, row_upper = rows.matrix(n_vars)
    floor_values = np.array([floors[int(c)] for c in shortfall_counties], dtype=float)
    objective = np.concatenate(
        [
            edge_objective(problem, options)[edges],
            np.full(spread_talents.shape[0], -options.spread_penalty),
            np.full(shortfall_counties.shape[0], -options.county_shortfall_penalty),
        ]
    )
    var_lower = np.concatenate(
        [forced_all[edges].astype(float), np.zeros(spread_talents.shape[0] + floor_values.size)]
    )
    var_upper = np.concatenate(
        [ones, (capacity[spread_talents] - free).astype(float), floor_values]
    )
    return Formulation(
        edges=edges,
        spread_talents=spread_talents,
        shortfall_counties=shortfall_counties,
        objective=objective,
        matrix=matrix,
        row_lower=row_lower,
        row_upper=row_upper,
        var_lower=var_lower,
        var_upper=var_upper,
        integral_vertices=not bool(binding_days.any()) and laminar_groups,
        county_floor=floors,
    )
