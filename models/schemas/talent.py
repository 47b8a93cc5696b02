from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from models.enums import Mode
from models.schemas.common import (
    CHINA_LAT,
    CHINA_LON,
    MAX_TEXT,
    check_in_box,
    check_known,
    split_list,
)


class WindowIn(BaseModel):
    start_date: date
    end_date: date

    @field_validator("end_date")
    @classmethod
    def _order(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start_date")
        if start is not None and value < start:
            raise ValueError(f"end_date {value} is before start_date {start}")
        return value


class TalentFields(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    category: str = Field(min_length=1, max_length=40)
    title_level: int = Field(0, ge=0, le=5)
    degree_level: int = Field(0, ge=0, le=5)
    licences: list[str] = Field(default_factory=list, max_length=10)
    languages: list[str] = Field(default_factory=list, max_length=10)
    skills: list[str] = Field(default_factory=list, max_length=30)
    bio: str = Field(min_length=1, max_length=MAX_TEXT)
    home_county_code: str | None = Field(None, max_length=12)
    base_lat: float
    base_lon: float
    travel_radius_km: float = Field(100.0, ge=0, le=3000)
    modes: list[Mode] = Field(min_length=1)
    capacity_concurrent: int = Field(1, ge=0, le=20)
    capacity_days_per_year: int = Field(60, ge=0, le=366)
    long_placement_ok: bool = False
    windows: list[WindowIn] = Field(default_factory=list, max_length=20)
    phone: str | None = Field(None, max_length=32, pattern=r"^[0-9+\-() ]{5,32}$")
    email: str | None = Field(None, max_length=120, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    id_number: str | None = Field(None, pattern=r"^[0-9]{17}[0-9Xx]$")

    @field_validator("name", "bio")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("skills", "licences", "languages", "modes", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return split_list(value) if value is not None else []

    @field_validator("base_lat")
    @classmethod
    def _lat(cls, value: float) -> float:
        return check_in_box(value, CHINA_LAT, "latitude")

    @field_validator("base_lon")
    @classmethod
    def _lon(cls, value: float) -> float:
        return check_in_box(value, CHINA_LON, "longitude")

    @field_validator("home_county_code")
    @classmethod
    def _home(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_known(value or None, info, "county_codes", "county")

    @field_validator("category")
    @classmethod
    def _category(cls, value: str, info: ValidationInfo) -> str:
        return check_known(value, info, "talent_categories", "talent category")

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for skill in value:
            check_known(skill, info, "skill_codes", "skill")
        return value


class TalentCreate(TalentFields):
    external_id: str | None = Field(None, min_length=1, max_length=64)
    institution_id: int | None = Field(None, ge=1, le=2**63 - 1)


class TalentUpdate(BaseModel):
    bio: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    skills: list[str] | None = None
    title_level: int | None = Field(None, ge=0, le=5)
    degree_level: int | None = Field(None, ge=0, le=5)
    licences: list[str] | None = None
    languages: list[str] | None = None
    travel_radius_km: float | None = Field(None, ge=0, le=3000)
    modes: list[Mode] | None = None
    capacity_concurrent: int | None = Field(None, ge=0, le=20)
    capacity_days_per_year: int | None = Field(None, ge=0, le=366)
    long_placement_ok: bool | None = None
    windows: list[WindowIn] | None = None
    phone: str | None = Field(None, max_length=32, pattern=r"^[0-9+\-() ]{5,32}$")
    email: str | None = Field(None, max_length=120, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class WindowRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    start_date: date
    end_date: date


class TalentRead(BaseModel):
    """What anyone allowed to see a talent sees; contact fields are in TalentContact."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    name: str
    category: str
    institution_id: int | None
    title_level: int
    degree_level: int
    licences: list[str]
    languages: list[str]
    skills: list[str]
    bio: str
    home_county_code: str | None
    travel_radius_km: float
    modes: list[str]
    capacity_concurrent: int
    capacity_days_per_year: int
    long_placement_ok: bool = False
    windows: list[WindowRead]
    created_at: datetime


class TalentContact(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    phone: str | None
    email: str | None
    id_number: str | None
