"""Notifications: a transactional outbox. A lifecycle step writes a ``Notification`` per
recipient (the in-app message) and one ``Delivery`` per outside channel (e-mail, webhook)
in its own transaction; a worker sends the deliveries. ``WorkerLease`` picks the one
worker of a deployment."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_check, utcnow

if TYPE_CHECKING:
    from models.user import User


class NotifyKind(StrEnum):
    PROPOSED = "proposed"
    INTERESTED = "interested"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    REJECTED = "rejected"
    STARTED = "started"
    CANCELLED = "cancelled"
    RECORD_DUE = "record_due"
    NEED_EXPIRING = "need_expiring"
    ENTRY_RETURNED = "entry_returned"
    MESSAGE = "message"  # a new message in a match's thread


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Notification(Base):
    """One message to one user, in both languages; unread while ``read_at`` is NULL."""

    __tablename__ = "notification"
    __table_args__ = (
        enum_check("kind", NotifyKind),
        Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("match.id", ondelete="SET NULL"), index=True
    )
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("need.id", ondelete="SET NULL"), index=True
    )
    # An entry of the ledger (another module); no foreign key so either can ship alone.
    entry_id: Mapped[int | None] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(200), default="/notifications")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="notification", cascade="all, delete-orphan", order_by="Delivery.id"
    )


class Delivery(Base):
    """One notification sent over one channel, once: the unique key forbids a second row,
    the worker marks it sent only after the channel accepted it."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel"),
        enum_check("channel", Channel),
        enum_check("status", DeliveryStatus),
        Index("ix_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    # The address (e-mail) or URL (webhook) chosen when the notification was written.
    target: Mapped[str] = mapped_column(String(500))
    digest: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notification: Mapped[Notification] = relationship(back_populates="deliveries")


class NotificationPreference(Base):
    """A user's choices; a user without a row gets the defaults."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    email_enabled: Mapped[bool] = mapped_column(default=True)
    webhook_enabled: Mapped[bool] = mapped_column(default=True)
    digest: Mapped[bool] = mapped_column(default=False)
    # Quiet hours in the user's zone, [start, end) in whole hours; NULL means none.
    quiet_start: Mapped[int | None]
    quiet_end: Mapped[int | None]
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    # The address to write to; empty uses the linked talent's or site's e-mail.
    email: Mapped[str | None] = mapped_column(String(120))


class WorkerLease(Base):
    """Who holds a deployment-wide job (the notification worker) and until when."""

    __tablename__ = "worker_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]
