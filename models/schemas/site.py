from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from models.schemas.common import PREFECTURE_LAT, PREFECTURE_LON, check_in_box, check_known


class SiteBase(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    site_type: str = Field(min_length=1, max_length=40)
    county_code: str = Field(min_length=1, max_length=12)
    township: str | None = Field(None, max_length=40)
    lat: float
    lon: float
    altitude_m: float | None = Field(None, ge=-500, le=7000)
    poverty_township: bool | None = None
    contact_name: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=32, pattern=r"^[0-9+\-() ]{5,32}$")
    email: str | None = Field(None, max_length=120, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @field_validator("lat")
    @classmethod
    def _lat(cls, value: float) -> float:
        return check_in_box(value, PREFECTURE_LAT, "latitude")

    @field_validator("lon")
    @classmethod
    def _lon(cls, value: float) -> float:
        return check_in_box(value, PREFECTURE_LON, "longitude")

    @field_validator("county_code")
    @classmethod
    def _county(cls, value: str, info: ValidationInfo) -> str:
        return check_known(value, info, "county_codes", "county")

    @field_validator("site_type")
    @classmethod
    def _site_type(cls, value: str, info: ValidationInfo) -> str:
        return check_known(value, info, "site_types", "site type")


class SiteCreate(SiteBase):
    external_id: str | None = Field(None, min_length=1, max_length=64)


class SiteUpdate(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=120)
    site_type: str | None = None
    contact_name: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=32, pattern=r"^[0-9+\-() ]{5,32}$")
    email: str | None = Field(None, max_length=120, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SiteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    name: str
    site_type: str
    county_code: str
    township_id: int | None
    lat: float
    lon: float
    altitude_m: float | None
    poverty_township: bool
    created_at: datetime


class SiteContact(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    contact_name: str | None
    phone: str | None
    email: str | None


class SiteDetail(SiteRead):
    contact: SiteContact | None = None
