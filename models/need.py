"""What a site asks for."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, enum_check
from models.enums import Mode, NeedStatus

if TYPE_CHECKING:
    from models.programme import Programme
    from models.site import Site


class Need(TimestampMixin, Base):
    __tablename__ = "need"
    __table_args__ = (
        enum_check("mode", Mode),
        enum_check("status", NeedStatus),
        CheckConstraint("start_date <= end_date", name="window_order"),
        CheckConstraint("headcount >= 1", name="headcount_positive"),
        CheckConstraint("days_needed >= 1", name="days_positive"),
        CheckConstraint("min_title_level BETWEEN 0 AND 5", name="title_range"),
        CheckConstraint("min_degree_level BETWEEN 0 AND 5", name="degree_range"),
        CheckConstraint("length(description) > 0", name="description_not_empty"),
        # The expiry sweep before every candidate list asks for open needs past their
        # end date: with the date in the index it reads none of the open needs' rows.
        Index("ix_need_status_end_date", "status", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    skills: Mapped[list[Any]] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(16))
    min_title_level: Mapped[int] = mapped_column(default=0)
    min_degree_level: Mapped[int] = mapped_column(default=0)
    licences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    start_date: Mapped[date]
    end_date: Mapped[date]
    headcount: Mapped[int] = mapped_column(default=1)
    days_needed: Mapped[int] = mapped_column(default=1)
    programme_code: Mapped[str | None] = mapped_column(ForeignKey("programme.code"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=NeedStatus.OPEN, index=True)
    # Talent categories (codes of categories.json) the need accepts; [] for any.
    required_categories: Mapped[list[Any]] = mapped_column(JSON, default=list)

    site: Mapped[Site] = relationship(back_populates="needs")
    programme: Mapped[Programme | None] = relationship()
