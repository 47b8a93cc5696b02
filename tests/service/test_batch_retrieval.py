"""Batched retrieval of a run (one matrix search for every need, candidates scored as
arrays, sentences written for proposals only) gives the very candidate lists, scores
(to float rounding), breakdowns and proposals of one engine call per need, which
explains every pair in Python."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from matching.ranker import LearnedScorer, LogisticRanker
from matching.results import Recommendation
from models import Talent
from service.engine import MatchingEngine
from service.settings import Settings
from service.usecases.batch import solve as solve_step
from service.usecases.batch.candidates import (
    Candidates,
    explain,
    gather,
    gather_need_by_need,
    scope_needs,
)
from service.usecases.batch.job import default_options
from service.usecases.batch.problem import build_instance
from service.usecases.batch.write import chosen_pairs, proposals_from

# Small enough that the talents outnumber two pools, so the vector index is searched.
POOL = 10


def _engine(app_settings: Settings, engine: Engine) -> MatchingEngine:
    matching = MatchingEngine(app_settings.model_copy(update={"candidate_pool": POOL}))
    with Session(engine) as session:
        matching.fit(session)
    return matching


def _same_ranking(arrays: list[Recommendation], per_pair: list[Recommendation]) -> None:
    """Same talents, ranks and scorer in the same order; scores and every breakdown
    line's numbers equal to float rounding, its sentences equal."""
    assert [(r.talent_id, r.rank, r.scorer) for r in arrays] == [
        (r.talent_id, r.rank, r.scorer) for r in per_pair
    ]
    assert [r.score for r in arrays] == pytest.approx([r.score for r in per_pair], abs=1e-9)
    for mine, theirs in zip(arrays, per_pair, strict=True):
        assert [(x.feature, x.zh, x.en) for x in mine.breakdown] == [
            (x.feature, x.zh, x.en) for x in theirs.breakdown
        ]
        numbers = [n for x in mine.breakdown for n in (x.value, x.contribution)]
        expected = [n for x in theirs.breakdown for n in (x.value, x.contribution)]
        assert numbers == pytest.approx(expected, abs=1e-9)


def _explained(found: Candidates) -> dict[int, list[Recommendation]]:
    explain(found, list(found.recommendations))
    return {
        need_id: [found.recommendations[(need_id, r.talent_id)] for r in kept]
        for need_id, kept in found.per_need.items()
    }


def test_batched_candidates_equal_need_by_need(
    app_settings: Settings, engine: Engine, session: Session
) -> None:
    talents = len(session.scalars(select(Talent.id)).all())
    assert talents > 2 * POOL
    matching = _engine(app_settings, engine)
    ticks: list[tuple[str, int, int]] = []
    batched = gather(
        session=session,
        engine=matching,
        county=None,
        candidates_per_need=8,
        progress=lambda *tick: ticks.append(tick),
    )
    one_by_one = gather_need_by_need(
        session=session, engine=matching, county=None, candidates_per_need=8
    )
    assert batched.needs and [n.id for n in batched.needs] == [n.id for n in one_by_one.needs]
    assert batched.want == one_by_one.want
    assert batched.feasible_found == one_by_one.feasible_found
    # Scored as arrays, explained only when asked.
    assert all(not r.breakdown for kept in batched.per_need.values() for r in kept)
    explained = _explained(batched)
    assert explained.keys() == one_by_one.per_need.keys()
    for need_id, kept in one_by_one.per_need.items():
        _same_ranking(explained[need_id], kept)
    assert sum(len(kept) for kept in batched.per_need.values()) > 0
    assert ticks[-1] == ("candidates", len(batched.needs), len(batched.needs))

    # The same problem, so the same proposals with the same breakdowns.
    found = gather(
        session=session, engine=matching, county=None, candidates_per_need=8, progress=None
    )
    proposals = []
    for candidates in (found, one_by_one):
        instance = build_instance(session=session, engine=matching, candidates=candidates)
        solve_step.solve(instance, mode="optimal", options=default_options(), progress=None)
        explain(candidates, chosen_pairs(instance))
        proposals.append(proposals_from(instance))
    arrays, per_pair = proposals
    assert arrays and [(p.need_id, p.talent_id) for p in arrays] == [
        (p.need_id, p.talent_id) for p in per_pair
    ]
    for mine, theirs in zip(arrays, per_pair, strict=True):
        assert mine.score == pytest.approx(theirs.score, abs=1e-9)
        assert [(x["feature"], x["zh"], x["en"]) for x in mine.breakdown] == [
            (x["feature"], x["zh"], x["en"]) for x in theirs.breakdown
        ]


def test_arrays_equal_per_pair_with_a_learned_scorer_and_boosts(
    app_settings: Settings, engine: Engine, session: Session
) -> None:
    """A learned ranker re-ranks the first stage and a feedback boost reweighs features:
    both on the arrays give the per-pair lists."""
    matching = _engine(app_settings, engine)
    matcher = matching._current(session).matcher
    needs = scope_needs(session, None)[:40]
    assert needs
    # A ranker fitted on real breakdowns (the hand lists' values), labelled by rank.
    lists = [matcher.recommend_talents(need, k=12) for need in needs]
    rows = [r for recs in lists for r in recs]
    X = np.array([[line.value for line in r.breakdown] for r in rows])
    y = np.array([r.rank <= 3 for r in rows], dtype=int)
    model = LogisticRanker(C=1.0, tie=((0, 1.0), (1, 1.0))).fit(X, y)
    scorer = LearnedScorer.from_estimator(model, scope="test", version=1)
    boosts = [{"distance": 0.3, "availability": -0.2} if i % 2 else None for i in range(len(needs))]
    scorers = [scorer if i % 3 else None for i in range(len(needs))]
    ks = [5 + i % 7 for i in range(len(needs))]
    many = matcher.recommend_talents_many(needs, ks, scorers=scorers, boosts=boosts)
    for i, need in enumerate(needs):
        single = matcher.recommend_talents(need, k=ks[i], scorer=scorers[i], boost=boosts[i])
        _same_ranking(many[i], single)
    assert any(r.scorer == scorer.label for recs in many for r in recs)
