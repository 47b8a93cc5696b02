"""Schemas of notifications, their preferences and failed deliveries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class NotificationRead(BaseModel):
    id: int
    kind: str = Field(
        description="proposed, interested, accepted, approved, rejected, started, "
        "cancelled, record_due, need_expiring or entry_returned"
    )
    title: str = Field(description="In the reader's language.")
    body: str
    link: str = Field(description="The page where the next step is done.")
    match_id: int | None
    need_id: int | None
    entry_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    items: list[NotificationRead]
    total: int
    unread: int
    offset: int
    limit: int


class PreferencesIO(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    email_enabled: bool = True
    webhook_enabled: bool = True
    digest: bool = Field(False, description="One e-mail a day instead of one per event.")
    quiet_start: int | None = Field(None, ge=0, le=23, description="Quiet hours from (local hour).")
    quiet_end: int | None = Field(None, ge=0, le=23, description="Quiet hours until (local hour).")
    timezone: str = Field("Asia/Shanghai", max_length=40)
    email: str | None = Field(None, max_length=120, description="Empty: the address on file.")


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    notification_id: int
    channel: str
    target: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
