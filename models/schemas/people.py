"""Schemas of recruitments (措施7), 编制 pools and movements (措施9), rotations and the
grassroots-service ledger (措施10)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from models.ledger import LedgerStatus
from models.people import (
    MovementKind,
    PeriodDecision,
    PoolSector,
    PostKind,
    ProfessionSeries,
    RecruitmentRoute,
    RotationKind,
    TermAssessment,
)


class RecruitmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    talent_id: int = Field(ge=1, description="The person recruited (a talent record).")
    county_code: str = Field(min_length=1, max_length=12)
    township_id: int | None = Field(
        None, ge=1, description="The township; empty for a county unit."
    )
    unit: str = Field(min_length=1, max_length=120, description="The recruiting institution.")
    post: str = Field(min_length=1, max_length=120)
    post_kind: PostKind = PostKind.OTHER
    route: RecruitmentRoute
    post_grade: int = Field(ge=8, le=13, description="专业技术八级 (8) … 十三级 (13).")
    degree_level: int = Field(ge=0, le=5, description="学历 level, as in the categories file.")
    title_level: int = Field(0, ge=0, le=5, description="职称 level, as in the categories file.")
    licences: list[str] = Field(default_factory=list, max_length=20)
    high_level: bool = Field(False, description="急需紧缺高层次人才.")
    matches_unit_series: bool = Field(False, description="符合本单位主要系列职称专业.")
    failed_open_years: int = Field(0, ge=0, le=50)
    fresh_graduate: bool = False
    start_date: date
    term_assessment: TermAssessment = TermAssessment.PENDING
    assessed_on: date | None = None
    note: str = Field("", max_length=2000)


class CheckRead(BaseModel):
    code: str
    label: str
    applies: bool
    met: bool
    on: date | None
    reasons: list[str]


class RecruitmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    talent_id: int
    person: str = ""
    county_code: str
    township_id: int | None
    unit: str
    post: str
    post_kind: PostKind
    route: RecruitmentRoute
    route_label: str = ""
    post_grade: int
    grade_label: str = ""
    degree_level: int
    title_level: int
    licences: list[str]
    high_level: bool
    matches_unit_series: bool
    failed_open_years: int
    fresh_graduate: bool
    start_date: date
    ended_on: date | None
    term_assessment: TermAssessment
    assessed_on: date | None
    note: str
    status: LedgerStatus
    status_label: str = ""
    return_reason: str | None
    target: str | None = Field(None, description="The measure 7 target it counts toward.")
    subsidies: list[CheckRead] = Field(default_factory=list)
    conditions: list[CheckRead] = Field(default_factory=list)
    created_at: datetime


class RecruitmentLeave(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended_on: date
    reason: str = Field(min_length=1, max_length=1000)


class PoolCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    county_code: str | None = Field(
        None, max_length=12, description="Empty: the prefecture's pool."
    )
    sector: PoolSector
    name: str = Field(min_length=1, max_length=120)


class PoolRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    county_code: str | None
    sector: PoolSector
    sector_label: str = ""
    name: str
    approved_total: int
    available: int
    reserved: int
    in_use: int = 0


class MovementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: MovementKind
    quantity: int = Field(1, ge=1, le=10_000)
    on_date: date
    recruitment_id: int | None = Field(None, ge=1, description="For a use: whose post it is.")
    returns_movement_id: int | None = Field(
        None, ge=1, description="For a return (人走编收): the use it gives back."
    )
    counterpart_pool_id: int | None = Field(
        None, ge=1, description="For a transfer: the other pool."
    )
    reason: str = Field("", max_length=1000)


class MovementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    pool_id: int
    kind: MovementKind
    kind_label: str = ""
    quantity: int
    on_date: date
    recruitment_id: int | None
    returns_movement_id: int | None
    counterpart_pool_id: int | None
    available_after: int
    reserved_after: int
    total_after: int
    reason: str
    actor_id: int | None


class RotationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    talent_id: int = Field(ge=1)
    kind: RotationKind
    county_code: str = Field(min_length=1, max_length=12)
    employer_unit: str = Field(min_length=1, max_length=120)
    host_unit: str = Field(min_length=1, max_length=120)
    host_township_id: int = Field(ge=1)
    starts_on: date
    ends_on: date
    note: str = Field("", max_length=2000)


class RotationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    talent_id: int
    person: str = ""
    kind: RotationKind
    kind_label: str = ""
    county_code: str
    employer_unit: str
    host_unit: str
    host_township_id: int
    starts_on: date
    ends_on: date
    note: str


class CareerFactsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    series: ProfessionSeries
    regular_graduate: bool = False
    graduated_on: date | None = None
    intermediate_since: date | None = None


class PeriodRead(BaseModel):
    source: str
    source_label: str
    place: str
    poverty_township: bool
    poverty_county: bool
    altitude_m: float | None
    starts_on: date
    ends_on: date
    days: int
    decision: PeriodDecision | None = None
    decision_reason: str | None = None


class PeriodReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(
        min_length=3, max_length=40, description="The period's source, e.g. rotation:3."
    )
    decision: PeriodDecision
    starts_on: date | None = None
    ends_on: date | None = None
    reason: str = Field(min_length=1, max_length=1000)


class ServiceLedgerRead(BaseModel):
    talent_id: int
    person: str
    as_of: date
    series: ProfessionSeries
    title_level: int
    total_days: int
    periods: list[PeriodRead]
    rules: list[CheckRead]
    rotations: list[RotationRead] = Field(default_factory=list)
