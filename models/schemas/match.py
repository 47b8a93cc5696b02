"""Matches: proposals, decisions and the match as each party reads it, with its
lifecycle events; and the service records kept on a match."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.schemas.candidate import BreakdownLine
from models.schemas.common import MAX_ID
from models.schemas.site import SiteContact


class EventRead(BaseModel):
    from_status: str | None
    to_status: str
    actor_id: int | None
    reason: str | None
    at: datetime
    # Set when a coordinator recorded this step for the talent (phone, 线下确认).
    on_behalf_of_talent_id: int | None = None


class TalentContact(BaseModel):
    """How to reach the talent: shown to the site once the match is approved."""

    phone: str | None
    email: str | None


class MatchRead(BaseModel):
    id: int
    need_id: int
    need_title: str
    site_id: int
    site_name: str
    county_code: str
    talent_id: int
    talent_name: str
    score: float
    breakdown: list[BreakdownLine]
    status: str
    origin: str
    run_id: int | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Optimistic-locking version; also sent as the ETag.")
    actions: list[str] = Field(description="The actions the reader may take now.")
    site_contact: SiteContact | None = Field(
        None, description="How to reach the site; shown once the match is approved."
    )
    talent_contact: TalentContact | None = Field(
        None, description="How to reach the talent; shown once the match is approved."
    )
    events: list[EventRead] | None = None


class ProposeIn(BaseModel):
    need_id: int = Field(ge=1, le=MAX_ID)
    talent_id: int = Field(ge=1, le=MAX_ID)
    note: str | None = Field(None, max_length=500)


class DecisionIn(BaseModel):
    reason: str | None = Field(None, max_length=1000)
    version: int | None = Field(
        None,
        ge=1,
        description="The version you decided on; a different current version answers 409.",
    )


class DeclineSuggestionIn(BaseModel):
    need_id: int = Field(ge=1, le=MAX_ID)
    reason: str = Field(min_length=1, max_length=1000)


class RecordCreate(BaseModel):
    date: date
    hours: float = Field(0, ge=0, le=24)
    visits: int = Field(0, ge=0, le=1000)
    people_trained: int = Field(0, ge=0, le=100000)
    outcome: str = Field("", max_length=2000)
    rating: int | None = Field(None, ge=1, le=5)

    @field_validator("outcome")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class RecordRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    match_id: int
    date: date
    hours: float
    visits: int
    people_trained: int
    outcome: str
    rating: int | None
