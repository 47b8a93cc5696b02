"""Accounts. A user acts as one role, tied to a site, a talent profile or a jurisdiction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_check, utcnow
from models.enums import Role


class User(Base):
    # "user" is reserved on PostgreSQL.
    __tablename__ = "app_user"
    __table_args__ = (
        enum_check("role", Role),
        CheckConstraint("role != 'site_staff' OR site_id IS NOT NULL", name="staff_has_site"),
        CheckConstraint("role != 'talent' OR talent_id IS NOT NULL", name="talent_has_profile"),
        CheckConstraint("locale IN ('zh-CN', 'en')", name="locale_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(60))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    talent_id: Mapped[int | None] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"))
    # A coordinator's county; NULL means the whole prefecture.
    jurisdiction: Mapped[str | None] = mapped_column(ForeignKey("county.code"))
    locale: Mapped[str] = mapped_column(String(8), default="zh-CN")
    active: Mapped[bool] = mapped_column(default=True)
    # Carried by every token issued; logout and a password change bump it, so every token
    # issued before stops working at once.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set when an admin resets the password: every page sends the user to the
    # change-password page, and the API refuses all but that, until it is changed.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
