"""Decisions as training data: every impression (what was shown, at which rank, with
which feature values) joined to what became of its pair in the match lifecycle.

Outcome of a pair, as a graded gain (see ``matching.decisions``):

- no match, still ``proposed``, ``declined``, ``rejected``: 0;
- ``interested`` or ``accepted`` (the site said yes), or ``cancelled``: 1;
- ``approved``, ``active``, ``completed``: 2, and 3 when completed and its service
  records' best rating is 4 or 5.

A pair counts as *decided* once its match left ``proposed``. Lists in which nobody
decided anything are left out (nobody looked, so they teach nothing), and a need's
candidate list reloaded many times counts once: the first one shown per need and
surface (each batch run's list per need counts on its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.config import FEATURE_NAMES
from matching.decisions import DecisionSet, empty_decisions
from models import Match, MatchImpression, ServiceRecord
from models.enums import MatchStatus as S

_GAIN = {
    S.PROPOSED.value: 0,
    S.DECLINED.value: 0,
    S.REJECTED.value: 0,
    S.INTERESTED.value: 1,
    S.ACCEPTED.value: 1,
    S.CANCELLED.value: 1,
    S.APPROVED.value: 2,
    S.ACTIVE.value: 2,
    S.COMPLETED.value: 2,
}


def _outcomes(
    session: Session, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, bool]]:
    """(need, talent) -> (gain, decided) for the pairs that have a match."""
    if not pairs:
        return {}
    need_ids = sorted({n for n, _ in pairs})
    out: dict[tuple[int, int], tuple[int, bool]] = {}
    ratings = dict(
        session.execute(
            select(ServiceRecord.match_id, func.max(ServiceRecord.rating))
            .join(Match, ServiceRecord.match_id == Match.id)
            .where(Match.need_id.in_(need_ids))
            .group_by(ServiceRecord.match_id)
        ).all()
    )
    for match_id, need_id, talent_id, status in session.execute(
        select(Match.id, Match.need_id, Match.talent_id, Match.status).where(
            Match.need_id.in_(need_ids)
        )
    ):
        if (need_id, talent_id) not in pairs:
            continue
        gain = _GAIN.get(status, 0)
        if status == S.COMPLETED.value and (ratings.get(match_id) or 0) >= 4:
            gain = 3
        out[(need_id, talent_id)] = (gain, status != S.PROPOSED.value)
    return out


def _first_lists(rows: Sequence[MatchImpression]) -> list[MatchImpression]:
    """Rows of the first list per (surface, query); each batch list stands alone."""
    seen: dict[tuple[str, int], int] = {}
    keep = []
    for row in rows:  # oldest first
        query = (
            row.list_id
            if row.surface == "batch"
            else (row.talent_id if row.surface == "suggestions" else row.need_id)
        )
        key = (row.surface, query)
        first = seen.setdefault(key, row.list_id)
        if first == row.list_id:
            keep.append(row)
    return keep


def _shown(
    session: Session, since: datetime | None, until: datetime | None
) -> list[MatchImpression]:
    stmt = select(MatchImpression).order_by(MatchImpression.shown_at, MatchImpression.id)
    if since is not None:
        stmt = stmt.where(MatchImpression.shown_at >= since)
    if until is not None:
        stmt = stmt.where(MatchImpression.shown_at < until)
    rows = _first_lists(list(session.scalars(stmt)))
    return [r for r in rows if len(r.features) == len(FEATURE_NAMES)]


def decisions(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> DecisionSet:
    """The decision set of the impressions shown in [since, until)."""
    rows = _shown(session, since, until)
    outcomes = _outcomes(session, {(r.need_id, r.talent_id) for r in rows})
    judged = [outcomes.get((r.need_id, r.talent_id), (0, False)) for r in rows]
    decided_lists = {r.list_id for r, (_, decided) in zip(rows, judged, strict=True) if decided}
    keep = [i for i, r in enumerate(rows) if r.list_id in decided_lists]
    if not keep:
        return empty_decisions()
    rows = [rows[i] for i in keep]
    judged = [judged[i] for i in keep]
    list_index = {lid: i for i, lid in enumerate(dict.fromkeys(r.list_id for r in rows))}
    return DecisionSet(
        X=np.array([r.features for r in rows], dtype=np.float64),
        gain=np.array([g for g, _ in judged], dtype=np.int64),
        rank=np.array([r.rank for r in rows], dtype=np.int64),
        group=np.array([list_index[r.list_id] for r in rows], dtype=np.int64),
        time=np.array([r.shown_at.timestamp() for r in rows], dtype=np.float64),
        scope=np.array([r.county_code or "" for r in rows]).astype(str),
        decided=np.array([d for _, d in judged], dtype=bool),
    )
