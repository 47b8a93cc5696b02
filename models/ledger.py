"""Registers and trainings: the plan's lines that count things or trained people, not
placements (issue 11, item 5).

Design: **one register table with a ``kind``** rather than one table per kind. Every kind
carries the same facts (name, county, optional township, founded date, lead unit) and
goes through the same review (submitted → approved | returned), and each kind maps to at
most one target of the task table (``REGISTER_KINDS``). One table keeps the review, the
audit and the counting in one place; a new kind is a new enum member and a new line in
the mapping, not a new table.

Trainings are a second table: they count *participants*, not rows, and carry dates, an
organiser and optionally the participants' names. A training may be made from service
records' ``people_trained`` (the "confirm people trained" action); the link table's
primary key on ``service_record_id`` makes "each service record confirmed at most once"
hold in the database, under concurrency, not only in code.

An approved register row counts 1 toward its kind's target for its county and the year
of its founded date; an approved training counts its participants toward its target for
its county and the year of its start date. Submitted and returned rows never count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, enum_check


class RegisterKind(StrEnum):
    WORKSTATION = "workstation"  # 院士专家工作站 / 专家基层科研工作站
    STAR_SPACE = "star_space"  # 星创天地
    AGRI_ENTITY = "agri_entity"  # 新型农业经营主体 / 农业创业企业
    FLEXIBLE_BASE = "flexible_base"  # 柔性引才基地 / “候鸟型”人才工作站
    ELDERCARE_BASE = "eldercare_base"  # 养老服务实训基地


class LedgerStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class KindLine:
    """Where a register kind sits in the plan: the measure whose lead units may lead it,
    and the target code it counts toward (None: registered, no figure to count)."""

    measure: int
    target: str | None


REGISTER_KINDS: dict[RegisterKind, KindLine] = {
    RegisterKind.WORKSTATION: KindLine(1, "measure_1.workstations"),
    RegisterKind.STAR_SPACE: KindLine(2, "measure_2.star_spaces"),
    RegisterKind.AGRI_ENTITY: KindLine(2, "measure_2.agri_entities"),
    RegisterKind.FLEXIBLE_BASE: KindLine(6, "measure_6.flexible_bases"),
    RegisterKind.ELDERCARE_BASE: KindLine(1, None),
}

# Targets a training may count toward, with the measure whose lead units organise it.
TRAINING_TARGETS: dict[str, int] = {
    "measure_5.new_farmers": 5,  # 培养新型职业农民
    "measure_5.rural_professionals": 5,  # 一村一幼师、一村一医生 … 培育农村专业人才
    "measure_10.seminar": 10,  # 高层次人才州情研修班
}
# The target that confirmed service records' people_trained roll into.
PEOPLE_TRAINED_TARGET = "measure_5.new_farmers"


class _Reviewed(TimestampMixin):
    """The review every register row and training goes through."""

    status: Mapped[str] = mapped_column(String(16), default=LedgerStatus.SUBMITTED, index=True)
    return_reason: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]


class RegisterEntry(_Reviewed, Base):
    __tablename__ = "register_entry"
    __table_args__ = (
        enum_check("kind", RegisterKind),
        enum_check("status", LedgerStatus),
        CheckConstraint(
            "status <> 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    name: Mapped[str] = mapped_column(String(200))
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"), index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    founded_on: Mapped[date]
    lead_unit: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    # Demo rows carry an external id so a second demo load inserts nothing.
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class Training(_Reviewed, Base):
    __tablename__ = "training"
    __table_args__ = (
        enum_check("status", LedgerStatus),
        CheckConstraint("participants >= 0", name="participants_non_negative"),
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint(
            "status <> 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    target_key: Mapped[str] = mapped_column(String(64), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    organiser: Mapped[str] = mapped_column(String(120))
    participants: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    people: Mapped[list[TrainingParticipant]] = relationship(
        cascade="all, delete-orphan", order_by="TrainingParticipant.id"
    )
    service_records: Mapped[list[TrainingServiceRecord]] = relationship(
        cascade="all, delete-orphan", order_by="TrainingServiceRecord.service_record_id"
    )


class TrainingParticipant(Base):
    """A named participant of a training (optional: the count is what counts)."""

    __tablename__ = "training_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("training.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))


class TrainingServiceRecord(Base):
    """A service record whose ``people_trained`` a coordinator confirmed into a training.
    The primary key is the service record: it can be confirmed once, ever."""

    __tablename__ = "training_service_record"

    service_record_id: Mapped[int] = mapped_column(
        ForeignKey("service_record.id", ondelete="CASCADE"), primary_key=True
    )
    training_id: Mapped[int] = mapped_column(
        ForeignKey("training.id", ondelete="CASCADE"), index=True
    )
    people_trained: Mapped[int]
