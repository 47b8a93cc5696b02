"""A need's headcount holds under concurrent approvals.

The invariant "approved + active matches of a need ≤ its headcount" is kept by a row
lock on the need and a count under that lock, not by a counter column: a counter would
have to be kept in step by every path that moves a match in or out of a holding status
(approve, start, cancel, complete, imports), while a count under a lock reads the
truth from the match rows themselves.

* PostgreSQL: ``SELECT … FOR UPDATE`` on the need row. A second approval of the same
  need waits for the first to commit; under READ COMMITTED its next statement (the
  count) then sees the first approval, so it is refused.
* SQLite: one writer at a time. The approval's first statement is a write (the
  talent's no-op update in ``matches._lock_talent_of_match``, and the need's here),
  so the transaction holds the database's write lock before it reads anything, and
  the count is never read from a stale snapshot.

Locks are always taken talent first, then need, so two approvals never wait on each
other in a cycle."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models import Match, Need
from models.enums import CAPACITY_HOLDING, MatchStatus, NeedStatus
from service import audit
from service.actor import Actor
from service.errors import AppError, FieldError

_HOLDING = [s.value for s in CAPACITY_HOLDING]
_LOCK_NEED = {
    "postgresql": "SELECT id FROM need "
    "WHERE id = (SELECT need_id FROM match WHERE id = :match_id) FOR UPDATE",
    # SQLite has no row locks: a no-op write takes the database's write lock.
    "sqlite": "UPDATE need SET id = id WHERE id = (SELECT need_id FROM match WHERE id = :match_id)",
}


def lock_need_of_match(session: Session, match_id: int) -> None:
    """Lock the need of ``match_id`` until the transaction ends."""
    dialect = session.get_bind().dialect.name
    sql = _LOCK_NEED["postgresql" if dialect == "postgresql" else "sqlite"]
    session.execute(text(sql), {"match_id": match_id})


def held(session: Session, need_id: int, *, excluding: int | None = None) -> int:
    """Matches that take one of the need's places (approved or active)."""
    stmt = (
        select(func.count())
        .select_from(Match)
        .where(Match.need_id == need_id, Match.status.in_(_HOLDING))
    )
    if excluding is not None:
        stmt = stmt.where(Match.id != excluding)
    return int(session.scalar(stmt) or 0)


def check(session: Session, match: Match) -> None:
    """Refuse approving ``match`` when its need's headcount is already reached. Call it
    after :func:`lock_need_of_match` in the same transaction."""
    need = session.get_one(Need, match.need_id)
    taken = held(session, need.id, excluding=match.id)
    if taken >= need.headcount:
        raise AppError(
            409,
            "headcount_filled",
            f"need #{need.id} has a headcount of {need.headcount} and already has "
            f"{taken} approved or active match(es); cancel one before approving another",
            f"该需求人数为 {need.headcount} 人，已有 {taken} 项对接获批或在岗，"
            "如需更换请先取消其中一项",
            [
                FieldError(
                    "headcount",
                    f"expected fewer than {need.headcount} approved or active matches",
                    taken,
                )
            ],
        )


def follow_status(
    session: Session, match: Match, source: str, target: str, actor: Actor | None
) -> None:
    """A need's status follows the facts (issue 11, item 9): ``filled`` once its
    approved and active matches reach the headcount, ``open`` again when one of them is
    cancelled below it. Each change is audited. Call after the match's new status is
    flushed, in the same transaction."""
    need = session.get_one(Need, match.need_id)
    taken = held(session, need.id)
    if target == MatchStatus.APPROVED and need.status == NeedStatus.OPEN:
        if taken >= need.headcount:
            _set_status(session, need, NeedStatus.FILLED, actor, taken)
    elif (
        target == MatchStatus.CANCELLED
        and source in _HOLDING
        and need.status == NeedStatus.FILLED
        and taken < need.headcount
    ):
        _set_status(session, need, NeedStatus.OPEN, actor, taken)


def _set_status(
    session: Session, need: Need, status: NeedStatus, actor: Actor | None, taken: int
) -> None:
    before = need.status
    need.status = status.value
    audit.record(
        session=session,
        actor=actor,
        action="need.filled" if status is NeedStatus.FILLED else "need.reopened",
        entity="need",
        entity_id=need.id,
        before={"status": before},
        after={"status": status.value, "held": taken, "headcount": need.headcount},
    )
