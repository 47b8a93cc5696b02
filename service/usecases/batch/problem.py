"""Step 2 of a run: the assignment problem over the candidate graph. Needs' headcounts
are what earlier matches left; talents' capacity and days are what their open and
active matches left; priority needs are poverty-township or high-altitude ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.assignment import AssignmentProblem, StableMatching
from matching.results import Recommendation
from matching.types import NeedProfile, TalentProfile
from models import Match, Need
from service import placements
from service.engine import MatchingEngine
from service.profiles import talent_profiles
from service.usecases.batch.candidates import RESERVING_VALUES, Candidates
from service.usecases.batch.long_placements import NeedSpans

DEFAULT_HIGH_ALTITUDE_M = 2500.0


@dataclass
class BatchInstance:
    """What was solved, for callers and tests that check the answer.

    need_ids (N,), talent_ids (T,) map problem indices to database ids; ``problem`` is
    the optimal-mode instance (built in both modes); ``chosen`` (K,) indexes its edges.
    ``county_codes`` maps the problem's county labels to county codes. In stable mode
    ``need_preferences`` / ``talent_preferences`` / ``stable_capacity`` and
    ``matching`` are the deferred-acceptance input and output.
    """

    need_ids: np.ndarray
    talent_ids: np.ndarray
    problem: AssignmentProblem
    chosen: np.ndarray
    recommendations: dict[tuple[int, int], Recommendation] = field(default_factory=dict)
    county_codes: list[str] = field(default_factory=list)
    need_preferences: list[list[int]] | None = None
    talent_preferences: list[list[int]] | None = None
    stable_capacity: np.ndarray | None = None
    matching: StableMatching | None = None
    # Each need's dates and whether it is a long placement (no clashing placements).
    spans: NeedSpans | None = None


def build_instance(
    *, session: Session, engine: MatchingEngine, candidates: Candidates
) -> BatchInstance:
    """The run's assignment problem; ``chosen`` is empty until it is solved."""
    needs = candidates.needs
    talent_ids = np.array(sorted({t for _, t in candidates.recommendations}), dtype=np.int64)
    tids = talent_ids.tolist()
    profiles = {p.id: p for p in talent_profiles(session, tids)} if tids else {}
    held = reserved_per_talent(session, tids) if tids else {}
    capacity, days, institution = _talent_arrays(tids, profiles, held)
    edge_need, edge_talent, edge_score, edge_existing = _edges(candidates, tids, profiles)
    high_m = high_altitude_m(engine)
    county_codes = sorted({n.county for n in needs})
    county_label = {c: i for i, c in enumerate(county_codes)}
    problem = AssignmentProblem.from_arrays(
        need_index=np.array(edge_need, np.int64),
        talent_index=np.array(edge_talent, np.int64),
        score=np.array(edge_score, np.float64),
        edge_existing=np.array(edge_existing, bool),
        need_headcount=np.array([candidates.remaining[n.id] for n in needs], dtype=np.int64),
        # A long placement spends no days of a yearly budget (it occupies its dates;
        # the hard constraints kept only talents free then, and approval re-checks).
        need_days=np.array([0 if n.long_placement else n.days_needed for n in needs], np.int64),
        need_priority=np.array([is_priority(n, high_m) for n in needs], dtype=bool),
        need_county=np.array([county_label[n.county] for n in needs], np.int64),
        need_site=np.array([n.site_id if n.site_id is not None else -1 for n in needs], np.int64),
        talent_capacity=capacity,
        talent_days=days,
        talent_institution=institution,
    )
    return BatchInstance(
        need_ids=np.array([n.id for n in needs], dtype=np.int64),
        talent_ids=talent_ids,
        problem=problem,
        chosen=np.zeros(0, np.int64),
        recommendations=candidates.recommendations,
        county_codes=county_codes,
        spans=NeedSpans.of(needs),
    )


def _edges(
    candidates: Candidates, talent_ids: list[int], profiles: dict[int, TalentProfile]
) -> tuple[list[int], list[int], list[float], list[bool]]:
    """(need index, talent index, score, existing pairing) of every candidate edge."""
    t_row = {t: i for i, t in enumerate(talent_ids)}
    edge_need: list[int] = []
    edge_talent: list[int] = []
    edge_score: list[float] = []
    edge_existing: list[bool] = []
    for n_idx, need in enumerate(candidates.needs):
        for r in candidates.per_need[need.id]:
            profile = profiles.get(r.talent_id)
            if profile is None:  # deactivated since the engine last synced
                continue
            edge_need.append(n_idx)
            edge_talent.append(t_row[r.talent_id])
            edge_score.append(float(r.score))
            edge_existing.append(
                (need.site_id is not None and need.site_id in profile.paired_site_ids)
                or need.county in profile.paired_counties
            )
    return edge_need, edge_talent, edge_score, edge_existing


def _talent_arrays(
    talent_ids: list[int],
    profiles: dict[int, TalentProfile],
    held: dict[int, tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(capacity left, days left, institution or -1) per talent."""
    capacity = np.zeros(len(talent_ids), np.int64)
    days = np.zeros(len(talent_ids), np.int64)
    institution = np.full(len(talent_ids), -1, np.int64)
    for i, tid in enumerate(talent_ids):
        profile = profiles.get(tid)
        if profile is None:
            continue
        n_held, days_held = held.get(tid, (0, 0))
        capacity[i] = max(0, profile.capacity_concurrent - n_held)
        days[i] = max(0, profile.capacity_days_per_year - days_held)
        institution[i] = profile.institution_id if profile.institution_id else -1
    return capacity, days, institution


def reserved_per_talent(session: Session, talent_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(matches, days) each talent's open and active matches hold."""
    return {
        talent_id: (int(n), int(days or 0))
        for talent_id, n, days in session.execute(
            select(Match.talent_id, func.count(), placements.short_days(session))
            .join(Need, Match.need_id == Need.id)
            .where(Match.talent_id.in_(list(talent_ids)), Match.status.in_(RESERVING_VALUES))
            .group_by(Match.talent_id)
        )
    }


def high_altitude_m(engine: MatchingEngine) -> float:
    try:
        return float(engine.settings.matching_config().high_altitude_m)
    except Exception:  # an odd override must not stop a run; the plan's line is 2500 m
        return DEFAULT_HIGH_ALTITUDE_M


def is_priority(need: NeedProfile, high_altitude: float) -> bool:
    return bool(need.poverty_township) or (
        need.altitude_m is not None and need.altitude_m >= high_altitude
    )
