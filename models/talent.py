"""A person who can help, and the windows when they can."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from models.institution import Institution


class Talent(TimestampMixin, Base):
    __tablename__ = "talent"
    __table_args__ = (
        CheckConstraint("title_level BETWEEN 0 AND 5", name="title_range"),
        CheckConstraint("degree_level BETWEEN 0 AND 5", name="degree_range"),
        CheckConstraint("travel_radius_km >= 0", name="radius_non_negative"),
        CheckConstraint("capacity_concurrent >= 0", name="capacity_non_negative"),
        CheckConstraint("capacity_days_per_year BETWEEN 0 AND 366", name="capacity_days_range"),
        CheckConstraint("base_lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("base_lon BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    # Indexed for the why-not box: a name search walks this small index in name order
    # and stops at the tenth hit, instead of reading and sorting the whole table.
    name: Mapped[str] = mapped_column(String(60), index=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    title_level: Mapped[int] = mapped_column(default=0)
    degree_level: Mapped[int] = mapped_column(default=0)
    licences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    skills: Mapped[list[Any]] = mapped_column(JSON, default=list)
    bio: Mapped[str] = mapped_column(Text)
    home_county_code: Mapped[str | None] = mapped_column(ForeignKey("county.code"))
    base_lat: Mapped[float]
    base_lon: Mapped[float]
    travel_radius_km: Mapped[float] = mapped_column(default=100.0)
    modes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    capacity_concurrent: Mapped[int] = mapped_column(default=1)
    capacity_days_per_year: Mapped[int] = mapped_column(default=60)
    # Contact details: shown to the other side only once a match is approved.
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(120))
    id_number: Mapped[str | None] = mapped_column(String(18))
    active: Mapped[bool] = mapped_column(default=True)
    # Available for long placements (挂职、选派、三支一扶…): full-time over their dates.
    long_placement_ok: Mapped[bool] = mapped_column(default=False)

    institution: Mapped[Institution | None] = relationship()
    windows: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="talent",
        cascade="all, delete-orphan",
        order_by="AvailabilityWindow.start_date",
    )


class AvailabilityWindow(Base):
    __tablename__ = "availability_window"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="window_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)

    talent: Mapped[Talent] = relationship(back_populates="windows")
