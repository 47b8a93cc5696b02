"""The to-do list of the signed-in user: sections of steps waiting for them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class TodoItemRead(BaseModel):
    kind: str
    entity: str
    entity_id: int
    title: str
    detail: str
    url: str
    status: str | None
    since: datetime | None
    age_seconds: int | None
    age: str | None
    due: date | None


class TodoSectionRead(BaseModel):
    kind: str
    label: str
    total: int
    items: list[TodoItemRead]


class TodoRead(BaseModel):
    role: str
    count: int
    generated_at: datetime
    sections: list[TodoSectionRead]
