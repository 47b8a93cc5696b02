"""A run's summary for coordinators: fill rate, the priority tilt achieved, and the
unfilled needs by reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching.assignment._arrays import bool_array, count_array, index_array
from matching.assignment.problem import AssignmentProblem
from matching.assignment.result import AssignmentResult


@dataclass(frozen=True, slots=True)
class PlacementReport:
    """Attributes:
    needs / headcount / placements: open needs, slots asked for, slots filled.
    fill_rate: placements / headcount (1.0 when nothing was asked).
    priority_need_share: share of the headcount in priority needs.
    priority_placement_share: share of the placements in priority needs; above
        ``priority_need_share`` means the run tilted towards priority areas (倾斜).
    unfilled_by_reason: reason -> number of needs left (partly) unfilled for it.
    """

    needs: int
    headcount: int
    placements: int
    fill_rate: float
    priority_need_share: float
    priority_placement_share: float
    unfilled_by_reason: dict[str, int] = field(default_factory=dict)


def placement_report(
    need_headcount: Any,
    placed_need_index: Any,
    need_priority: Any,
    unfilled_reasons: dict[int, Any] | None = None,
) -> PlacementReport:
    """Summarise any placement (optimal or stable).

    Args:
        need_headcount: int (N,) slots asked for.
        placed_need_index: int (K,) the need of each placement.
        need_priority: bool (N,) priority (poverty township / high altitude) needs.
        unfilled_reasons: need index -> reason (anything ``str`` names), optional.
    """
    headcount = count_array("need_headcount", need_headcount, length=None)
    n_needs = headcount.shape[0]
    placed_need = index_array("placed_need_index", placed_need_index, length=None, upper=n_needs)
    priority = bool_array("need_priority", need_priority, length=n_needs)
    total = int(headcount.sum())
    placements = int(placed_need.shape[0])
    reasons = Counter(str(r) for r in (unfilled_reasons or {}).values())
    return PlacementReport(
        needs=n_needs,
        headcount=total,
        placements=placements,
        fill_rate=placements / total if total else 1.0,
        priority_need_share=float(headcount[priority].sum()) / total if total else 0.0,
        priority_placement_share=(
            float(np.count_nonzero(priority[placed_need])) / placements if placements else 0.0
        ),
        unfilled_by_reason=dict(sorted(reasons.items())),
    )


def assignment_report(problem: AssignmentProblem, result: AssignmentResult) -> PlacementReport:
    """:func:`placement_report` of an optimal-assignment run."""
    return placement_report(
        problem.need_headcount,
        problem.need_index[result.chosen_edges],
        problem.need_priority,
        result.unfilled,
    )
