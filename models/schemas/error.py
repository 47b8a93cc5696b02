"""The API's one error shape: ``{"error": {"code", "message", "fields": [...]}}``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorField(BaseModel):
    """One wrong field: its dotted name, what was expected, and the value when known."""

    field: str = Field(description="Dotted path of the field, e.g. `start_date` or `body`.")
    message: str = Field(description="What was wrong and what was expected.")
    value: Any = Field(
        None,
        description="The value as sent, when it helps: any JSON type (free-form).",
        json_schema_extra={"x-free-form": True},
    )


class ErrorDetail(BaseModel):
    code: str = Field(
        description="Stable machine code: unauthorized, forbidden, not_found, conflict, "
        "precondition_failed, payload_too_large, validation_error, too_many_requests, "
        "busy, …; see docs/api.md."
    )
    message: str = Field(description="What happened, in English.")
    fields: list[ErrorField] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """Every 4xx and 5xx answer of the API has this body."""

    error: ErrorDetail
