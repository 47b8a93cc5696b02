"""The periodic scan: needs about to expire and service records due. Run by the worker
that holds the lease (so by one process at a time); each finding is announced once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from models import Match, Need, ServiceRecord
from models.db import sqlite_immediate_transactions
from models.enums import MatchStatus, NeedStatus
from models.notification import Notification, NotifyKind
from service.notify import outbox


def run(session: Session, *, expiry_days: int, record_days: int) -> int:
    """Write the notifications found due, in one transaction; how many."""
    session.rollback()
    with sqlite_immediate_transactions():
        session.connection()
    count = _expiring_needs(session, expiry_days) + _records_due(session, record_days)
    session.commit()
    return count


def _expiring_needs(session: Session, days: int) -> int:
    today = outbox.today_local()
    announced = exists().where(
        Notification.need_id == Need.id, Notification.kind == NotifyKind.NEED_EXPIRING.value
    )
    needs = session.scalars(
        select(Need)
        .options(joinedload(Need.site))
        .where(
            Need.status == NeedStatus.OPEN.value,
            Need.end_date >= today,
            Need.end_date <= today + timedelta(days=days),
            ~announced,
        )
        .order_by(Need.id)
    ).all()
    return sum(len(outbox.need_expiring(session, need)) for need in needs)


def _records_due(session: Session, days: int) -> int:
    since = datetime.now(UTC) - timedelta(days=days)
    cutoff = outbox.today_local() - timedelta(days=days)
    last_record = (
        select(func.max(ServiceRecord.date))
        .where(ServiceRecord.match_id == Match.id)
        .scalar_subquery()
    )
    recently_told = exists().where(
        Notification.match_id == Match.id,
        Notification.kind == NotifyKind.RECORD_DUE.value,
        Notification.created_at >= since,
    )
    matches = session.scalars(
        select(Match)
        .options(joinedload(Match.need).joinedload(Need.site), joinedload(Match.talent))
        .where(
            Match.status == MatchStatus.ACTIVE.value,
            Match.updated_at < since,
            (last_record.is_(None)) | (last_record < cutoff),
            ~recently_told,
        )
        .order_by(Match.id)
    ).all()
    return sum(len(outbox.record_due(session, match, days)) for match in matches)
