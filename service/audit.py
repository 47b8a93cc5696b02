"""Writes the audit trail: who did what to which record, before → after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from models import AuditEvent
from service.actor import Actor


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dates as ISO text, containers walked."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(getattr(row, name)) for name in fields}


def record(
    *,
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=plain(before) if before else None,
        after=plain(after) if after else None,
    )
    session.add(event)
    return event
