"""A user's notifications (the in-app channel), their preferences, and the admin's view
of deliveries that failed. Framework-free; each writing use case commits once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from models.notification import Delivery, DeliveryStatus, Notification, NotificationPreference
from models.schemas.page import Page
from service import policy
from service.actor import Actor
from service.errors import AppError, FieldError, not_found


def list_(
    *, session: Session, actor: Actor, unread: bool = False, offset: int = 0, limit: int = 50
) -> Page[Notification]:
    stmt = select(Notification).where(Notification.user_id == actor.id)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(
        session.scalars(
            stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    return Page(items=rows, total=total, offset=offset, limit=limit)


def unread_count(*, session: Session, actor: Actor) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(*, session: Session, actor: Actor, notification_id: int) -> Notification:
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != actor.id:
        raise not_found("notification")
    if note.read_at is None:
        note.read_at = datetime.now(UTC)
        session.commit()
    return note


def mark_all_read(*, session: Session, actor: Actor) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ preferences
@dataclass(frozen=True)
class Preferences:
    email_enabled: bool = True
    webhook_enabled: bool = True
    digest: bool = False
    quiet_start: int | None = None
    quiet_end: int | None = None
    timezone: str = "Asia/Shanghai"
    email: str | None = None


def get_preferences(*, session: Session, actor: Actor) -> Preferences:
    row = session.get(NotificationPreference, actor.id)
    if row is None:
        return Preferences()
    return Preferences(
        email_enabled=row.email_enabled,
        webhook_enabled=row.webhook_enabled,
        digest=row.digest,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        timezone=row.timezone,
        email=row.email,
    )


def _check(prefs: Preferences) -> None:
    errors = []
    for name in ("quiet_start", "quiet_end"):
        value = getattr(prefs, name)
        if value is not None and not 0 <= value <= 23:
            errors.append(FieldError(name, "expected a whole hour from 0 to 23", value))
    if (prefs.quiet_start is None) != (prefs.quiet_end is None):
        errors.append(
            FieldError(
                "quiet_end", "give both ends of the quiet hours, or neither", prefs.quiet_end
            )
        )
    if prefs.timezone not in available_timezones():
        errors.append(
            FieldError("timezone", "expected an IANA zone such as Asia/Shanghai", prefs.timezone)
        )
    if prefs.email and ("@" not in prefs.email or len(prefs.email) > 120):
        errors.append(
            FieldError("email", "expected an e-mail address (up to 120 characters)", prefs.email)
        )
    if errors:
        raise AppError(
            422,
            "validation_error",
            "; ".join(f"{e.field}: {e.message}" for e in errors),
            "通知设置有误",
            errors,
        )


def update_preferences(*, session: Session, actor: Actor, prefs: Preferences) -> Preferences:
    prefs = Preferences(**{**prefs.__dict__, "email": (prefs.email or "").strip() or None})
    _check(prefs)
    ZoneInfo(prefs.timezone)
    row = session.get(NotificationPreference, actor.id)
    if row is None:
        row = NotificationPreference(user_id=actor.id)
        session.add(row)
    for name, value in prefs.__dict__.items():
        setattr(row, name, value)
    session.commit()
    return prefs


# ------------------------------------------------------------------ admin: failed deliveries
def failed_deliveries(
    *, session: Session, actor: Actor, offset: int = 0, limit: int = 100
) -> Page[Delivery]:
    policy.require_admin(actor)
    stmt = select(Delivery).where(Delivery.status == DeliveryStatus.FAILED.value)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(
        session.scalars(
            stmt.options(joinedload(Delivery.notification).joinedload(Notification.user))
            .order_by(Delivery.id.desc())
            .offset(offset)
            .limit(limit)
        ).unique()
    )
    return Page(items=rows, total=total, offset=offset, limit=limit)


def retry(*, session: Session, actor: Actor, delivery_id: int) -> Delivery:
    """Put a failed delivery back in the queue with a fresh set of attempts."""
    policy.require_admin(actor)
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise not_found("delivery")
    if delivery.status != DeliveryStatus.FAILED.value:
        raise AppError(
            409,
            "conflict",
            f"delivery {delivery_id} is {delivery.status}; only a failed one is retried",
            "只有发送失败的通知可以重新发送",
        )
    delivery.status = DeliveryStatus.PENDING.value
    delivery.attempts = 0
    delivery.next_attempt_at = datetime.now(UTC)
    session.commit()
    return delivery


def as_dict(note: Notification, locale: str) -> dict[str, Any]:
    english = locale == "en"
    return {
        "id": note.id,
        "kind": note.kind,
        "title": note.title_en if english else note.title_zh,
        "body": note.body_en if english else note.body_zh,
        "link": note.link,
        "match_id": note.match_id,
        "need_id": note.need_id,
        "entry_id": note.entry_id,
        "created_at": note.created_at,
        "read_at": note.read_at,
    }
