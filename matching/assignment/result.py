"""What the optimal assignment returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from matching.assignment._arrays import IntArray


class AssignmentStatus(StrEnum):
    OPTIMAL = "optimal"  # proven optimal on the candidate graph (gap 0 up to tolerance)
    TIME_LIMIT = "time_limit"  # best placement found before the limit; see gap
    # Every limit holds, but optimality is not proven: the restricted search of a large
    # MILP ended below the bound; see gap.
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"  # forced pairings or hard county floors cannot all hold


class UnfilledReason(StrEnum):
    """Why a need got fewer people than its headcount (the coordinator's question)."""

    # No candidate edge, or none whose talent could ever serve it (capacity 0, or fewer
    # days left than the need takes).
    NO_CANDIDATES = "no_candidates"
    # Every remaining candidate is at a limit (concurrent or days) because the solver
    # placed them where they add more to the total.
    CAPACITY_EXHAUSTED = "capacity_exhausted"
    # Remaining candidates are free but blocked by the institution-per-site cap.
    INSTITUTION_CAP = "institution_cap"
    # A candidate is free, but placing them would lower the objective (score <= 0, or
    # the spread penalty / a fairness floor elsewhere outweighs the gain).
    NOT_WORTHWHILE = "not_worthwhile"


@dataclass(frozen=True, eq=False, slots=True)
class AssignmentResult:
    """Chosen edges and the evidence of their optimality.

    Attributes (E edges, N needs, K chosen):
        chosen_edges: int (K,) indices into the problem's edge arrays, ascending.
        placements_per_need: int (N,) people placed in each need.
        objective: the maximised objective (weighted score, priority tilt, continuity
            bonus, minus spread and county-shortfall penalties) of the chosen edges.
        total_score: plain sum of ``score`` over the chosen edges.
        bound: upper bound on the objective proven by the solver (LP optimum, or the
            MILP dual bound).
        gap: ``(bound - objective) / max(1, |objective|)``; 0 for an exact solve.
        status: see :class:`AssignmentStatus`.
        method: ``"flow"`` (a network, solved by OR-Tools' min-cost flow; the bound
            adds the most the integer rounding of the costs can cost) or
            ``"lp"`` (totally unimodular formulation, integral vertex verified) or
            ``"milp"`` (days-per-year or institution rows break unimodularity) or
            ``"milp_restricted"`` (a MILP above ``exact_milp_max_edges`` edges, searched
            over the edges the LP optimum prices in; ``optimal`` only if it meets the
            bound, else ``feasible`` or ``time_limit`` with its gap).
        solve_seconds: time inside the solver; build_seconds: time building the model.
        unfilled: need index -> reason, for each need with placements < headcount.
        county_shortfall: county id -> slots below its fairness floor (soft mode).
        message: a human-readable note (why infeasible, fallbacks taken).
    """

    chosen_edges: IntArray
    placements_per_need: IntArray
    objective: float
    total_score: float
    bound: float
    gap: float
    status: AssignmentStatus
    method: str
    solve_seconds: float
    build_seconds: float
    unfilled: dict[int, UnfilledReason] = field(default_factory=dict)
    county_shortfall: dict[int, int] = field(default_factory=dict)
    message: str = ""
