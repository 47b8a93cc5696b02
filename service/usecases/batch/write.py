"""Step 6 of a run: the records it leaves. ``proposed`` matches with their score
breakdown and the run id and one ``MatchEvent`` each (flushed in chunks, committed by
the caller with the run); or, when the run fails, its ``MatchRun`` row marked failed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from matching.results import Recommendation
from models import Match, MatchEvent, MatchRun
from models.enums import MatchOrigin, MatchStatus, RunStatus
from service import jobs, notify
from service.actor import Actor
from service.usecases.batch.candidates import Progress
from service.usecases.batch.problem import BatchInstance
from service.usecases.batch.report import FailedReport

log = logging.getLogger(__name__)

WRITE_CHUNK = 500


@dataclass(frozen=True)
class Proposal:
    need_id: int
    talent_id: int
    score: float
    breakdown: list[dict[str, Any]]


def chosen_pairs(instance: BatchInstance) -> list[tuple[int, int]]:
    """(need id, talent id) of each chosen edge of a solved instance."""
    problem = instance.problem
    chosen = instance.chosen
    needs = instance.need_ids[problem.need_index[chosen]].tolist()
    talents = instance.talent_ids[problem.talent_index[chosen]].tolist()
    return list(zip(needs, talents, strict=True))


def proposals_from(instance: BatchInstance) -> list[Proposal]:
    """One proposal per chosen edge of a solved instance (explained, see
    ``candidates.explain``)."""
    proposals = []
    for pair in chosen_pairs(instance):
        rec = instance.recommendations[pair]
        proposals.append(Proposal(pair[0], pair[1], float(rec.score), _breakdown(rec)))
    return proposals


def write_impressions(session: Session, instance: BatchInstance, counties: dict[int, str]) -> int:
    """One shown list per need: the proposals the run made for it, at the rank each had
    in the need's candidate list and with the scorer that ranked it (same transaction
    as the proposals)."""
    from collections import defaultdict

    from sqlalchemy import insert

    from models import MatchImpression
    from service.impressions import rows_for

    per_need: dict[int, list[Recommendation]] = defaultdict(list)
    for need_id, talent_id in chosen_pairs(instance):
        per_need[need_id].append(instance.recommendations[(need_id, talent_id)])
    rows: list[dict[str, Any]] = []
    for need_id, recs in per_need.items():
        ranked = sorted(recs, key=lambda r: r.rank)
        rows.extend(rows_for(ranked, surface="batch", county_codes=counties.get(need_id)))
    if rows:
        session.execute(insert(MatchImpression), rows)
    return len(rows)


def _breakdown(rec: Recommendation) -> list[dict[str, Any]]:
    return [
        {
            "feature": line.feature,
            "value": float(line.value),
            "contribution": float(line.contribution),
            "zh": line.zh,
            "en": line.en,
        }
        for line in rec.breakdown
    ]


def write_proposals(
    session: Session,
    run_id: int,
    actor: Actor | None,
    proposals: list[Proposal],
    progress: Progress | None,
) -> int:
    """Add the proposals and their events (not committed); how many. Written in bulk,
    a chunk a statement each: thousands of ORM objects would cost a run seconds."""
    from sqlalchemy import insert

    actor_id = actor.id if actor else None
    reason = f"batch run #{run_id}"
    done = 0
    for start in range(0, len(proposals), WRITE_CHUNK):
        chunk = proposals[start : start + WRITE_CHUNK]
        rows = session.execute(
            insert(Match).returning(Match.id, Match.need_id, Match.talent_id),
            [
                {
                    "need_id": p.need_id,
                    "talent_id": p.talent_id,
                    "score": p.score,
                    "breakdown": p.breakdown,
                    "status": MatchStatus.PROPOSED.value,
                    "origin": MatchOrigin.BATCH.value,
                    "run_id": run_id,
                }
                for p in chunk
            ],
        ).all()
        session.execute(
            insert(MatchEvent),
            [
                {
                    "match_id": row.id,
                    "from_status": None,
                    "to_status": MatchStatus.PROPOSED.value,
                    "actor_id": actor_id,
                    "reason": reason,
                }
                for row in rows
            ],
        )
        notify.proposals(session, rows)  # type: ignore[arg-type]
        done += len(rows)
        if progress:
            progress("write", done, len(proposals))
    return done


def mark_failed(session: Session, run_id: int, exc: BaseException, seconds: float) -> None:
    """Mark the run failed with the error, in its own transaction."""
    try:
        jobs.begin_write_phase(session)
        run = session.get_one(MatchRun, run_id)
        run.status = RunStatus.FAILED.value
        run.finished_at = datetime.now(UTC)
        # A plain sentence for the coordinator; the raw error (SQL included) only in the log.
        run.report = FailedReport.from_json(jobs.failure_report(run_id, exc, seconds)).to_json()
        session.commit()
    except Exception:  # the database itself may be why the run failed
        log.exception("could not mark match run %s as failed", run_id)
        session.rollback()
