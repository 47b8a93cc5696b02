"""A batch run never proposes, for one talent, two placements that clash over a long
placement (two long ones whose dates overlap, or a long one and anything inside its
dates): a long placement occupies the talent full-time."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.assignment import AssignmentOptions, AssignmentProblem, solve_assignment
from models import Match, Need, Site, Talent, User
from service.actor import Actor
from service.engine import MatchingEngine
from service.profiles import need_profiles
from service.usecases import batch
from service.usecases.batch import solve as solve_step
from service.usecases.batch.long_placements import NeedSpans, clashing_edges, edges_to_drop
from service.usecases.batch.problem import BatchInstance

D = date(2025, 3, 1).toordinal()


def _instance(spans: list[tuple[int, int, bool]]) -> BatchInstance:
    """Needs 0..n-1 with the given (start, end, long); talent 0 is everyone's best and
    has room for all of them; talent 1 is a weaker second for each."""
    n = len(spans)
    need_index = np.repeat(np.arange(n), 2)
    talent_index = np.tile([0, 1], n)
    score = np.array([s for i in range(n) for s in (0.9 - 0.01 * i, 0.3)])
    problem = AssignmentProblem.from_arrays(
        need_index=need_index,
        talent_index=talent_index,
        score=score,
        need_headcount=np.ones(n, np.int64),
        talent_capacity=np.array([n, n], np.int64),
    )
    return BatchInstance(
        need_ids=np.arange(100, 100 + n),
        talent_ids=np.array([7, 8]),
        problem=problem,
        chosen=np.zeros(0, np.int64),
        spans=NeedSpans(
            start=np.array([D + s for s, _, _ in spans]),
            end=np.array([D + e for _, e, _ in spans]),
            long=np.array([long for _, _, long in spans]),
        ),
    )


def _placed(instance: BatchInstance) -> dict[int, int]:
    """need index → talent index of the chosen edges."""
    p = instance.problem
    return {int(p.need_index[e]): int(p.talent_index[e]) for e in instance.chosen}


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_two_overlapping_long_placements_go_to_two_talents(mode: str) -> None:
    # Two one-year placements that overlap by half a year, and a short visit inside them.
    instance = _instance([(0, 364, True), (180, 544, True), (30, 34, False)])
    raw = solve_assignment(instance.problem, AssignmentOptions())
    raw_talents = instance.problem.talent_index[raw.chosen_edges]
    assert (raw_talents == 0).sum() == 3, "counting places alone, the best talent takes all"

    solve_step.solve(instance, mode=mode, options=AssignmentOptions(), progress=None)  # type: ignore[arg-type]
    placed = _placed(instance)
    assert placed[0] == 0, "the best talent keeps the best-scoring long placement"
    assert placed[1] == 1 and placed[2] == 1, "the rest go to the second talent"
    assert len(instance.chosen) == 3, "every slot still filled"


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_placements_that_do_not_clash_stay_with_one_talent(mode: str) -> None:
    # Two long placements one after the other, and a short visit after both.
    instance = _instance([(0, 364, True), (365, 729, True), (800, 804, False)])
    solve_step.solve(instance, mode=mode, options=AssignmentOptions(), progress=None)  # type: ignore[arg-type]
    assert _placed(instance) == {0: 0, 1: 0, 2: 0}


def test_short_placements_may_overlap_each_other() -> None:
    spans = NeedSpans(
        start=np.array([D, D + 2]), end=np.array([D + 5, D + 7]), long=np.array([False, False])
    )
    assert not spans.clash(0, 1)
    assert NeedSpans(spans.start, spans.end, np.array([True, False])).clash(0, 1)


def test_a_run_on_the_demo_population_proposes_no_clashing_placements(
    session: Session, matching_engine: MatchingEngine
) -> None:
    """Three one-year placements at one 双柏 site over the same dates, and talents with
    room for five placements each: each talent is proposed for at most one of them."""
    site = session.scalars(
        select(Site).where(Site.county_code == "532322").order_by(Site.id)
    ).first()
    assert site is not None
    start = date(2025, 3, 1)
    for i in range(3):
        session.add(
            Need(
                external_id=f"clash-{i}",
                site_id=site.id,
                title="选派农业科技人员驻村服务一年",
                description="驻村一年，开展农技推广和产业指导，带教本地农技员。",
                skills=["agri.extension"],
                mode="onsite_long",
                start_date=start + timedelta(days=30 * i),
                end_date=start + timedelta(days=30 * i + 364),
                headcount=1,
                days_needed=365,
                programme_code="selected_technicians",
            )
        )
    for talent in session.scalars(select(Talent).where(Talent.long_placement_ok.is_(True))):
        talent.capacity_concurrent = 5
        talent.travel_radius_km = 1000
    session.commit()
    zhou = Actor.of(session.scalars(select(User).where(User.username == "zhou")).one())
    done = batch.run_batch(
        session=session, engine=matching_engine, actor=zhou, county="532322", dry_run=False
    )
    proposed = list(session.scalars(select(Match).where(Match.run_id == done.run.id)))
    profiles = {n.id: n for n in need_profiles(session, sorted({m.need_id for m in proposed}))}
    by_talent: dict[int, list[int]] = defaultdict(list)
    for m in proposed:
        by_talent[m.talent_id].append(m.need_id)
    ours = set(session.scalars(select(Need.id).where(Need.external_id.like("clash-%"))))
    assert ours <= {m.need_id for m in proposed}, "each of the three long needs is proposed"
    for talent_id, need_ids in by_talent.items():
        held = [profiles[n] for n in need_ids]
        for a in held:
            for b in held:
                if a.id < b.id and (a.long_placement or b.long_placement):
                    assert a.window.end < b.window.start or b.window.end < a.window.start, (
                        f"talent {talent_id}: needs {a.id} and {b.id} clash"
                    )


def _recommendation(need_id: int, talent_id: int) -> batch.candidates.Recommendation:
    return batch.candidates.Recommendation(need_id, talent_id, 1.0, 1, ())


def test_a_talent_holding_a_proposed_long_placement_is_not_offered_over_its_dates() -> None:
    """A later run must not propose a placement over a long one the talent was proposed
    for in an earlier run and has not yet answered (found when a second run proposed a
    second, overlapping 挂职 for one talent)."""
    from matching.types import Mode, NeedProfile, Window

    def need(start: date, days: int, *, long: bool) -> NeedProfile:
        return NeedProfile(
            id=99,
            text="驻村挂职",
            mode=Mode.ONSITE_LONG if long else Mode.ONSITE_SHORT,
            window=Window(start, start + timedelta(days=days)),
            long_placement=long,
        )

    held = {7: [(date(2026, 8, 1), date(2027, 11, 13), True)], 8: []}
    offered = [_recommendation(99, 7), _recommendation(99, 8)]
    overlapping = need(date(2026, 8, 3), 500, long=True)
    kept = batch.candidates._without_clashes(overlapping, offered, held)
    assert [r.talent_id for r in kept] == [8]
    # A short need inside a held long placement clashes too; after it ends, nothing does.
    short_inside = need(date(2027, 1, 5), 3, long=False)
    assert [
        r.talent_id for r in batch.candidates._without_clashes(short_inside, offered, held)
    ] == [8]
    later = need(date(2027, 12, 1), 300, long=True)
    assert [r.talent_id for r in batch.candidates._without_clashes(later, offered, held)] == [7, 8]


def test_a_clash_also_drops_the_talent_s_other_edges_over_what_it_keeps() -> None:
    # Talent 0 is chosen for two overlapping long placements; it also has candidate
    # edges to a visit inside the first (clashes with what it keeps) and to one after
    # it (does not). Talent 1's edges are not touched.
    instance = _instance([(0, 364, True), (180, 544, True), (30, 34, False), (400, 404, False)])
    problem, spans = instance.problem, instance.spans
    assert spans is not None
    edge = {
        (int(n), int(t)): e
        for e, (n, t) in enumerate(zip(problem.need_index, problem.talent_index, strict=True))
    }
    chosen = np.array([edge[(0, 0)], edge[(1, 0)]])
    clashing = clashing_edges(problem, spans, chosen)
    assert clashing.tolist() == [edge[(1, 0)]], "the weaker long placement goes"
    dropped = edges_to_drop(problem, spans, chosen, clashing)
    assert dropped.tolist() == sorted([edge[(1, 0)], edge[(2, 0)]])


def test_rounds_end_without_clashes_and_keep_every_slot_filled() -> None:
    instance = _instance([(0, 364, True), (180, 544, True), (30, 34, False), (400, 404, False)])
    solve_step.solve(instance, mode="optimal", options=AssignmentOptions(), progress=None)
    spans = instance.spans
    assert spans is not None
    placed = _placed(instance)
    assert len(placed) == 4
    for a, ta in placed.items():
        for b, tb in placed.items():
            assert a == b or ta != tb or not spans.clash(a, b), (a, b)
