"""The report of a batch run, typed.

A finished run's report is a :class:`RunReport`; a failed run keeps a
:class:`FailedReport`. Both are stored in ``MatchRun.report`` as the flat JSON object
the API has always returned (:meth:`RunReport.to_json`), and :func:`read_report` reads
any stored row back, including rows written before the report was typed: the stored
object and ``to_json`` of what is read from it are equal, key order included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class FillRates:
    """Slots filled over slots asked: overall, in priority areas (poverty townships and
    high-altitude sites) and elsewhere; None where nothing was asked."""

    overall: float
    priority: float | None
    other: float | None


@dataclass(frozen=True)
class PriorityShares:
    """The plan's 倾斜: priority areas' share of the slots asked, of the needs and of the
    placements made. ``of_placements`` above ``of_slots`` means the run tilted."""

    of_slots: float
    of_needs: float
    of_placements: float


@dataclass(frozen=True)
class FailedConstraint:
    """The hard constraint most talents fail for a need (the code and its words)."""

    name: str
    zh: str
    en: str


@dataclass(frozen=True)
class Blockers:
    """For a need short of feasible talents: how many talents fail each hard
    constraint, how many fail only that one, out of how many, and the commonest."""

    violations: dict[str, int]
    sole_blocker: dict[str, int]
    talents_checked: int
    commonest: FailedConstraint | None

    def to_json(self) -> Json:
        out: Json = {
            "violations": dict(self.violations),
            "sole_blocker": dict(self.sole_blocker),
            "talents_checked": self.talents_checked,
        }
        if self.commonest is not None:
            out.update(
                constraint=self.commonest.name,
                constraint_zh=self.commonest.zh,
                constraint_en=self.commonest.en,
            )
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Blockers | None:
        if "violations" not in data:
            return None
        commonest = None
        if data.get("constraint"):
            commonest = FailedConstraint(
                data["constraint"], data.get("constraint_zh", ""), data.get("constraint_en", "")
            )
        return cls(
            violations=dict(data["violations"]),
            sole_blocker=dict(data.get("sole_blocker") or {}),
            talents_checked=int(data.get("talents_checked", 0)),
            commonest=commonest,
        )


@dataclass(frozen=True)
class UnfilledNeed:
    """A need that got fewer proposals than it has open slots, and why."""

    need_id: int
    site_id: int | None
    county: str
    headcount: int
    placed: int
    missing: int
    priority: bool
    reason: str
    reason_zh: str
    reason_en: str
    blockers: Blockers | None = None
    # The need's title: set on the needs listed in the report.
    title: str | None = None

    @property
    def constraint(self) -> FailedConstraint | None:
        """The commonest failed hard constraint, where the need was diagnosed."""
        return self.blockers.commonest if self.blockers else None

    def to_json(self) -> Json:
        out: Json = {
            "need_id": self.need_id,
            "site_id": self.site_id,
            "county": self.county,
            "headcount": self.headcount,
            "placed": self.placed,
            "missing": self.missing,
            "priority": self.priority,
            "reason": self.reason,
        }
        if self.blockers is not None:
            out.update(self.blockers.to_json())
        out.update(reason_zh=self.reason_zh, reason_en=self.reason_en)
        if self.title is not None:
            out["title"] = self.title
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UnfilledNeed:
        return cls(
            need_id=int(data["need_id"]),
            site_id=data.get("site_id"),
            county=data.get("county", ""),
            headcount=int(data.get("headcount", 0)),
            placed=int(data.get("placed", 0)),
            missing=int(data.get("missing", 0)),
            priority=bool(data.get("priority", False)),
            reason=data["reason"],
            reason_zh=data.get("reason_zh", ""),
            reason_en=data.get("reason_en", ""),
            blockers=Blockers.from_json(data),
            title=data.get("title"),
        )


@dataclass(frozen=True)
class UnfilledSummary:
    """Every short need counted by reason; the first ones listed one by one."""

    count: int
    by_reason: dict[str, int]
    # Needs with no feasible talent, by their commonest failed constraint.
    no_feasible_by_constraint: dict[str, int]
    listed: tuple[UnfilledNeed, ...]


@dataclass(frozen=True)
class OptimalDetails:
    """What only the exact solver reports."""

    build_seconds: float
    message: str
    county_shortfall: dict[str, int]


@dataclass(frozen=True)
class StableDetails:
    """What only deferred acceptance reports."""

    rounds: int
    proposing_side: str
    talent_preferences: str


@dataclass(frozen=True)
class SolverReport:
    """The solver's answer: objective, proven bound and gap (None where undefined),
    status and method, and the details of the mode that ran."""

    objective: float | None
    bound: float | None
    gap: float | None
    status: str
    method: str
    solve_seconds: float
    total_score: float | None
    optimal: OptimalDetails | None = None
    stable: StableDetails | None = None

    def to_json(self) -> Json:
        out: Json = {
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "status": self.status,
            "method": self.method,
            "solve_seconds": self.solve_seconds,
        }
        if self.optimal is not None:
            out["build_seconds"] = self.optimal.build_seconds
        out["total_score"] = self.total_score
        if self.optimal is not None:
            out.update(message=self.optimal.message, county_shortfall=self.optimal.county_shortfall)
        if self.stable is not None:
            out.update(
                rounds=self.stable.rounds,
                proposing_side=self.stable.proposing_side,
                talent_preferences=self.stable.talent_preferences,
            )
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SolverReport:
        optimal = stable = None
        if "build_seconds" in data:
            optimal = OptimalDetails(
                build_seconds=data["build_seconds"],
                message=data.get("message", ""),
                county_shortfall=dict(data.get("county_shortfall") or {}),
            )
        if "rounds" in data:
            stable = StableDetails(
                rounds=int(data["rounds"]),
                proposing_side=data.get("proposing_side", ""),
                talent_preferences=data.get("talent_preferences", ""),
            )
        return cls(
            objective=data.get("objective"),
            bound=data.get("bound"),
            gap=data.get("gap"),
            status=data.get("status", ""),
            method=data.get("method", ""),
            solve_seconds=data.get("solve_seconds", 0.0),
            total_score=data.get("total_score"),
            optimal=optimal,
            stable=stable,
        )


@dataclass(frozen=True)
class Timings:
    """Seconds spent per phase, and for the whole run."""

    candidate_seconds: float
    solver_seconds: float
    diagnosis_seconds: float
    total_seconds: float


@dataclass(frozen=True)
class RunReport:
    """What a finished run did: its scope, the needs and slots, the fill rates and
    priority shares, the unfilled needs and why, and the solver's answer."""

    run_id: int
    mode: str
    dry_run: bool
    county: str | None
    county_name: str | None
    needs_open: int
    needs_already_covered: int
    needs: int
    headcount: int
    placements: int
    # Proposals written (0 in a dry run).
    proposed: int
    fill: FillRates
    priority: PriorityShares
    unfilled: UnfilledSummary
    talents_considered: int
    candidate_edges: int
    excluded_existing_pairs: int
    candidates_per_need: int
    # The optimal solver's options as given (``AssignmentOptions`` fields); None in
    # stable mode. Kept as recorded, so an old row reads back as it was written.
    options: dict[str, Any] | None
    solver: SolverReport
    timings: Timings

    def to_json(self) -> Json:
        """The flat JSON object stored in ``MatchRun.report`` and returned by the API."""
        return {
            "needs_open": self.needs_open,
            "needs_already_covered": self.needs_already_covered,
            "needs": self.needs,
            "headcount": self.headcount,
            "placements": self.placements,
            "fill_rate": self.fill.overall,
            "priority_need_share": self.priority.of_slots,
            "priority_need_count_share": self.priority.of_needs,
            "priority_placement_share": self.priority.of_placements,
            "priority_fill_rate": self.fill.priority,
            "other_fill_rate": self.fill.other,
            "unfilled_needs": self.unfilled.count,
            "unfilled_by_reason": dict(self.unfilled.by_reason),
            "no_feasible_by_constraint": dict(self.unfilled.no_feasible_by_constraint),
            "unfilled": [u.to_json() for u in self.unfilled.listed],
            "unfilled_listed": len(self.unfilled.listed),
            "talents_considered": self.talents_considered,
            "candidate_edges": self.candidate_edges,
            "excluded_existing_pairs": self.excluded_existing_pairs,
            "candidates_per_need": self.candidates_per_need,
            "options": None if self.options is None else dict(self.options),
            **self.solver.to_json(),
            "candidate_seconds": self.timings.candidate_seconds,
            "solver_seconds": self.timings.solver_seconds,
            "diagnosis_seconds": self.timings.diagnosis_seconds,
            "run_id": self.run_id,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "county": self.county,
            "county_name": self.county_name,
            "proposed": self.proposed,
            "total_seconds": self.timings.total_seconds,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunReport:
        return cls(
            run_id=int(data["run_id"]),
            mode=data["mode"],
            dry_run=bool(data.get("dry_run", False)),
            county=data.get("county"),
            county_name=data.get("county_name"),
            needs_open=int(data["needs_open"]),
            needs_already_covered=int(data.get("needs_already_covered", 0)),
            needs=int(data["needs"]),
            headcount=int(data["headcount"]),
            placements=int(data["placements"]),
            proposed=int(data.get("proposed", 0)),
            fill=FillRates(
                overall=data["fill_rate"],
                priority=data.get("priority_fill_rate"),
                other=data.get("other_fill_rate"),
            ),
            priority=PriorityShares(
                of_slots=data.get("priority_need_share", 0.0),
                of_needs=data.get("priority_need_count_share", 0.0),
                of_placements=data.get("priority_placement_share", 0.0),
            ),
            unfilled=UnfilledSummary(
                count=int(data.get("unfilled_needs", 0)),
                by_reason=dict(data.get("unfilled_by_reason") or {}),
                no_feasible_by_constraint=dict(data.get("no_feasible_by_constraint") or {}),
                listed=tuple(UnfilledNeed.from_json(u) for u in data.get("unfilled") or ()),
            ),
            talents_considered=int(data.get("talents_considered", 0)),
            candidate_edges=int(data.get("candidate_edges", 0)),
            excluded_existing_pairs=int(data.get("excluded_existing_pairs", 0)),
            candidates_per_need=int(data.get("candidates_per_need", 0)),
            options=None if data.get("options") is None else dict(data["options"]),
            solver=SolverReport.from_json(data),
            timings=Timings(
                candidate_seconds=data.get("candidate_seconds", 0.0),
                solver_seconds=data.get("solver_seconds", 0.0),
                diagnosis_seconds=data.get("diagnosis_seconds", 0.0),
                total_seconds=data.get("total_seconds", 0.0),
            ),
        )


@dataclass(frozen=True)
class FailedReport:
    """What a failed run keeps: the error, and how long it ran."""

    error: str
    total_seconds: float
    # Runs recorded since failures are explained in plain words; older rows lack these.
    error_zh: str | None = None
    reason: str | None = None

    def to_json(self) -> Json:
        out: Json = {"error": self.error, "total_seconds": self.total_seconds}
        if self.error_zh is not None:
            out.update(error_zh=self.error_zh, reason=self.reason)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FailedReport:
        return cls(
            error=str(data["error"]),
            total_seconds=data.get("total_seconds", 0.0),
            error_zh=data.get("error_zh"),
            reason=data.get("reason"),
        )


StoredReport = RunReport | FailedReport


def read_report(data: Mapping[str, Any] | None) -> StoredReport | None:
    """The report of a stored run (``MatchRun.report``); None while the run is running."""
    if not data:
        return None
    if "error" in data:
        return FailedReport.from_json(data)
    return RunReport.from_json(data)
