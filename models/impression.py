"""What the engine showed: one row per candidate of a ranked list (a need's candidates,
a talent's suggestions, a batch run's proposals), with the feature values it had, its
rank and the scorer that ranked it. Joined to the match lifecycle, these rows are the
decisions a learned ranker trains on (``service.usecases.ranker_data``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_check, utcnow


class Surface(StrEnum):
    CANDIDATES = "candidates"  # a need's ranked talents (site staff, coordinators)
    SUGGESTIONS = "suggestions"  # a talent's suggested needs
    BATCH = "batch"  # a batch run's proposals


class MatchImpression(Base):
    __tablename__ = "match_impression"
    __table_args__ = (
        enum_check("surface", Surface),
        CheckConstraint("rank >= 1", name="rank_positive"),
        Index("ix_match_impression_pair", "need_id", "talent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One shown list: every row of one answer shares it.
    list_id: Mapped[int] = mapped_column(BigInteger, index=True)
    surface: Mapped[str] = mapped_column(String(16))
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]
    score: Mapped[float]
    scorer: Mapped[str] = mapped_column(String(40))
    # The breakdown's values in matching.config.FEATURE_NAMES order.
    features: Mapped[list[Any]] = mapped_column(JSON)
    county_code: Mapped[str | None] = mapped_column(String(16))
    shown_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
