"""Schemas of personal-data requests (个人信息保护法)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


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
