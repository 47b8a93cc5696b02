"""Numbers typed into page forms, checked before they reach a use case: a value that is
not a whole number in the id range is a 422 naming the field, the value and what was
expected, never a ``ValueError`` or a database overflow (a 500)."""

from __future__ import annotations

from starlette.datastructures import FormData

from service.api.params import MAX_ID
from service.errors import AppError, FieldError


def form_id(form: FormData, name: str) -> int:
    """The whole number in field ``name``, between 1 and ``MAX_ID``."""
    raw = form.get(name)
    value = raw.strip() if isinstance(raw, str) else ""
    number = whole_number(value)
    if number is not None:
        return number
    shown = value if len(value) <= 40 else value[:40] + "…"
    expected = f"a whole number from 1 to {MAX_ID}"
    raise AppError(
        422,
        "validation_error",
        f"{name}: {shown!r} is not {expected}",
        f"{name}：“{shown}”不是有效编号，请填写 1 到 {MAX_ID} 之间的整数",
        [FieldError(name, f"expected {expected}", shown)],
    )


def whole_number(value: str) -> int | None:
    """``value`` as an id-sized whole number, or ``None`` if it is not one ("²" is a
    digit to ``str.isdigit`` yet not to ``int``; a 30-digit number overflows the
    database)."""
    value = value.strip()
    # Length first: int() refuses strings over 4,300 digits with a ValueError.
    if value.isascii() and value.isdigit() and len(value) <= 19 and 1 <= int(value) <= MAX_ID:
        return int(value)
    return None
