"""Batch matching over a jurisdiction: one run proposes the best set of placements for
every open need at once and says what it could not fill and why.

A run has these steps, one module each:

1. **Candidates** (:mod:`.candidates`). For each open need the engine gives its best
   talents (hard constraints already applied) with scores and breakdowns. Pairs that
   already have a match row in *any* status are left out: a decision is never
   overwritten and the unique (need, talent) key is respected.
2. **Problem** (:mod:`.problem`). The assignment problem over that candidate graph.
3. **Solve** (:mod:`.solve`). ``optimal`` solves the assignment exactly
   (:func:`matching.assignment.solve_assignment`); ``stable`` runs deferred acceptance.
4. **Diagnosis** (:mod:`.diagnosis`). Why each short need is short.
5. **Report** (:mod:`.summary`, typed in :mod:`.report`; as a workbook in :mod:`.xlsx`).
6. **Write** (:mod:`.write`). ``proposed`` matches with their score breakdown and the
   run id, one ``MatchEvent`` each and one audit event for the run, all in one
   transaction (:mod:`.runner`). The ``MatchRun`` row itself is committed first
   (status ``running``) so that a failure leaves that row, marked ``failed``, and
   nothing else.

Runs are background jobs (:mod:`.job`): queued by a request, carried out by a job
runner with progress, cancellation, and a preview whose confirmation writes exactly the
previewed placements.

Open proposals (proposed, interested, accepted) from earlier runs count against a
need's headcount and a talent's capacity here, as approved and active matches do. Were
they not counted, every re-run would pile one more proposal onto each need; counted,
a re-run over unchanged data proposes nothing, and a decline frees the slot for the
next run. Who may run or read which runs is decided in :mod:`service.policy`.
"""

from service.usecases.batch.candidates import RESERVING, Progress
from service.usecases.batch.diagnosis import blocking_constraints, violation_counts
from service.usecases.batch.job import RunCancelled, WorldChanged, execute, proposals_of
from service.usecases.batch.problem import BatchInstance
from service.usecases.batch.read import get_or_raise, list_, report_of, resolve_county
from service.usecases.batch.reasons import CONSTRAINT_TEXT, REASON_TEXT, Unfilled
from service.usecases.batch.report import (
    Blockers,
    FailedConstraint,
    FailedReport,
    FillRates,
    OptimalDetails,
    PriorityShares,
    RunReport,
    SolverReport,
    StableDetails,
    StoredReport,
    Timings,
    UnfilledNeed,
    UnfilledSummary,
    read_report,
)
from service.usecases.batch.runner import (
    BatchRun,
    authorise,
    cancel,
    confirm,
    default_options,
    enqueue,
    run_batch,
    run_inline,
    start,
)
from service.usecases.batch.solve import RUN_MODES, RunMode
from service.usecases.batch.summary import REPORT_UNFILLED_LIMIT
from service.usecases.batch.xlsx import placement_rows, report_xlsx

__all__ = [
    "CONSTRAINT_TEXT",
    "REASON_TEXT",
    "REPORT_UNFILLED_LIMIT",
    "RESERVING",
    "RUN_MODES",
    "BatchInstance",
    "BatchRun",
    "Blockers",
    "FailedConstraint",
    "FailedReport",
    "FillRates",
    "OptimalDetails",
    "PriorityShares",
    "Progress",
    "RunCancelled",
    "RunMode",
    "RunReport",
    "SolverReport",
    "StableDetails",
    "StoredReport",
    "Timings",
    "Unfilled",
    "UnfilledNeed",
    "UnfilledSummary",
    "WorldChanged",
    "authorise",
    "blocking_constraints",
    "cancel",
    "confirm",
    "default_options",
    "enqueue",
    "execute",
    "get_or_raise",
    "list_",
    "placement_rows",
    "proposals_of",
    "read_report",
    "report_of",
    "report_xlsx",
    "resolve_county",
    "run_batch",
    "run_inline",
    "start",
    "violation_counts",
]
