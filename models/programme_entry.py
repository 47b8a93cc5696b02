"""Ledger entries for the plan's targets that are not counted from matches (新型职业农民,
工作站, 三区, 研修班, 编制 …): a county's figure for one target and year, entered by a
coordinator and approved or returned by the prefecture.

An approved entry is never edited. A correction is a *reversing entry*: it names the
entry it corrects in ``reverses`` and carries the corrected figure in ``value`` (≥ 0).
Once approved it counts as ``value - reversed.value``, so the reversed entry's figure is
replaced, not added to. A second correction reverses the reversal, and so on; at most
one live (submitted or approved) reversal per entry, held by a unique index."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_check, utcnow


class EntryStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class ProgrammeEntry(Base):
    __tablename__ = "programme_entry"
    __table_args__ = (
        enum_check("status", EntryStatus),
        CheckConstraint("value >= 0", name="value_non_negative"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint("reverses IS NULL OR reverses != id", name="not_self_reversing"),
        CheckConstraint(
            "status != 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"
        ),
        CheckConstraint(
            "status = 'submitted' OR decided_at IS NOT NULL",
            name="decided_has_time",
        ),
        # One live correction per entry: a second reversal of the same entry is refused.
        Index(
            "uq_programme_entry_live_reversal",
            "reverses",
            unique=True,
            sqlite_where=text("reverses IS NOT NULL AND status != 'returned'"),
            postgresql_where=text("reverses IS NOT NULL AND status != 'returned'"),
        ),
        Index("ix_programme_entry_ledger", "status", "year", "county_code", "target_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The target's stable key in reference/data/programmes.json, e.g. new_farmers.farmers.
    target_key: Mapped[str] = mapped_column(String(80))
    programme_code: Mapped[str] = mapped_column(
        ForeignKey("programme.code", ondelete="RESTRICT"), index=True
    )
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code", ondelete="RESTRICT"))
    year: Mapped[int]
    value: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=EntryStatus.SUBMITTED.value)
    reverses: Mapped[int | None] = mapped_column(
        ForeignKey("programme_entry.id", ondelete="RESTRICT")
    )
    entered_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(Text)
    # Evidence: stored once per content under <data_dir>/evidence/<sha[:2]>/<sha[2:]>.
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_filename: Mapped[str | None] = mapped_column(String(255))
    evidence_media_type: Mapped[str | None] = mapped_column(String(100))
    evidence_bytes: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
