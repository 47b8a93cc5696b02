"""Messages on a match before a decision, and interest recorded for a talent."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.schemas.common import MAX_ID


class MessageIn(BaseModel):
    body: str = Field(min_length=1, max_length=500)


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    match_id: int
    sender_id: int | None
    sender_role: str
    sender_name: str
    body: str
    at: datetime


class ThreadRead(BaseModel):
    match_id: int
    status: str
    can_post: bool
    messages: list[MessageRead]


class RecordInterestIn(BaseModel):
    need_id: int = Field(ge=1, le=MAX_ID)
    talent_id: int = Field(ge=1, le=MAX_ID)
    channel: Literal["phone", "offline"] = Field(
        description="How the talent said yes: a phone call, or in person (线下确认)."
    )
    note: str | None = Field(None, max_length=500)
