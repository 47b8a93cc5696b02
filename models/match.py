"""Matches (one need × one talent), their lifecycle history, batch runs and service
records."""

from __future__ import annotations

import os
import socket
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, enum_check, utcnow
from models.enums import MatchOrigin, MatchStatus, RunStatus

if TYPE_CHECKING:
    from models.geo import County
    from models.need import Need
    from models.talent import Talent


def process_owner() -> str:
    """``host:pid`` of this process: who holds a running run's lease."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


class MatchRun(Base):
    """One batch matching run over a jurisdiction. While ``running``, the process that
    owns it (``owner``) refreshes ``heartbeat_at``; a run whose heartbeat is older than
    the lease is abandoned (see ``service.jobs``)."""

    __tablename__ = "match_run"
    __table_args__ = (
        enum_check("status", RunStatus),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str | None] = mapped_column(ForeignKey("county.code"))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.RUNNING)
    dry_run: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    owner: Mapped[str | None] = mapped_column(String(120), default=process_owner)
    # A background job (migration 0013): what it is doing and how far it is, whether
    # someone asked it to stop, and, for a confirmation, the preview it writes.
    candidates_per_need: Mapped[int] = mapped_column(default=30)
    progress_phase: Mapped[str | None] = mapped_column(String(16))
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    percent: Mapped[int] = mapped_column(default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    preview_of: Mapped[int | None] = mapped_column(
        ForeignKey("match_run.id", ondelete="SET NULL"), index=True
    )

    county: Mapped[County | None] = relationship(lazy="joined")


class RunProposal(Base):
    """One placement a preview (a dry run) proposes, kept so that its confirmation
    writes exactly these, and the state of the need's and the talent's matches when it
    was computed (``need_state``/``talent_state``, digests), so a confirmation can tell
    whether the world changed in between."""

    __tablename__ = "run_proposal"
    __table_args__ = (UniqueConstraint("run_id", "need_id", "talent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(default=0.0)
    breakdown: Mapped[list[Any]] = mapped_column(JSON, default=list)
    need_state: Mapped[str] = mapped_column(String(64), default="")
    talent_state: Mapped[str] = mapped_column(String(64), default="")


class Match(TimestampMixin, Base):
    __tablename__ = "match"
    __table_args__ = (
        UniqueConstraint("need_id", "talent_id"),
        enum_check("status", MatchStatus),
        enum_check("origin", MatchOrigin),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(default=0.0)
    breakdown: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=MatchStatus.PROPOSED, index=True)
    origin: Mapped[str] = mapped_column(String(16), default=MatchOrigin.BATCH)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("match_run.id", ondelete="SET NULL"))
    # Optimistic locking: a concurrent second decision on the same version loses.
    version: Mapped[int] = mapped_column(default=1)

    need: Mapped[Need] = relationship()
    talent: Mapped[Talent] = relationship()
    events: Mapped[list[MatchEvent]] = relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="MatchEvent.id"
    )
    records: Mapped[list[ServiceRecord]] = relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="ServiceRecord.date"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class MatchEvent(Base):
    """One lifecycle transition: who, when, from → to, and why."""

    __tablename__ = "match_event"
    __table_args__ = (
        enum_check("to_status", MatchStatus),
        enum_check("from_status", MatchStatus, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # A coordinator who records a talent's interest (phone call, 线下确认) acts on her
    # behalf: "recorded by actor for this talent".
    on_behalf_of_talent_id: Mapped[int | None] = mapped_column(
        ForeignKey("talent.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship(back_populates="events")


class ServiceRecord(Base):
    __tablename__ = "service_record"
    __table_args__ = (
        CheckConstraint("hours >= 0 AND hours <= 24", name="hours_range"),
        CheckConstraint("visits >= 0", name="visits_non_negative"),
        CheckConstraint("people_trained >= 0", name="trained_non_negative"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), index=True)
    date: Mapped[date]
    hours: Mapped[float] = mapped_column(default=0.0)
    visits: Mapped[int] = mapped_column(default=0)
    people_trained: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship(back_populates="records")
