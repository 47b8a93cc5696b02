"""The people side of the plan (issue 14): recruitments (措施7), 编制 pools and their
movements (措施9), 县管乡用/县管校聘 rotations (措施9), the career facts the 职称 rules
of 措施10 read, and an officer's confirmation or correction of a service period.

Invariants held by the database, not only by code:

- ``staffing_pool.available``, ``reserved`` and ``approved_total`` are never negative and
  ``available + reserved`` never exceeds ``approved_total`` (CHECK constraints). A
  movement changes the pool row by one conditional UPDATE in the same transaction that
  writes the movement, so of N concurrent uses of the last post exactly one succeeds.
- A 人走编收 return names the use it gives back; ``returns_movement_id`` is unique, so a
  post is returned at most once.
- A recruitment's post grade is 专业技术八级 … 十三级 (CHECK 8–13); a rotation ends on or
  after the day it starts (CHECK)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, enum_check
from models.ledger import LedgerStatus


class RecruitmentRoute(StrEnum):
    SHORTAGE = "shortage"  # 按紧缺人才方式招聘（引进）
    SPECIAL_POST = "special_post"  # 特设岗位
    OPEN = "open"  # 公开招聘
    SANZHI_YIFU = "sanzhi_yifu"  # 三支一扶
    SPECIAL_TEACHER = "special_teacher"  # 农村特岗教师
    WEST_PLAN = "west_plan"  # 志愿服务西部计划
    GP_SPECIAL = "gp_special"  # 全科医生特设岗位


# Routes with a 服务期 whose 期满考核 gives priority for the programme's benefits (措施4).
TERM_ROUTES = frozenset(
    {
        RecruitmentRoute.SANZHI_YIFU,
        RecruitmentRoute.SPECIAL_TEACHER,
        RecruitmentRoute.WEST_PLAN,
        RecruitmentRoute.GP_SPECIAL,
    }
)


class PostKind(StrEnum):
    """What the post is, for the 紧缺人才 conditions of 措施7."""

    HIGH_SCHOOL_TEACHER = "high_school_teacher"  # 高中教师
    VOCATIONAL_TEACHER = "vocational_teacher"  # 职业中学教师
    BILINGUAL_TEACHER = "bilingual_teacher"  # 双语教师
    MEDICAL_TECHNICAL = "medical_technical"  # 医疗机构医技岗位
    CULTURE_PERFORMANCE = "culture_performance"  # 舞台表演、编剧、播音、主持
    OTHER = "other"  # 其他专业技术岗位


class TermAssessment(StrEnum):
    PENDING = "pending"  # 未考核
    EXCELLENT = "excellent"  # 优秀
    QUALIFIED = "qualified"  # 合格
    BASIC = "basic"  # 基本合格
    UNQUALIFIED = "unqualified"  # 不合格


PASSING_ASSESSMENTS = frozenset({TermAssessment.EXCELLENT, TermAssessment.QUALIFIED})


class Recruitment(TimestampMixin, Base):
    """One person recruited (招聘/引进) into a post of a public institution."""

    __tablename__ = "recruitment"
    __table_args__ = (
        enum_check("route", RecruitmentRoute),
        enum_check("post_kind", PostKind),
        enum_check("status", LedgerStatus),
        enum_check("term_assessment", TermAssessment),
        CheckConstraint("post_grade BETWEEN 8 AND 13", name="post_grade_range"),
        CheckConstraint("degree_level BETWEEN 0 AND 5", name="degree_range"),
        CheckConstraint("title_level BETWEEN 0 AND 5", name="title_range"),
        CheckConstraint("failed_open_years >= 0", name="failed_years_non_negative"),
        CheckConstraint("ended_on IS NULL OR ended_on >= start_date", name="end_after_start"),
        CheckConstraint(
            "status <> 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"), index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    unit: Mapped[str] = mapped_column(String(120))
    post: Mapped[str] = mapped_column(String(120))
    post_kind: Mapped[str] = mapped_column(String(24), default=PostKind.OTHER)
    route: Mapped[str] = mapped_column(String(24), index=True)
    post_grade: Mapped[int]
    degree_level: Mapped[int] = mapped_column(default=0)
    title_level: Mapped[int] = mapped_column(default=0)
    licences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    high_level: Mapped[bool] = mapped_column(default=False)  # 急需紧缺高层次人才
    matches_unit_series: Mapped[bool] = mapped_column(default=False)  # 符合本单位主要系列职称专业
    failed_open_years: Mapped[int] = mapped_column(default=0)  # 连续未招到人的年数
    fresh_graduate: Mapped[bool] = mapped_column(default=False)  # 大中专毕业生
    start_date: Mapped[date]
    ended_on: Mapped[date | None]  # left the post (人走编收)
    term_assessment: Mapped[str] = mapped_column(String(16), default=TermAssessment.PENDING)
    assessed_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=LedgerStatus.SUBMITTED, index=True)
    return_reason: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class PoolSector(StrEnum):
    TALENT = "talent"  # 引进人才专用事业编制（编制专用、人走编收）
    HIGH_LEVEL = "high_level"  # 州级高层次人才事业编制
    SCHOOL = "school"  # 中小学教职工编制
    HEALTH = "health"  # 卫生事业编制


class StaffingPool(TimestampMixin, Base):
    """A pool of 事业编制: a county's, or the prefecture's (``county_code`` NULL)."""

    __tablename__ = "staffing_pool"
    __table_args__ = (
        enum_check("sector", PoolSector),
        CheckConstraint("approved_total >= 0", name="total_non_negative"),
        CheckConstraint("available >= 0", name="available_non_negative"),
        CheckConstraint("reserved >= 0", name="reserved_non_negative"),
        CheckConstraint("available + reserved <= approved_total", name="within_total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str | None] = mapped_column(ForeignKey("county.code"), index=True)
    sector: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    approved_total: Mapped[int] = mapped_column(default=0)
    available: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class MovementKind(StrEnum):
    APPROVE = "approve"  # 核准：核定编制总量
    USE = "use"  # 使用（中小学：使用报备）
    RETURN = "return"  # 人走编收
    RESERVE = "reserve"  # 预留周转
    RELEASE = "release"  # 周转编制释放回可用
    TRANSFER_OUT = "transfer_out"  # 调出（本县市编制总量内跨行业跨层级调剂）
    TRANSFER_IN = "transfer_in"  # 调入


class StaffingMovement(Base):
    """One movement of a pool, with the pool's figures right after it."""

    __tablename__ = "staffing_movement"
    __table_args__ = (
        enum_check("kind", MovementKind),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("available_after >= 0", name="available_after_non_negative"),
        CheckConstraint("reserved_after >= 0", name="reserved_after_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(
        ForeignKey("staffing_pool.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int]
    on_date: Mapped[date]
    recruitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("recruitment.id", ondelete="SET NULL"), index=True
    )
    returns_movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("staffing_movement.id", ondelete="SET NULL"), unique=True
    )
    counterpart_pool_id: Mapped[int | None] = mapped_column(
        ForeignKey("staffing_pool.id", ondelete="SET NULL")
    )
    available_after: Mapped[int]
    reserved_after: Mapped[int]
    total_after: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class RotationKind(StrEnum):
    TOWNSHIP = "township"  # 县管乡用
    SCHOOL = "school"  # 县管校聘


class Rotation(TimestampMixin, Base):
    """A person employed by a county unit, serving at a township unit or school."""

    __tablename__ = "rotation"
    __table_args__ = (
        enum_check("kind", RotationKind),
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"), index=True)
    employer_unit: Mapped[str] = mapped_column(String(120))  # 县级主管/用人单位
    host_unit: Mapped[str] = mapped_column(String(120))  # 乡镇单位或学校
    host_township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class ProfessionSeries(StrEnum):
    EDUCATION = "education"  # 中小学教师
    HEALTH = "health"  # 卫生
    AGRI_TECH = "agri_tech"  # 农业科技
    OTHER = "other"


class CareerFacts(TimestampMixin, Base):
    """What the 职称 rules read beside service: the person's series, graduation and the
    date their 中级 职称 was obtained."""

    __tablename__ = "career_facts"
    __table_args__ = (enum_check("series", ProfessionSeries),)

    talent_id: Mapped[int] = mapped_column(
        ForeignKey("talent.id", ondelete="CASCADE"), primary_key=True
    )
    series: Mapped[str] = mapped_column(String(16), default=ProfessionSeries.OTHER)
    regular_graduate: Mapped[bool] = mapped_column(default=False)  # 普通高校毕业生
    graduated_on: Mapped[date | None]
    intermediate_since: Mapped[date | None]  # 取得中级职称的日期


class PeriodDecision(StrEnum):
    CONFIRM = "confirm"
    CORRECT = "correct"
    EXCLUDE = "exclude"


class ServicePeriodReview(TimestampMixin, Base):
    """A county officer's confirmation or correction of one period of the ledger; the
    latest review of a source wins. ``source`` is the period's origin (``rotation:3``)."""

    __tablename__ = "service_period_review"
    __table_args__ = (
        enum_check("decision", PeriodDecision),
        CheckConstraint("length(reason) > 0", name="reason_given"),
        CheckConstraint(
            "decision <> 'correct' OR (starts_on IS NOT NULL AND ends_on IS NOT NULL"
            " AND ends_on >= starts_on)",
            name="correction_dates",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
