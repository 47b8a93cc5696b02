"""The prefecture's county-level divisions and their townships."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


class County(Base):
    __tablename__ = "county"
    __table_args__ = (
        CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint(
            "poverty_county IS NULL OR poverty_county IN ('national', 'provincial')",
            name="poverty_county_valid",
        ),
    )

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    former_name: Mapped[str | None] = mapped_column(String(40))
    lat: Mapped[float]
    lon: Mapped[float]
    altitude_m: Mapped[float | None]
    # 'national' (国家扶贫开发工作重点县) or 'provincial' before 2020; None otherwise.
    # Sources are named in reference/data/divisions.json.
    poverty_county: Mapped[str | None] = mapped_column(String(16))

    @property
    def is_poverty_county(self) -> bool:
        return self.poverty_county is not None

    townships: Mapped[list[Township]] = relationship(
        back_populates="county", order_by="Township.name"
    )


class Township(Base):
    __tablename__ = "township"
    __table_args__ = (
        UniqueConstraint("county_code", "name"),
        CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float]
    lon: Mapped[float]
    altitude_m: Mapped[float | None]
    poverty_township: Mapped[bool] = mapped_column(default=False)

    county: Mapped[County] = relationship(back_populates="townships")
