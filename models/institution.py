"""Institutions (三级医院, 高校, 科研院所, 国企, 民营企业, 社会组织) and their one-to-one
assistance relations with sites or counties (一对一帮扶, 对口帮扶)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, enum_check
from models.enums import PairingKind


class Institution(TimestampMixin, Base):
    __tablename__ = "institution"
    __table_args__ = (
        CheckConstraint("lat IS NULL OR lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon IS NULL OR lon BETWEEN -180 AND 180", name="lon_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    institution_type: Mapped[str] = mapped_column(String(40))
    county_code: Mapped[str | None] = mapped_column(ForeignKey("county.code"))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    specialities: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Pairing(TimestampMixin, Base):
    __tablename__ = "pairing"
    __table_args__ = (
        enum_check("kind", PairingKind),
        CheckConstraint("site_id IS NOT NULL OR county_code IS NOT NULL", name="has_counterpart"),
        CheckConstraint("end_date IS NULL OR start_date <= end_date", name="window_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    county_code: Mapped[str | None] = mapped_column(ForeignKey("county.code"))
    kind: Mapped[str] = mapped_column(String(24))
    start_date: Mapped[date]
    end_date: Mapped[date | None]

    institution: Mapped[Institution] = relationship()
