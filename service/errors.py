"""The error hierarchy use cases raise: an error a person can act on, with the fields
that were wrong. Plain Python, so use cases stay free of the web framework; the web edge
(``service/http_errors.py``) turns these into the one JSON shape or an error page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    field: str
    message: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.value is not None:
            out["value"] = self.value
        return out


@dataclass
class AppError(Exception):
    """An error a person can act on. ``code`` is stable for clients; ``message`` is the
    English text, ``message_zh`` the Chinese one shown on pages."""

    status: int
    code: str
    message: str
    message_zh: str = ""
    fields: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def not_found(entity: str) -> AppError:
    # One message whether the row is missing or belongs to someone else: a 404 never
    # confirms that another person's record exists.
    return AppError(
        404, "not_found", f"{entity} not found", f"未找到该{_ZH_ENTITY.get(entity, '记录')}"
    )


_ZH_ENTITY = {
    "need": "需求",
    "talent": "人才",
    "site": "单位",
    "match": "对接",
    "programme": "项目",
    "user": "用户",
    "institution": "机构",
    "run": "匹配批次",
    "deletion request": "删除申请",
}
