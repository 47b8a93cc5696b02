from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.enums import PairingKind
from models.schemas.common import CHINA_LAT, CHINA_LON, check_in_box, split_list


class InstitutionCreate(BaseModel):
    external_id: str | None = Field(None, min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=120)
    institution_type: str = Field(min_length=1, max_length=40)
    county_code: str | None = Field(None, max_length=12)
    lat: float | None = None
    lon: float | None = None
    specialities: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("lat")
    @classmethod
    def _lat(cls, value: float | None) -> float | None:
        return None if value is None else check_in_box(value, CHINA_LAT, "latitude")

    @field_validator("lon")
    @classmethod
    def _lon(cls, value: float | None) -> float | None:
        return None if value is None else check_in_box(value, CHINA_LON, "longitude")

    @field_validator("specialities", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return split_list(value) if value is not None else []


class InstitutionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    name: str
    institution_type: str
    county_code: str | None
    lat: float | None
    lon: float | None
    specialities: list[str]


class PairingCreate(BaseModel):
    institution_id: int = Field(ge=1, le=2**63 - 1)
    site_id: int | None = Field(None, ge=1, le=2**63 - 1)
    county_code: str | None = Field(None, max_length=12)
    kind: PairingKind
    start_date: date
    end_date: date | None = None


class PairingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    institution_id: int
    site_id: int | None
    county_code: str | None
    kind: str
    start_date: date
    end_date: date | None
