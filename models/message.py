"""Short messages on a match before a decision (issue 12, item 7): the site, the
talent and the coordinator ask and answer in the product, contacts hidden until the
match is approved. The rows are also the rate limit's memory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_check, utcnow
from models.enums import Role

MAX_MESSAGE_CHARS = 500


class MatchMessage(Base):
    __tablename__ = "match_message"
    __table_args__ = (
        enum_check("sender_role", Role),
        CheckConstraint(f"length(body) BETWEEN 1 AND {MAX_MESSAGE_CHARS}", name="body_length"),
        # The rate limit counts one sender's messages on one match in the last hour.
        Index("ix_match_message_match_sender_at", "match_id", "sender_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    sender_role: Mapped[str] = mapped_column(String(16))
    sender_name: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
