"""Service records on active and completed matches, and the site's rating."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from models import ServiceRecord
from models.enums import MatchStatus, Role
from service import audit
from service.actor import Actor
from service.errors import AppError
from service.usecases import matches as matches_uc


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


_OPEN_FOR_RECORDS = {MatchStatus.ACTIVE.value, MatchStatus.COMPLETED.value}


def create(*, session: Session, actor: Actor, match_id: int, data: RecordCreate) -> ServiceRecord:
    match = matches_uc.get_or_raise(session=session, actor=actor, match_id=match_id)
    if match.status not in _OPEN_FOR_RECORDS:
        raise AppError(
            409,
            "conflict",
            f"a {match.status} match takes no service records",
            "只有进行中或已完成的对接可以登记服务记录",
        )
    if data.rating is not None and actor.role not in (Role.SITE_STAFF, Role.ADMIN):
        raise AppError(403, "forbidden", "only the site rates the help", "只有需求单位可以评价")
    if actor.role is Role.COORDINATOR and not actor.covers_county(match.need.site.county_code):
        raise AppError(403, "forbidden", "outside your jurisdiction", "超出您的管辖范围")
    record = ServiceRecord(match_id=match.id, created_by=actor.id, **data.model_dump())
    session.add(record)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="record.create",
        entity="match",
        entity_id=match.id,
        after=data.model_dump(mode="json"),
    )
    session.commit()
    return record
