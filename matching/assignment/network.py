"""The totally unimodular assignment as a min-cost flow, solved by OR-Tools.

When no days row and no institution group spanning several needs can bind (the LP
case of :mod:`matching.assignment.formulation`), the model is a network:

    source -> county c      floor_c units earning ``county_shortfall_penalty`` each
                            (soft) or forced (hard), then any number at no gain
    source|county -> need   headcount
    need -> (need, inst)    institution-per-site cap, for a binding group inside a need
    need|group -> talent    one unit per usable candidate edge, earning its objective
    talent -> sink          free placements, then ``capacity - free`` at the spread
                            penalty each
    source -> sink          the bypass: nobody has to be placed

Forced pairings and hard floors are lower bounds, moved into node supplies. A min-cost
flow solver works on integers, so the objective is scaled by ``scale`` and rounded; the
answer is re-evaluated exactly from the chosen edges, and its proven bound is that
value plus the largest error the rounding can cause (``rounding_slack``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matching.assignment._arrays import FloatArray, IntArray
from matching.assignment.formulation import (
    binding_days_rows,
    county_floors,
    edge_objective,
    forced_edges,
    groups_inside_needs,
    institution_groups,
    usable_edges,
)
from matching.assignment.options import AssignmentOptions
from matching.assignment.problem import AssignmentProblem

SOURCE, SINK = 0, 1
# Scaled costs stay far below 2**63 even after the solver multiplies them by the node
# count (cost scaling): this budget bounds |cost| * (nodes + 1).
COST_BUDGET = 2.0**60


def ortools_available() -> bool:
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True, eq=False, slots=True)
class FlowNetwork:
    """Arcs ``tails -> heads`` with ``capacities`` (after lower bounds) and float
    ``values`` (objective per unit, to be maximised); arc ``i < n_edges`` is usable
    edge ``edges[i]``. ``lower`` holds each arc's lower bound, already moved into
    ``supplies``."""

    edges: IntArray
    tails: IntArray
    heads: IntArray
    capacities: IntArray
    lower: IntArray
    values: FloatArray
    supplies: IntArray
    county_floor: dict[int, int]

    @property
    def n_edges(self) -> int:
        return int(self.edges.shape[0])


class _Arcs:
    def __init__(self) -> None:
        self.parts: list[tuple[IntArray, IntArray, IntArray, IntArray, FloatArray]] = []

    def add(
        self,
        tails: IntArray,
        heads: IntArray,
        upper: IntArray | int,
        values: FloatArray | float = 0.0,
        lower: IntArray | int = 0,
    ) -> None:
        n = tails.shape[0]
        self.parts.append(
            (
                tails.astype(np.int64),
                heads.astype(np.int64),
                np.broadcast_to(np.asarray(upper, np.int64), n),
                np.broadcast_to(np.asarray(lower, np.int64), n),
                np.broadcast_to(np.asarray(values, float), n),
            )
        )

    def arrays(self) -> list[np.ndarray]:
        return [np.concatenate([p[i] for p in self.parts]) for i in range(5)]


def network_of(problem: AssignmentProblem, options: AssignmentOptions) -> FlowNetwork | None:
    """The model as a flow network, or None when it is not one (binding days rows, or
    binding institution groups spanning several needs)."""
    edges = np.flatnonzero(usable_edges(problem))
    need, talent = problem.need_index[edges], problem.talent_index[edges]
    if binding_days_rows(problem, need, talent).any():
        return None
    forced = forced_edges(problem, options)[edges]
    n_needs, n_talents = problem.n_needs, problem.n_talents
    floors = county_floors(problem, options.county_min_fill_share)
    county_ids = np.array(sorted(floors), dtype=np.int64)
    first_need = 2 + county_ids.shape[0]
    first_talent = first_need + n_needs
    edge_tail = first_need + need
    arcs = _Arcs()
    cap = options.max_placements_per_institution_per_site
    group_arcs: tuple[IntArray, IntArray] | None = None
    if cap is not None and edges.size:
        with_institution, group, binding = institution_groups(problem, cap, need, talent)
        if not groups_inside_needs(group, binding, need[with_institution]):
            return None
        in_binding = binding[group]
        node_of_group = first_talent + n_talents + np.cumsum(binding) - 1
        edge_tail[with_institution[in_binding]] = node_of_group[group[in_binding]]
        group_need = np.zeros(binding.shape[0], np.int64)
        group_need[group] = need[with_institution]
        group_arcs = (first_need + group_need[binding], node_of_group[binding])
    # Edge arcs first, so that arc i is edge i.
    value = edge_objective(problem, options)[edges]
    arcs.add(edge_tail, first_talent + talent, 1, value, forced.astype(np.int64))
    if group_arcs is not None:
        arcs.add(group_arcs[0], group_arcs[1], np.full(group_arcs[0].shape[0], cap))
    _add_need_arcs(arcs, problem, options, county_ids, floors, first_need)
    _add_talent_arcs(arcs, problem, options, first_talent)
    total = int(problem.need_headcount.sum())
    arcs.add(np.array([SOURCE]), np.array([SINK]), np.array([total]))
    tails, heads, upper, lower, values = arcs.arrays()
    n_nodes = int(max(tails.max(), heads.max())) + 1
    supplies = np.zeros(n_nodes, np.int64)
    supplies[SOURCE], supplies[SINK] = total, -total
    np.subtract.at(supplies, tails, lower)
    np.add.at(supplies, heads, lower)
    return FlowNetwork(
        edges=edges,
        tails=tails,
        heads=heads,
        capacities=upper - lower,
        lower=lower,
        values=values,
        supplies=supplies,
        county_floor=floors,
    )


def _add_need_arcs(
    arcs: _Arcs,
    problem: AssignmentProblem,
    options: AssignmentOptions,
    county_ids: IntArray,
    floors: dict[int, int],
    first_need: int,
) -> None:
    """Source -> county (the floor, then the rest) and source|county -> need arcs."""
    headcount = problem.need_headcount
    node_of_county = np.full(int(max(problem.need_county.max(initial=-1), 0)) + 2, SOURCE)
    node_of_county[county_ids] = 2 + np.arange(county_ids.shape[0])
    county = problem.need_county
    feeder = np.where(county >= 0, node_of_county[county], SOURCE)
    arcs.add(feeder, first_need + np.arange(problem.n_needs), headcount)
    if not floors:
        return
    floor = np.array([floors[int(c)] for c in county_ids], np.int64)
    county_nodes = 2 + np.arange(county_ids.shape[0])
    sources = np.full(county_ids.shape[0], SOURCE)
    if options.county_min_mode == "soft":
        arcs.add(sources, county_nodes, floor, options.county_shortfall_penalty)
    else:
        arcs.add(sources, county_nodes, floor, 0.0, floor)
    county_headcount = np.bincount(county[county >= 0], weights=headcount[county >= 0])
    arcs.add(sources, county_nodes, county_headcount[county_ids].astype(np.int64))


def _add_talent_arcs(
    arcs: _Arcs, problem: AssignmentProblem, options: AssignmentOptions, first_talent: int
) -> None:
    """Talent -> sink: the free placements, then the ones the spread penalty prices."""
    capacity = problem.talent_capacity
    nodes = first_talent + np.arange(problem.n_talents)
    sinks = np.full(problem.n_talents, SINK)
    if options.spread_penalty <= 0:
        arcs.add(nodes, sinks, capacity)
        return
    free = np.minimum(capacity, options.spread_free_placements)
    arcs.add(nodes, sinks, free)
    arcs.add(nodes, sinks, capacity - free, -options.spread_penalty)


@dataclass(frozen=True, slots=True)
class FlowSolution:
    chosen: IntArray | None  # problem edge indices; None when infeasible
    rounding_slack: float  # the most the integer rounding can have cost the objective
    seconds: float


def solve_network(network: FlowNetwork) -> FlowSolution:
    """Maximise the network's value with OR-Tools' min-cost flow on scaled costs."""
    from ortools.graph.python import min_cost_flow

    started = time.perf_counter()
    n_nodes = network.supplies.shape[0]
    largest = float(np.abs(network.values).max(initial=0.0))
    scale = min(1e9, COST_BUDGET / ((n_nodes + 1) * max(largest, 1.0)))
    costs = np.rint(-network.values * scale).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, costs
    )
    flow.set_nodes_supplies(np.arange(n_nodes), network.supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        return FlowSolution(None, 0.0, time.perf_counter() - started)
    units = flow.flows(np.arange(network.n_edges)) + network.lower[: network.n_edges]
    chosen = network.edges[units > 0]
    # Each unit on a priced arc is off by at most half a step; any flow carries at most
    # `total` units through each of the three priced layers (county, edge, talent), and
    # both the optimum and this answer are off by that much at worst.
    total = float(network.supplies[SOURCE] + network.lower[network.tails == SOURCE].sum())
    slack = 2 * 3 * total * 0.5 / scale
    return FlowSolution(chosen, slack, time.perf_counter() - started)


def flow_is_wanted(options: AssignmentOptions) -> bool:
    """The options ask for the flow solver, or leave the choice to us and OR-Tools is
    installed ("flow" without OR-Tools fails at the import, saying so)."""
    if options.lp_solver == "highs":
        return False
    return options.lp_solver == "flow" or ortools_available()
