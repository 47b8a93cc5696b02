"""Schemas of registers (工作站, 星创天地, 经营主体, 引才基地, 实训基地) and trainings."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from models.ledger import LedgerStatus, RegisterKind


class RegisterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: RegisterKind = Field(description="What is registered (see /api/v1/registers/kinds).")
    name: str = Field(min_length=1, max_length=200)
    county_code: str = Field(min_length=1, max_length=12)
    township_id: int | None = Field(None, ge=1, description="A township of the county.")
    founded_on: date = Field(description="Founding date; its year is the year it counts in.")
    lead_unit: str = Field(min_length=1, max_length=80, description="One of the line's lead units.")
    note: str = Field("", max_length=2000)


class ReturnBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=1000, description="Why it goes back.")


class Review(BaseModel):
    """The review fields every register row and training shows."""

    model_config = ConfigDict(from_attributes=True)

    status: LedgerStatus
    status_label: str = ""
    return_reason: str | None
    entered_by: int | None
    decided_by: int | None
    decided_at: datetime | None
    created_at: datetime


class RegisterRead(Review):
    id: int
    kind: RegisterKind
    kind_label: str = ""
    target: str | None = Field(None, description="The target code it counts toward.")
    name: str
    county_code: str
    township_id: int | None
    founded_on: date
    lead_unit: str
    note: str


class RegisterKindRead(BaseModel):
    kind: RegisterKind
    label_zh: str
    label_en: str
    target: str | None
    lead_units: list[str]


class TrainingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, max_length=64, description="The target code it counts for.")
    county_code: str = Field(min_length=1, max_length=12)
    starts_on: date
    ends_on: date
    organiser: str = Field(min_length=1, max_length=120)
    participants: int = Field(ge=0, le=100_000)
    names: list[str] = Field(
        default_factory=list, max_length=5000, description="Participants' names (optional)."
    )
    note: str = Field("", max_length=2000)

    @field_validator("ends_on")
    @classmethod
    def _ends_after_start(cls, value: date, info: ValidationInfo) -> date:
        starts = info.data.get("starts_on")
        if starts is not None and value < starts:
            raise ValueError(f"ends_on {value} is before starts_on {starts}")
        return value

    @field_validator("names")
    @classmethod
    def _names_within_count(cls, value: list[str], info: ValidationInfo) -> list[str]:
        names = [n.strip() for n in value]
        if any(not n or len(n) > 80 for n in names):
            raise ValueError("each name is 1 to 80 characters")
        count = info.data.get("participants")
        if count is not None and len(names) > count:
            raise ValueError(f"{len(names)} names listed but participants is {count}")
        return names


class ConfirmPeopleTrained(BaseModel):
    model_config = ConfigDict(extra="forbid")

    county_code: str = Field(min_length=1, max_length=12)
    year: int = Field(ge=2000, le=2100)
    service_record_ids: list[int] | None = Field(
        None,
        max_length=5000,
        description="Which records to confirm; omitted: every unconfirmed record of the "
        "county and year with people trained.",
    )
    title: str = Field("", max_length=200)


class TrainingRead(Review):
    id: int
    title: str
    target: str = Field(validation_alias="target_key")
    county_code: str
    starts_on: date
    ends_on: date
    organiser: str
    participants: int
    names: list[str] = []
    service_record_ids: list[int] = []
    note: str


class RegisterTotalRead(BaseModel):
    """One target's figure from approved registers and trainings, with the rows behind it."""

    value: int
    register_ids: list[int]
    training_ids: list[int]
