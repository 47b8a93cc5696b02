"""Requests a person makes about their own data under 个人信息保护法 (PIPL)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_check, utcnow
from models.enums import DataRequestStatus

if TYPE_CHECKING:
    from models.talent import Talent


class DataDeletionRequest(Base):
    """A talent asks for their personal data to be deleted; an admin completes it by
    anonymising the person, which keeps every count and the audit trail intact."""

    __tablename__ = "data_deletion_request"
    __table_args__ = (
        enum_check("status", DataRequestStatus),
        # One open request per person: a second click cannot queue a second one.
        Index(
            "uq_data_deletion_request_pending",
            "talent_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DataRequestStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    talent: Mapped[Talent] = relationship()
