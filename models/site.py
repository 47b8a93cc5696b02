"""A grassroots unit that posts needs (乡镇卫生院, 品种繁育基地, 野生菌交易市场…)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from models.geo import County, Township
    from models.need import Need


class Site(TimestampMixin, Base):
    __tablename__ = "site"
    __table_args__ = (
        CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable key from the unit's own spreadsheets, so a re-import updates in place.
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    site_type: Mapped[str] = mapped_column(String(40))
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"), index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    lat: Mapped[float]
    lon: Mapped[float]
    altitude_m: Mapped[float | None]
    poverty_township: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(120))

    county: Mapped[County] = relationship()
    township: Mapped[Township | None] = relationship()
    needs: Mapped[list[Need]] = relationship(back_populates="site")
