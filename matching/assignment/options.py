"""Options of the optimal assignment: declared, documented data (never code).

Every option defaults to "off", so ``AssignmentOptions()`` solves the plain problem:
maximise the total weighted score subject to headcounts, concurrent capacity and days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Literal

CountyMinimumMode = Literal["soft", "hard"]
ContinuityMode = Literal["bonus", "forced"]
LpSolver = Literal["auto", "flow", "highs"]


@dataclass(frozen=True, slots=True)
class AssignmentOptions:
    """Options of :func:`matching.assignment.solve_assignment`.

    priority_weight:
        Multiplier (>= 0) on the objective of every edge into a priority need (poverty
        township or high-altitude site; the plan's 倾斜). 1.0 = no tilt; 1.3 makes a
        priority placement worth 30 % more than an equal-scoring ordinary one.
    county_min_fill_share:
        Fairness floor in [0, 1]: each county should fill at least
        ``ceil(share * its open headcount)`` slots. It is a floor on each county's own
        fill rate rather than on its share of all placements, because a floor on the
        share of a total invites the solver to place *fewer* people elsewhere to meet the
        ratio. 0 switches it off.
    county_min_mode:
        ``"soft"`` (default): a county may fall short, at ``county_shortfall_penalty`` of
        objective per missing slot, so the run never fails; the shortfall is reported.
        ``"hard"``: the floor is a constraint; if it cannot be met the result has status
        ``infeasible`` and a message naming the counties that lack usable candidates.
    county_shortfall_penalty:
        Objective lost per slot a county is below its floor (soft mode). Make it larger
        than the best edge objective to put the floor ahead of score.
    max_placements_per_institution_per_site:
        At most this many placements at one site from talents of one institution
        (None = no limit). Talents without an institution are not limited. A talent
        placed in two needs of one site counts twice, which is the stricter reading.
    continuity:
        ``"bonus"``: an edge flagged ``edge_existing`` earns ``continuity_bonus`` extra
        objective. ``"forced"``: every existing pairing must be kept; an existing pairing
        that breaks a limit raises ``ValueError`` naming it.
    continuity_bonus:
        Objective added to an existing pairing in ``"bonus"`` mode (>= 0).
    spread_penalty:
        Objective lost (>= 0) per placement of one talent beyond
        ``spread_free_placements``: it keeps an expert from being spread over too many
        sites when a comparable colleague is free.
    spread_free_placements:
        Placements per talent before ``spread_penalty`` applies (>= 1).
    time_limit_seconds:
        Wall-clock limit of the solver (None = none). On expiry the best placement found
        is returned with status ``time_limit`` and its gap to the bound.
    mip_relative_gap:
        Relative gap at which the MILP search may stop. 0 (default) proves optimality.
    exact_milp_max_edges:
        Largest model (usable candidate edges) that goes to the full HiGHS MILP when
        days-per-year or institution rows make the LP fractional; such a solve is exact
        (status ``optimal``) unless ``time_limit_seconds`` stops it. Larger models go to
        the restricted search below, which HiGHS can finish at prefecture scale.
    fixing_reduced_cost:
        Restricted search of large MILPs (objective units, >= 0). An edge that is 0 in the
        LP optimum with a reduced cost above this is left out of the MILP; edges in use
        or near the margin stay. A first pass keeps only edges within a fifth of it, a
        second pass (time permitting) all within it, and the better answer is returned.
        The reported bound stays a proven one (LP bound, sharpened by the reduced costs of
        the left-out edges); the answer is ``optimal`` only when it meets that bound.
    lp_solver:
        Solver of a model that is a network (no days row or cross-need institution
        group can bind): ``"flow"``, OR-Tools' min-cost flow on the objective scaled to
        integers (the answer is re-evaluated exactly, and its bound widened by the most
        the rounding can cost, about 1e-5); ``"highs"``, the HiGHS LP; ``"auto"``
        (default), the flow when OR-Tools is installed, else HiGHS. Other models always
        go to HiGHS.
    """

    priority_weight: float = 1.0
    county_min_fill_share: float = 0.0
    county_min_mode: CountyMinimumMode = "soft"
    county_shortfall_penalty: float = 10.0
    max_placements_per_institution_per_site: int | None = None
    continuity: ContinuityMode = "bonus"
    continuity_bonus: float = 0.0
    spread_penalty: float = 0.0
    spread_free_placements: int = 1
    time_limit_seconds: float | None = None
    mip_relative_gap: float = 0.0
    exact_milp_max_edges: int = 20_000
    fixing_reduced_cost: float = 0.05
    lp_solver: LpSolver = "auto"

    def __post_init__(self) -> None:
        for name in (
            "priority_weight",
            "county_shortfall_penalty",
            "continuity_bonus",
            "spread_penalty",
            "mip_relative_gap",
            "fixing_reduced_cost",
        ):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"AssignmentOptions.{name} = {value!r}; expected a number >= 0")
        share = self.county_min_fill_share
        if not (isinstance(share, int | float) and 0.0 <= share <= 1.0):
            raise ValueError(
                f"AssignmentOptions.county_min_fill_share = {share!r}; expected a number in [0, 1]"
            )
        if self.county_min_mode not in ("soft", "hard"):
            raise ValueError(
                f"AssignmentOptions.county_min_mode = {self.county_min_mode!r}; "
                "expected 'soft' or 'hard'"
            )
        if self.continuity not in ("bonus", "forced"):
            raise ValueError(
                f"AssignmentOptions.continuity = {self.continuity!r}; expected 'bonus' or 'forced'"
            )
        _check_lp_solver(self.lp_solver)
        cap = self.max_placements_per_institution_per_site
        if cap is not None and not (isinstance(cap, int) and cap >= 0):
            raise ValueError(
                f"AssignmentOptions.max_placements_per_institution_per_site = {cap!r}; "
                "expected None or an integer >= 0"
            )
        free = self.spread_free_placements
        if not (isinstance(free, int) and free >= 1):
            raise ValueError(
                f"AssignmentOptions.spread_free_placements = {free!r}; expected an integer >= 1"
            )
        edges = self.exact_milp_max_edges
        if not (isinstance(edges, int) and edges >= 0):
            raise ValueError(
                f"AssignmentOptions.exact_milp_max_edges = {edges!r}; expected an integer >= 0"
            )
        limit = self.time_limit_seconds
        if limit is not None and not (isinstance(limit, int | float) and limit > 0):
            raise ValueError(
                f"AssignmentOptions.time_limit_seconds = {limit!r}; expected None or a number > 0"
            )


def _check_lp_solver(solver: str) -> None:
    if solver not in ("auto", "flow", "highs"):
        raise ValueError(
            f"AssignmentOptions.lp_solver = {solver!r}; expected 'auto', 'flow' or 'highs'"
        )


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(AssignmentOptions))
"""Every declared option; a test checks each is documented in the class docstring."""
