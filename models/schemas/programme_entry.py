"""Schemas of ledger entries: a county's figure for a target not counted from matches."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class EntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(max_length=80, description="Target key, e.g. `new_farmers.farmers`.")
    county_code: str = Field(max_length=12)
    year: int = Field(description="One of the plan's years (RENCAI_PLAN_YEARS).")
    # Bounds are checked by the use case, so the error names the value sent.
    value: int = Field(description="The figure, a whole number ≥ 0, in the target's unit.")
    note: str = Field("", max_length=2000)


class EntryCorrection(BaseModel):
    """A returned entry corrected, or the corrected figure of a reversing entry."""

    model_config = ConfigDict(extra="forbid")

    value: int
    note: str = Field("", max_length=2000)


class EntryReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000, description="What the coordinator should fix.")


class EvidenceRead(BaseModel):
    filename: str
    media_type: str
    bytes: int
    sha256: str
    url: str


class EntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    target: str
    target_text: str
    unit: str | None
    programme_code: str
    county_code: str
    year: int
    value: int
    note: str
    status: str = Field(description="submitted, approved or returned")
    reverses: int | None = Field(
        description="The entry this one corrects; once approved it counts as value minus "
        "the reversed entry's value."
    )
    entered_by: int | None
    decided_by: int | None
    decided_at: datetime | None
    return_reason: str | None
    evidence: EvidenceRead | None
    created_at: datetime


class EntryPage(BaseModel):
    items: list[EntryRead]
    total: int
    offset: int
    limit: int
