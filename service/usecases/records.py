"""Service records on active and completed matches, and the site's rating."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import ServiceRecord
from models.enums import MatchStatus
from models.schemas.match import RecordCreate
from service import audit, policy
from service.actor import Actor
from service.errors import AppError
from service.usecases import matches as matches_uc

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
    if data.rating is not None and not policy.can_rate_help(actor):
        raise AppError(403, "forbidden", "only the site rates the help", "只有需求单位可以评价")
    if not policy.can_record_service(actor, match):
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
