"""Batched retrieval of a run (one matrix search for every need) gives the very
candidate lists, and so the very proposals, of one engine call per need."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models import Talent
from service.engine import MatchingEngine
from service.settings import Settings
from service.usecases.batch.candidates import gather, gather_need_by_need

# Small enough that the talents outnumber two pools, so the vector index is searched.
POOL = 10


def _engine(app_settings: Settings, engine: Engine) -> MatchingEngine:
    matching = MatchingEngine(app_settings.model_copy(update={"candidate_pool": POOL}))
    with Session(engine) as session:
        matching.fit(session)
    return matching


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
    assert batched.per_need == one_by_one.per_need
    assert sum(len(kept) for kept in batched.per_need.values()) > 0
    assert ticks[-1] == ("candidates", len(batched.needs), len(batched.needs))
