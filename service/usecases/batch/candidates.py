"""Step 1 of a run: the open needs in scope, what earlier matches already hold, and the
engine's best feasible talents for each need, minus every pair that already has a
match row in any status (a decision is never overwritten), and minus every talent whose
open matches (proposals included) already hold a placement that would clash with the
need: a long placement occupies its dates, so a later run must not propose another
placement over them while the first is still waiting for answers."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.pair_scores import RankedTalents
from matching.results import Recommendation
from matching.types import NeedProfile
from models import Match, Need, Site
from models.enums import MatchStatus, NeedStatus
from service import feedback, placements
from service.engine import MatchingEngine
from service.profiles import need_profiles
from service.usecases.ranking import need_boost

# (phase, done, total): phases are "candidates", "solve" and "write".
Progress = Callable[[str, int, int], None]

# Statuses in which a match takes one of the need's slots and one unit of the talent's
# capacity for the purposes of a run (see the package docstring).
RESERVING = frozenset(
    {
        MatchStatus.PROPOSED,
        MatchStatus.INTERESTED,
        MatchStatus.ACCEPTED,
        MatchStatus.APPROVED,
        MatchStatus.ACTIVE,
    }
)
RESERVING_VALUES = [s.value for s in RESERVING]
# Needs searched together as one matrix.
BLOCK = 500


@dataclass
class Candidates:
    """The needs of a run and their candidate talents.

    ``needs_all`` are the open needs in scope; ``needs`` those with slots left after
    earlier matches (``remaining`` per need id). ``per_need`` holds each need's kept
    candidates, ``recommendations`` the same keyed by (need id, talent id);
    ``feasible_found`` how many feasible talents the engine returned and ``want`` how
    many the run asked for. ``ranked`` keeps each need's ranking as arrays: the
    recommendations of :func:`gather` come without their breakdown, which
    :func:`explain` writes for the pairs a run proposes."""

    needs_all: list[NeedProfile]
    needs: list[NeedProfile]
    remaining: dict[int, int]
    existing: dict[int, set[int]]
    per_need: dict[int, list[Recommendation]] = field(default_factory=dict)
    recommendations: dict[tuple[int, int], Recommendation] = field(default_factory=dict)
    feasible_found: dict[int, int] = field(default_factory=dict)
    want: dict[int, int] = field(default_factory=dict)
    ranked: dict[int, RankedTalents] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def excluded_existing_pairs(self) -> int:
        return sum(len(v) for v in self.existing.values())


def gather(
    *,
    session: Session,
    engine: MatchingEngine,
    county: str | None,
    candidates_per_need: int,
    progress: Progress | None,
) -> Candidates:
    """The open needs of ``county`` (None: all) with slots left, and their candidates."""
    clock = time.perf_counter()
    found = _in_scope(session, county)
    needs = found.needs
    if needs:
        engine.sync(session)
    # Needs go to the engine in blocks searched as matrices: one encoder call and one
    # index search per block, and a progress tick after each. Candidates are scored as
    # arrays; the sentences of a pair's breakdown wait until it is proposed.
    boosts = _run_boosts(session, engine, needs)
    held = held_spans(session, needs)
    for start in range(0, len(needs), BLOCK):
        block = needs[start : start + BLOCK]
        ks = [_want(found, need, candidates_per_need) for need in block]
        rankings = engine.rank_talents_many(session, block, ks, [boosts[n.id] for n in block])
        for need, ranked in zip(block, rankings, strict=True):
            found.ranked[need.id] = ranked
            recommended = ranked.recommendations(explained=False)
            _keep(found, need, _without_clashes(need, recommended, held))
        if progress:
            progress("candidates", start + len(block), len(needs))
    found.seconds = time.perf_counter() - clock
    return found


def explain(found: Candidates, pairs: Iterable[tuple[int, int]]) -> None:
    """Give each (need id, talent id) of ``pairs`` its breakdown in
    ``found.recommendations`` (:func:`gather` leaves them out: a run explains only
    what it proposes). ``per_need`` keeps the lists as ranked, unexplained."""
    for pair in pairs:
        rec = found.recommendations[pair]
        ranked = found.ranked.get(pair[0])
        if not rec.breakdown and ranked is not None:
            found.recommendations[pair] = ranked.recommendation(rec.rank - 1)


def gather_need_by_need(
    *,
    session: Session,
    engine: MatchingEngine,
    county: str | None,
    candidates_per_need: int,
) -> Candidates:
    """:func:`gather` one ``recommend_talents`` call per need: the reference the
    batched path must equal (tests and the batch benchmark)."""
    found = _in_scope(session, county)
    held = held_spans(session, found.needs)
    for need in found.needs:
        k = _want(found, need, candidates_per_need)
        boost = need_boost(session, engine, need.id, need.site_id)
        recommended = engine.recommend_talents(session, need, k=k, boost=boost)
        _keep(found, need, _without_clashes(need, recommended, held))
    return found


# A talent's open placements: (start, end, long placement) of each need they hold.
Span = tuple[date, date, bool]


def held_spans(session: Session, needs: Sequence[NeedProfile]) -> dict[int, list[Span]]:
    """Per talent, the dates of every need their open matches (proposals included)
    hold, for the needs that could clash with this run's (ending on or after the
    earliest start among them)."""
    if not needs:
        return {}
    earliest = min(n.window.start for n in needs)
    rows = session.execute(
        select(Match.talent_id, Need.start_date, Need.end_date, placements.is_long(session))
        .join(Need, Match.need_id == Need.id)
        .where(Match.status.in_(RESERVING_VALUES), Need.end_date >= earliest)
    )
    held: dict[int, list[Span]] = defaultdict(list)
    for talent_id, start, end, long in rows:
        held[talent_id].append((start, end, bool(long)))
    return held


def _without_clashes(
    need: NeedProfile, recommended: list[Recommendation], held: dict[int, list[Span]]
) -> list[Recommendation]:
    """``recommended`` minus the talents whose held placements clash with ``need``:
    either is long and their dates meet (as within a run, ``long_placements``)."""
    window = need.window
    return [
        r
        for r in recommended
        if not any(
            (need.long_placement or long) and start <= window.end and window.start <= end
            for start, end, long in held.get(r.talent_id, ())
        )
    ]


def _run_boosts(
    session: Session, engine: MatchingEngine, needs: Sequence[NeedProfile]
) -> dict[int, dict[str, float]]:
    """Each need's feedback boost (:func:`need_boost`), the sites' reasons read in one
    query for the whole run."""
    s = engine.settings
    if s.ranker_feedback_step <= 0 or s.ranker_feedback_cap <= 0:
        return {need.id: {} for need in needs}
    site_ids = sorted({n.site_id for n in needs if n.site_id is not None})
    reasons = feedback.sites_reasons(session, site_ids, days=s.ranker_feedback_days)
    return {
        need.id: {}
        if need.site_id is None
        else feedback.boost_from_reasons(
            reasons.get(need.site_id, []),
            need.id,
            step=s.ranker_feedback_step,
            cap=s.ranker_feedback_cap,
        )
        for need in needs
    }


def _in_scope(session: Session, county: str | None) -> Candidates:
    """The open needs of ``county``, what earlier matches hold, no candidates yet."""
    needs_all = scope_needs(session, county)
    reserved = reserved_per_need(session, [n.id for n in needs_all]) if needs_all else {}
    remaining = {n.id: max(0, n.headcount - reserved.get(n.id, 0)) for n in needs_all}
    needs = [n for n in needs_all if remaining[n.id] > 0]
    existing = existing_pairs(session, [n.id for n in needs]) if needs else {}
    return Candidates(needs_all=needs_all, needs=needs, remaining=remaining, existing=existing)


def _want(found: Candidates, need: NeedProfile, candidates_per_need: int) -> int:
    """How many talents to ask the engine for: enough to survive dropping the pairs
    that already have a match."""
    taken = found.existing.get(need.id, set())
    # A need asking for many people gets at least as many candidates as slots.
    want = found.want[need.id] = max(candidates_per_need, found.remaining[need.id])
    return want + len(taken)


def _keep(found: Candidates, need: NeedProfile, recommended: list[Recommendation]) -> None:
    taken = found.existing.get(need.id, set())
    want = found.want[need.id]
    found.feasible_found[need.id] = len(recommended)
    kept = [r for r in recommended if r.talent_id not in taken][:want]
    found.per_need[need.id] = kept
    for r in kept:
        found.recommendations[(need.id, r.talent_id)] = r


def scope_needs(session: Session, county: str | None) -> list[NeedProfile]:
    stmt = (
        select(Need.id)
        .join(Site, Need.site_id == Site.id)
        .where(Need.status == NeedStatus.OPEN.value)
    )
    if county:
        stmt = stmt.where(Site.county_code == county)
    ids = list(session.scalars(stmt.order_by(Need.id)))
    return need_profiles(session, ids) if ids else []


def existing_pairs(session: Session, need_ids: Sequence[int]) -> dict[int, set[int]]:
    pairs: dict[int, set[int]] = defaultdict(set)
    for need_id, talent_id in session.execute(
        select(Match.need_id, Match.talent_id).where(Match.need_id.in_(list(need_ids)))
    ):
        pairs[need_id].add(talent_id)
    return pairs


def reserved_per_need(session: Session, need_ids: Sequence[int]) -> dict[int, int]:
    return {
        need_id: int(n)
        for need_id, n in session.execute(
            select(Match.need_id, func.count())
            .where(Match.need_id.in_(list(need_ids)), Match.status.in_(RESERVING_VALUES))
            .group_by(Match.need_id)
        )
    }
