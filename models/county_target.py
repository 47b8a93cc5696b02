"""任务分解: each county's share of a target of the plan, per year, set by the prefecture."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class CountyTarget(Base):
    """``target_key`` is a target's stable key (reference data ``code``); it is no foreign
    key because the ``target`` table holds one row per key and year."""

    __tablename__ = "county_target"
    __table_args__ = (
        UniqueConstraint("target_key", "county_code", "year"),
        CheckConstraint("value >= 0", name="value_non_negative"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_key: Mapped[str] = mapped_column(String(64), index=True)
    county_code: Mapped[str] = mapped_column(
        String(12), ForeignKey("county.code", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    value: Mapped[int]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
