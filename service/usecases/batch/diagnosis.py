"""Step 4 of a run: why each short need is short. A need no talent can serve, or one
whose every feasible talent was placed, is diagnosed against every active talent: how
many fail each hard constraint, and the commonest one named."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from matching.assignment import UnfilledReason
from matching.constraints import Constraint, TalentArrays
from matching.geo import haversine_km
from matching.types import Mode, NeedProfile
from service.profiles import talent_profiles
from service.usecases.batch.candidates import Candidates
from service.usecases.batch.problem import BatchInstance
from service.usecases.batch.reasons import CONSTRAINT_TEXT, REASON_TEXT, Unfilled
from service.usecases.batch.report import Blockers, FailedConstraint, UnfilledNeed


@dataclass(frozen=True)
class Diagnosis:
    """Every short need in problem order, and the seconds the diagnosis took."""

    unfilled: list[UnfilledNeed]
    seconds: float


def diagnose(
    session: Session,
    candidates: Candidates,
    instance: BatchInstance,
    solver_reasons: dict[int, str],
    arrays: TalentArrays | None = None,
) -> Diagnosis:
    """``arrays``: every active talent's constraint columns (the engine's, which chose
    the candidates); None reads the talents from the database."""
    clock = time.perf_counter()
    needs = candidates.needs
    problem = instance.problem
    headcount = problem.need_headcount
    placed = np.bincount(problem.need_index[instance.chosen], minlength=len(needs))
    n_edges = np.bincount(problem.need_index, minlength=len(needs))
    found, want = candidates.feasible_found, candidates.want
    # Every feasible talent placed and still short: too few passed the hard constraints.
    short_of_talent = [
        needs[i]
        for i in range(len(needs))
        if placed[i] < headcount[i]
        and (
            found[needs[i].id] == 0
            or (placed[i] == n_edges[i] and found[needs[i].id] < want[needs[i].id])
        )
    ]
    blockers = blocking_constraints(session, short_of_talent, arrays) if short_of_talent else {}
    unfilled: list[UnfilledNeed] = []
    for i, need in enumerate(needs):
        if placed[i] >= headcount[i]:
            continue
        if n_edges[i] == 0:
            reason = Unfilled.NO_FEASIBLE if found[need.id] == 0 else Unfilled.ALREADY_MATCHED
        else:
            reason = _solver_reason(solver_reasons.get(i), int(placed[i]), int(n_edges[i]))
        zh, en = REASON_TEXT[reason]
        unfilled.append(
            UnfilledNeed(
                need_id=need.id,
                site_id=need.site_id,
                county=need.county,
                headcount=int(headcount[i]),
                placed=int(placed[i]),
                missing=int(headcount[i] - placed[i]),
                priority=bool(problem.need_priority[i]),
                reason=reason,
                reason_zh=zh,
                reason_en=en,
                blockers=None if reason == Unfilled.ALREADY_MATCHED else blockers.get(need.id),
            )
        )
    return Diagnosis(unfilled=unfilled, seconds=time.perf_counter() - clock)


def _solver_reason(reason: str | None, placed: int, n_edges: int) -> str:
    if reason is None:
        return Unfilled.CAPACITY_EXHAUSTED
    if reason == UnfilledReason.NO_CANDIDATES.value:
        # No usable candidate left: either all were placed here, or the rest have no
        # capacity (or days) left after earlier matches.
        return Unfilled.FEW_CANDIDATES if placed == n_edges else Unfilled.CAPACITY_COMMITTED
    return reason


def blocking_constraints(
    session: Session, needs: Sequence[NeedProfile], arrays: TalentArrays | None = None
) -> dict[int, Blockers]:
    """For needs no talent can serve: how many talents fail each hard constraint, and
    the commonest one named. The counts equal tallying ``why_not`` over every active
    talent, computed on the constraint arrays in one pass per need (``arrays``: those
    talents' columns; None builds them from the database)."""
    if arrays is None:
        arrays = TalentArrays.build(talent_profiles(session))
    out: dict[int, Blockers] = {}
    for need in needs:
        counts, sole = violation_counts(need, arrays)
        commonest = None
        if counts:
            # The commonest failure; among equals, the one that alone blocks most.
            name = max(counts, key=lambda c: (counts[c], sole.get(c, 0)))
            zh, en = CONSTRAINT_TEXT[Constraint(name)]
            commonest = FailedConstraint(name=name, zh=zh, en=en)
        out[need.id] = Blockers(
            violations=counts, sole_blocker=sole, talents_checked=len(arrays), commonest=commonest
        )
    return out


def violation_counts(
    need: NeedProfile, arrays: TalentArrays
) -> tuple[dict[str, int], dict[str, int]]:
    """(constraint -> talents failing it, constraint -> talents failing only it) for
    ``need`` over the talents ``arrays`` was built from. Mirrors
    :func:`matching.constraints.feasible_talents` one rule at a time; a test holds it to
    ``why_not``."""
    n = len(arrays)
    fails = _failures(need, arrays)
    matrix = np.stack([fails[c] for c in Constraint]) if n else np.zeros((len(Constraint), 0), bool)
    per_talent = matrix.sum(0)
    counts = matrix.sum(1)
    only = (matrix & (per_talent == 1)).sum(1)
    names = [c.value for c in Constraint]
    return (
        {names[i]: int(counts[i]) for i in range(len(names)) if counts[i]},
        {names[i]: int(only[i]) for i in range(len(names)) if only[i]},
    )


def _failures(need: NeedProfile, arrays: TalentArrays) -> dict[str, np.ndarray]:
    """Constraint -> bool (T,): which talents fail it for ``need``."""
    n = len(arrays)
    lo, hi = need.window.start.toordinal(), need.window.end.toordinal()
    overlap = (np.maximum(arrays.window_start, lo) <= np.minimum(arrays.window_end, hi)).any(1)
    return {
        Constraint.WINDOW: arrays.has_windows & ~overlap,
        Constraint.MODE: (arrays.mode_bits & _mode_bit(need.mode)) == 0,
        Constraint.TITLE: arrays.title < need.min_title_level,
        Constraint.DEGREE: arrays.degree < need.min_degree_level,
        Constraint.LICENCE: ~_all_of(arrays.licences, need.licences, n),
        Constraint.DISTANCE: _too_far(need, arrays),
        Constraint.LANGUAGE: ~_all_of(arrays.languages, need.languages, n),
        Constraint.CAPACITY_CONCURRENT: arrays.free_slots <= 0,
        Constraint.CAPACITY_DAYS: np.full(n, False)
        if need.long_placement
        else arrays.free_days < need.days_needed,
        Constraint.DECLINED: _rows(arrays.declined_rows.get(need.id), n),
        Constraint.BLOCKED: _rows(
            arrays.blocked_rows.get(need.site_id) if need.site_id is not None else None, n
        ),
        Constraint.CATEGORY: ~np.isin(arrays.category, list(need.required_categories))
        if need.required_categories
        else np.zeros(n, bool),
        Constraint.LONG_PLACEMENT: ~arrays.long_ok if need.long_placement else np.zeros(n, bool),
        Constraint.OCCUPIED: _occupied(need, arrays, lo, hi),
    }


def _occupied(need: NeedProfile, arrays: TalentArrays, lo: int, hi: int) -> np.ndarray:
    """Talents busy over the need's dates: a held long placement overlaps them, or
    (for a long placement) any held placement does."""
    busy = (np.maximum(arrays.occupied_start, lo) <= np.minimum(arrays.occupied_end, hi)).any(1)
    if need.long_placement:
        busy |= (np.maximum(arrays.engaged_start, lo) <= np.minimum(arrays.engaged_end, hi)).any(1)
    return np.asarray(busy)


def _all_of(have: dict[str, np.ndarray], wanted: Sequence[str], n: int) -> np.ndarray:
    """Talents holding every one of ``wanted`` (licences, languages)."""
    ok = np.ones(n, bool)
    for name in wanted:
        ok &= have.get(name, np.zeros(n, bool))
    return ok


def _too_far(need: NeedProfile, arrays: TalentArrays) -> np.ndarray:
    if need.mode != Mode.REMOTE and need.lat is not None and need.lon is not None:
        distance = haversine_km(need.lat, need.lon, arrays.lat, arrays.lon)
        return np.asarray(distance > arrays.travel_radius_km)
    return np.zeros(len(arrays), bool)


def _rows(rows: np.ndarray | None, n: int) -> np.ndarray:
    marked = np.zeros(n, bool)
    if rows is not None:
        marked[rows] = True
    return marked


def _mode_bit(mode: Mode) -> int:
    # The same bit layout as matching.constraints: one bit per Mode in declaration order.
    return 1 << list(Mode).index(Mode(mode))
