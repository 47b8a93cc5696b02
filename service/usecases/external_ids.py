"""An external id (the key from a unit's own spreadsheets) names one record per table; a
second record claiming it is a conflict the caller can fix, not a unique-index error."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import AppError, FieldError

_ZH = {"site": "单位", "need": "需求", "institution": "机构"}


def ensure_free(session: Session, model: Any, external_id: str | None, entity: str) -> None:
    """Raise 409 naming ``external_id`` when another ``entity`` already carries it."""
    if not external_id:
        return
    taken = select(model.id).where(model.external_id == external_id)
    if session.scalar(taken) is not None:
        raise AppError(
            409,
            "conflict",
            f"external_id {external_id!r} is taken by another {entity}",
            f"外部编号 {external_id} 已被其他{_ZH.get(entity, entity)}使用",
            [FieldError("external_id", "taken", external_id)],
        )
