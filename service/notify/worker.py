"""The delivery worker. One per deployment sends: the holder of the ``notify`` row of
``worker_lease``. It claims due deliveries (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
the single write lock on SQLite) by pushing their next attempt past the lease, sends
each, and marks it sent only after the channel accepted it. A crash between the send
and the mark sends that one again once the claim lapses, with the same delivery id as
its SMTP ``Message-ID``/webhook ``Idempotency-Key``; nothing committed is ever lost."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, sessionmaker

from models.db import sqlite_immediate_transactions
from models.match import process_owner
from models.notification import Channel, Delivery, DeliveryStatus, Notification, WorkerLease
from service.i18n import translate
from service.notify import outbox, scan
from service.notify.channels import Outgoing, Sender, SendError, SmtpSender, WebhookSender

log = logging.getLogger(__name__)

LEASE_NAME = "notify"
CLAIM_BATCH = 50


@dataclass(frozen=True)
class WorkerOptions:
    poll_seconds: float = 1.0
    lease_seconds: float = 30.0
    max_attempts: int = 3
    retry_seconds: float = 60.0
    scan_seconds: float = 3600.0
    expiry_days: int = 7
    record_days: int = 30

    @classmethod
    def from_settings(cls, settings: Any) -> WorkerOptions:
        return cls(
            poll_seconds=settings.notify_poll_seconds,
            lease_seconds=settings.notify_lease_seconds,
            max_attempts=settings.notify_max_attempts,
            retry_seconds=settings.notify_retry_seconds,
            scan_seconds=settings.notify_scan_seconds,
            expiry_days=settings.notify_expiry_days,
            record_days=settings.notify_record_days,
        )


def senders_from(settings: Any) -> dict[str, Sender]:
    out: dict[str, Sender] = {Channel.WEBHOOK.value: WebhookSender()}
    if settings.smtp_host:
        out[Channel.EMAIL.value] = SmtpSender(settings)
    return out


def _now() -> datetime:
    return datetime.now(UTC)


def _begin_write(session: Session) -> None:
    """Start a transaction holding SQLite's write lock from its first statement."""
    session.rollback()
    with sqlite_immediate_transactions():
        session.connection()


# ------------------------------------------------------------------ the lease
def acquire_lease(session: Session, owner: str, seconds: float, name: str = LEASE_NAME) -> bool:
    """Take or renew the lease; False while another live owner holds it. Reads first
    and writes only to take the lease or when half of it has run out, so an idle worker
    hardly ever holds SQLite's write lock."""
    session.rollback()
    now = _now()
    held = session.get(WorkerLease, name)
    if held is not None:
        if held.owner == owner and held.expires_at - now > timedelta(seconds=seconds / 2):
            session.rollback()
            return True
        if held.owner != owner and held.expires_at >= now:
            session.rollback()
            return False
    _begin_write(session)
    now = _now()
    result = session.execute(
        update(WorkerLease)
        .where(
            WorkerLease.name == name,
            or_(WorkerLease.owner == owner, WorkerLease.expires_at < now),
        )
        .values(owner=owner, expires_at=now + timedelta(seconds=seconds))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        session.commit()
        return True
    if session.get(WorkerLease, name) is not None:
        session.rollback()
        return False
    session.add(WorkerLease(name=name, owner=owner, expires_at=now + timedelta(seconds=seconds)))
    try:
        session.commit()
    except IntegrityError:  # another worker inserted it first
        session.rollback()
        return False
    return True


def release_lease(session: Session, owner: str, name: str = LEASE_NAME) -> None:
    _begin_write(session)
    session.execute(
        update(WorkerLease)
        .where(WorkerLease.name == name, WorkerLease.owner == owner)
        .values(expires_at=_now() - timedelta(seconds=1))
        .execution_options(synchronize_session=False)
    )
    session.commit()


# ------------------------------------------------------------------ claiming and marking
def claim(session: Session, lease_seconds: float, limit: int = CLAIM_BATCH) -> list[int]:
    """Ids of due pending deliveries, claimed for ``lease_seconds`` (committed). A plain
    read first: with nothing due no write lock is taken."""
    session.rollback()
    due = (
        select(Delivery.id)
        .where(Delivery.status == DeliveryStatus.PENDING.value, Delivery.next_attempt_at <= _now())
        .limit(1)
    )
    if session.scalars(due).first() is None:
        session.rollback()
        return []
    _begin_write(session)
    now = _now()
    ids = list(
        session.scalars(
            select(Delivery.id)
            .where(Delivery.status == DeliveryStatus.PENDING.value, Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(next_attempt_at=now + timedelta(seconds=lease_seconds))
            .execution_options(synchronize_session=False)
        )
    session.commit()
    return ids


def mark_sent(session: Session, ids: list[int]) -> None:
    _begin_write(session)
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids), Delivery.status == DeliveryStatus.PENDING.value)
        .values(status=DeliveryStatus.SENT.value, sent_at=_now(), attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def mark_failed_attempt(
    session: Session, ids: list[int], error: str, options: WorkerOptions
) -> None:
    """Count a failed attempt: retry later with exponential backoff, or, after the last
    attempt, mark the delivery failed (shown to admins)."""
    _begin_write(session)
    now = _now()
    for delivery in session.scalars(select(Delivery).where(Delivery.id.in_(ids))):
        if delivery.status != DeliveryStatus.PENDING.value:
            continue
        delivery.attempts += 1
        delivery.last_error = error[:2000]
        if delivery.attempts >= options.max_attempts:
            delivery.status = DeliveryStatus.FAILED.value
        else:
            pause = options.retry_seconds * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = now + timedelta(seconds=pause)
    session.commit()


# ------------------------------------------------------------------ composing
def compose(deliveries: list[Delivery]) -> Outgoing:
    """One message for one delivery, or a digest of several for one user; its key is the
    first delivery's id."""
    first = deliveries[0]
    notes = [d.notification for d in deliveries]
    locale = "en" if first.notification.user.locale == "en" else "zh-CN"
    english = locale == "en"

    def text_of(n: Notification) -> str:
        return f"{n.title_en if english else n.title_zh}\n{n.body_en if english else n.body_zh}"

    if len(notes) == 1:
        note = notes[0]
        subject = note.title_en if english else note.title_zh
        text = f"{note.body_en if english else note.body_zh}\n\n{note.link}"
    else:
        subject = translate("notify.digest.title", locale).format(count=len(notes))
        text = "\n\n".join(f"{text_of(n)}\n{n.link}" for n in notes)
    return Outgoing(
        key=f"rencai-delivery-{first.id}", target=first.target, subject=subject, text=text
    )


def _groups(deliveries: list[Delivery]) -> list[list[Delivery]]:
    """Each delivery alone, except digests: one group per user, channel and address."""
    groups: dict[tuple[Any, ...], list[Delivery]] = {}
    for d in deliveries:
        key: tuple[Any, ...] = (
            ("digest", d.notification.user_id, d.channel, d.target) if d.digest else ("one", d.id)
        )
        groups.setdefault(key, []).append(d)
    return list(groups.values())


# ------------------------------------------------------------------ the worker
class Worker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        options: WorkerOptions,
        senders: dict[str, Sender],
        *,
        owner: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.options = options
        self.senders = senders
        self.owner = owner or f"{process_owner()}:{threading.get_ident()}"[:120]
        self.clock = clock
        self._last_scan: float | None = None
        self.stop_event = threading.Event()

    @classmethod
    def from_settings(cls, sessions: sessionmaker[Session], settings: Any) -> Worker:
        outbox.configure(settings)
        return cls(sessions, WorkerOptions.from_settings(settings), senders_from(settings))

    def run_once(self) -> int:
        """One round if this worker holds the lease: the periodic scan when due, then
        every due delivery. Returns how many deliveries were sent."""
        with self.sessions() as session:
            if not acquire_lease(session, self.owner, self.options.lease_seconds):
                return 0
            self._scan_if_due(session)
        sent = 0
        while not self.stop_event.is_set():
            with self.sessions() as session:
                ids = claim(session, self.options.lease_seconds)
                if not ids:
                    break
                sent += self._send(session, ids)
                acquire_lease(session, self.owner, self.options.lease_seconds)
        return sent

    def _scan_if_due(self, session: Session) -> None:
        now = self.clock()
        if self._last_scan is not None and now - self._last_scan < self.options.scan_seconds:
            return
        self._last_scan = now
        scan.run(
            session, expiry_days=self.options.expiry_days, record_days=self.options.record_days
        )

    def _send(self, session: Session, ids: list[int]) -> int:
        deliveries = list(
            session.scalars(
                select(Delivery)
                .options(joinedload(Delivery.notification).joinedload(Notification.user))
                .where(Delivery.id.in_(ids))
                .order_by(Delivery.id)
            ).unique()
        )
        session.rollback()  # nothing is held while sending
        sent = 0
        for group in _groups(deliveries):
            group_ids = [d.id for d in group]
            sender = self.senders.get(group[0].channel)
            try:
                if sender is None:
                    raise SendError(f"the {group[0].channel} channel is not configured")
                sender.send(compose(group))
            except Exception as exc:  # any failure is one failed attempt, recorded
                log.warning("delivery %s failed: %s", group_ids, exc)
                mark_failed_attempt(
                    session, group_ids, str(exc) or type(exc).__name__, self.options
                )
                continue
            mark_sent(session, group_ids)
            sent += len(group_ids)
        return sent

    def run(self) -> None:
        """Loop until ``stop()``: a round, then wait for a commit that wrote
        notifications or the poll interval."""
        try:
            while not self.stop_event.is_set():
                try:
                    self.run_once()
                except Exception:  # the database may be down; try again next round
                    log.exception("notification worker round failed")
                outbox.wakeup.wait(self.options.poll_seconds)
                outbox.wakeup.clear()
        finally:
            try:
                with self.sessions() as session:
                    release_lease(session, self.owner)
            except Exception:
                log.exception("could not release the notification worker lease")

    def stop(self) -> None:
        self.stop_event.set()
        outbox.wakeup.set()


def start_thread(worker: Worker) -> threading.Thread:
    thread = threading.Thread(target=worker.run, name="notify-worker", daemon=True)
    thread.start()
    return thread
