"""Failed logins, counted by the login throttle in every worker and node that shares the
database. Keys are hashes, never the username or address in clear."""

from __future__ import annotations

from sqlalchemy import Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class LoginFailure(Base):
    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_failed_at", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account:<sha256>" or "client:<sha256>".
    key: Mapped[str] = mapped_column(String(80))
    # Seconds since the epoch: compared with plain arithmetic on every database.
    failed_at: Mapped[float] = mapped_column(Float, index=True)
