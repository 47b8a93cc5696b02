"""The plan's programmes: the yearly goals of 行动目标 and the ten measures of the
任务分解表, each with its structured targets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_check
from models.enums import ProgrammeKind


class Programme(Base):
    __tablename__ = "programme"
    __table_args__ = (
        enum_check("kind", ProgrammeKind),
        CheckConstraint("number IS NULL OR number BETWEEN 1 AND 10", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[int | None]
    group_title: Mapped[str | None] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    lead_units: Mapped[list[Any]] = mapped_column(JSON, default=list)
    responsible_units: Mapped[list[Any]] = mapped_column(JSON, default=list)
    fields: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sort_order: Mapped[int] = mapped_column(default=0)

    targets: Mapped[list[Target]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="(Target.year, Target.seq)",
    )


class Target(Base):
    """One target of a programme for one year (``year`` is NULL for a target without a
    yearly period)."""

    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint("programme_id", "seq", "year"),
        CheckConstraint("value IS NULL OR value >= 0", name="value_non_negative"),
        CheckConstraint("year IS NULL OR year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    # The target's stable key (reference data ``code``); ``same_as`` names the key a
    # duplicate row states again, ``rolls_up`` the keys an umbrella sums up.
    key: Mapped[str] = mapped_column(String(64), index=True)
    same_as: Mapped[str | None] = mapped_column(String(64))
    rolls_up: Mapped[list[Any]] = mapped_column(JSON, default=list)
    year: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None]
    unit: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16), default="yearly")
    approx: Mapped[bool] = mapped_column(default=False)
    at_least: Mapped[bool] = mapped_column(default=False)
    # Which matches count toward the target (talent categories, modes, minimum days);
    # NULL for targets counted by hand (编制, 研修班).
    counting: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    programme: Mapped[Programme] = relationship(back_populates="targets")
