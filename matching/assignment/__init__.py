"""Batch assignment: which talent goes to which need, across a whole jurisdiction.

- :func:`solve_assignment` — the provably optimal placement on the candidate graph
  (OR-Tools' min-cost flow where the model is a network, else SciPy HiGHS LP/MILP)
  with priority, fairness, institution, continuity and spread options
  (:class:`AssignmentOptions`).
- :func:`deferred_acceptance` — a stable matching when both sides state preferences;
  :func:`blocking_pairs` / :func:`is_stable` check it.
- :func:`build_pairing_fit` / :func:`solve_pairing` — one-to-one institution↔site
  pairing (一对一帮扶, 对口帮扶).
- :func:`placement_report` / :func:`assignment_report` — fill rate, priority share and
  unfilled needs by reason.

The results are proposals for coordinators, never silent placements.
"""

from matching.assignment.optimal import solve_assignment
from matching.assignment.options import AssignmentOptions
from matching.assignment.pairing import (
    PairingOptions,
    PairingResult,
    build_pairing_fit,
    solve_pairing,
)
from matching.assignment.problem import NO_LABEL, AssignmentProblem
from matching.assignment.report import PlacementReport, assignment_report, placement_report
from matching.assignment.result import AssignmentResult, AssignmentStatus, UnfilledReason
from matching.assignment.stable import (
    StableMatching,
    StableOptions,
    blocking_pairs,
    deferred_acceptance,
    is_stable,
    preferences_from_scores,
)

__all__ = [
    "NO_LABEL",
    "AssignmentOptions",
    "AssignmentProblem",
    "AssignmentResult",
    "AssignmentStatus",
    "PairingOptions",
    "PairingResult",
    "PlacementReport",
    "StableMatching",
    "StableOptions",
    "UnfilledReason",
    "assignment_report",
    "blocking_pairs",
    "build_pairing_fit",
    "deferred_acceptance",
    "is_stable",
    "placement_report",
    "preferences_from_scores",
    "solve_assignment",
    "solve_pairing",
]
