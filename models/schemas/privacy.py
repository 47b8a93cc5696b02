"""Schemas of personal-data requests (个人信息保护法)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel


class DeletionRequestCreate(BaseModel):
    reason: str | None = Field(
        None, max_length=1000, description="Why the person asks (optional, free text)."
    )


class DeletionRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    talent_id: int
    status: str = Field(description="pending or completed")
    reason: str | None
    created_at: datetime
    completed_at: datetime | None


class PersonalData(RootModel[dict[str, Any]]):
    """Everything held about the signed-in talent: profile, availability, accounts,
    matches with their events and service records, deletion requests and the audit trail.
    Free-form JSON by design: it mirrors the stored records, so its keys follow the data
    model and may grow between releases."""

    model_config = ConfigDict(json_schema_extra={"x-free-form": True})
