"""Reading typed values out of posted forms: a bad value is a 422 naming the field, the
value and what was expected, never a 500 from ``int()`` or the database."""

from __future__ import annotations

from starlette.datastructures import FormData

from service.errors import AppError, FieldError

MAX_ID = 2**63 - 1  # the largest id both databases store


def form_id(form: FormData, name: str) -> int:
    """The record id posted as ``name``."""
    raw = form.get(name)
    value = raw.strip() if isinstance(raw, str) else ""
    if value.isascii() and value.isdigit() and len(value) <= 19 and 1 <= int(value) <= MAX_ID:
        return int(value)
    raise AppError(
        422,
        "validation_error",
        f"{name} must be a record id (a whole number from 1 to {MAX_ID}), got {value[:40]!r}",
        "编号应为正整数",
        [FieldError(name, f"expected a whole number from 1 to {MAX_ID}", value[:40])],
    )
