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
from models.schemas.common import MAX_TEXT, check_known, split_list


def _known_categories(value: list[str], info: ValidationInfo) -> list[str]:
    for category in value:
        check_known(category, info, "talent_categories", "talent category")
    return list(dict.fromkeys(value))


class NeedFields(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=MAX_TEXT)
    skills: list[str] = Field(default_factory=list, max_length=20)
    mode: Mode
    min_title_level: int = Field(0, ge=0, le=5)
    min_degree_level: int = Field(0, ge=0, le=5)
    licences: list[str] = Field(default_factory=list, max_length=10)
    languages: list[str] = Field(default_factory=list, max_length=10)
    start_date: date
    end_date: date
    headcount: int = Field(1, ge=1, le=500)
    days_needed: int = Field(1, ge=1, le=1000)
    programme_code: str | None = Field(None, max_length=64)
    required_categories: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("title", "description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("skills", "licences", "languages", "required_categories", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return split_list(value) if value is not None else []

    @field_validator("required_categories")
    @classmethod
    def _categories(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return _known_categories(value, info)

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for skill in value:
            check_known(skill, info, "skill_codes", "skill")
        return value

    @field_validator("programme_code")
    @classmethod
    def _programme(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_known(value or None, info, "programme_codes", "programme")

    @field_validator("end_date")
    @classmethod
    def _window(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start_date")
        if start is not None and value < start:
            raise ValueError(f"end_date {value} is before start_date {start}")
        return value


class NeedCreate(NeedFields):
    external_id: str | None = Field(None, min_length=1, max_length=64)
    site_id: int | None = Field(None, ge=1, le=2**63 - 1)


class NeedUpdate(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    skills: list[str] | None = None
    mode: Mode | None = None
    min_title_level: int | None = Field(None, ge=0, le=5)
    min_degree_level: int | None = Field(None, ge=0, le=5)
    licences: list[str] | None = None
    languages: list[str] | None = None
    start_date: date | None = None
    end_date: date | None = None
    headcount: int | None = Field(None, ge=1, le=500)
    days_needed: int | None = Field(None, ge=1, le=1000)
    programme_code: str | None = None
    required_categories: list[str] | None = None
    # ``expired`` follows the end date (service.usecases.expiry); it is accepted here
    # only unchanged, so an edit form can send back what it showed.
    status: str | None = Field(None, pattern="^(open|filled|closed|expired)$")


class NeedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    site_id: int
    title: str
    description: str
    skills: list[str]
    mode: str
    min_title_level: int
    min_degree_level: int
    licences: list[str]
    languages: list[str]
    start_date: date
    end_date: date
    headcount: int
    days_needed: int
    programme_code: str | None
    required_categories: list[str] = Field(default_factory=list)
    status: str
    created_at: datetime
