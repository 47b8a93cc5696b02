"""A year of demo decisions in the database (issue 15, item 8): the learner trained on
them, through the same impressions-to-decisions join the engine's real decisions take,
recovers the planted preference (seed/ranker_sim.py) and beats the hand weights on the
later decisions; the demo's own needs and matches stay as they were. This proves the
machinery, not real-world gains."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.config import FEATURE_NAMES, MatchingConfig
from matching.decisions import TrainOptions, compare, fit_ranker, text_tie
from models import Match, MatchImpression, Need
from models.enums import NeedStatus
from seed.load_decisions_demo import PAST_PREFIX, load_demo_decisions
from seed.ranker_sim import simulate_decisions
from service.usecases.ranker_data import decisions

WEIGHTS = MatchingConfig().weights
TODAY = date(2026, 12, 3)


def _count(session: Session, stmt: object) -> int:
    return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]


def test_demo_decisions_teach_the_planted_preference(session: Session) -> None:
    open_before = _count(
        session, select(func.count()).select_from(Need).where(Need.status == NeedStatus.OPEN)
    )
    done = load_demo_decisions(session=session, hand_weights=WEIGHTS, lists=900, today=TODAY)
    assert done.lists == 900 and done.approved > 100
    assert load_demo_decisions(session=session, hand_weights=WEIGHTS, today=TODAY).lists == 0

    # Only past, closed copies carry decisions; the current demo is untouched.
    touched = set(session.scalars(select(Need.external_id).join(Match, Match.need_id == Need.id)))
    assert touched and all(e.startswith(PAST_PREFIX) for e in touched)
    assert open_before == _count(
        session, select(func.count()).select_from(Need).where(Need.status == NeedStatus.OPEN)
    )
    first, last = session.execute(
        select(func.min(MatchImpression.shown_at), func.max(MatchImpression.shown_at))
    ).one()
    assert (last - first).days > 330 and last.date() < TODAY

    data = decisions(session)
    # Every simulated list in which someone decided something, and no other.
    sim = simulate_decisions(n_lists=900, hand_weights=WEIGHTS)
    decided_lists = {int(g) for g in sim["group"][sim["decided"]]}
    assert len(set(data.group.tolist())) == len(decided_lists)
    assert data.decisions == int(sim["decided"].sum())
    options = TrainOptions(tie=text_tie(WEIGHTS))
    result = compare(data, WEIGHTS, options, "prefecture")
    assert result.learned is not None and result.beats_hand, result.why
    assert result.learned.ndcg10 > result.hand.ndcg10 + 0.01
    assert result.learned.auc > result.hand.auc

    main = dict(zip(FEATURE_NAMES, fit_ranker(data, options).feature_coefficients(), strict=True))
    # The text channels (tied, shown in the hand weights' order) only need to count for
    # the talent; of the structured features, the planted four are the strongest.
    assert main["semantic"] > 0 and main["lexical"] > 0
    structured = [f for f in FEATURE_NAMES if f not in ("semantic", "lexical")]
    planted = {"skills", "distance", "availability", "load"}
    assert set(sorted(structured, key=lambda f: -main[f])[:4]) == planted, main
