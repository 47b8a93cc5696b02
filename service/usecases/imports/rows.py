"""One row of a file as validation sees it: its cells by column key, the issues found
in it located at their cells, the schema's errors turned into such issues, and the row
ready to write once it is valid."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from service.usecases.columns import Column
from service.usecases.imports.cells import CellError
from service.usecases.imports.reading import column_letter
from service.usecases.imports.report import ImportIssue

T = TypeVar("T")
# The schema context's entry with the allowed values by kind, named in unknown-value
# errors (``Context.schema_context``).
HINTS_KEY = "allowed_hints"

# Which columns a schema field's error belongs to, when it is not the field's own name.
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "county_code": ("county_code", "county"),
    "home_county_code": ("home_county_code", "home_county"),
    "lat": ("lat", "township", "county"),
    "lon": ("lon", "township", "county"),
    "base_lat": ("base_lat", "home_county"),
    "base_lon": ("base_lon", "home_county"),
    "windows": ("windows", "available_from", "available_to"),
    "site_id": ("site_external_id",),
    "institution_id": ("institution",),
}


@dataclass
class PreparedRow:
    """One valid row, ready to write: table attribute values (and windows)."""

    number: int
    external_id: str
    values: dict[str, Any]
    windows: list[tuple[date, date]] | None = None


class RowReader:
    """The cells of one row by column key, plus what to report about them."""

    def __init__(
        self, number: int, cells: list[str], layout: Mapping[int, Column], headers: Sequence[str]
    ) -> None:
        self.number = number
        width = len(cells)
        self.values: dict[str, str] = {
            column.key: cells[index] if index < width else "" for index, column in layout.items()
        }
        # Where each key's cell is; the header text and cell reference are only spelt out
        # for a cell that is reported (most rows of a bulk file report nothing).
        self._columns = {column.key: index for index, column in layout.items()}
        self._headers = headers
        self.present = set(self.values)
        self.errors: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []
        # Columns an error was reported at: the schema's own error on the same column is
        # then left out, so each bad cell is named once (and all of them in one pass).
        self.flagged: set[str] = set()

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def cell(self, key: str) -> tuple[str, str] | None:
        """The header text and cell reference (``D3``) of ``key``'s column, if the file has it."""
        index = self._columns.get(key)
        if index is None:
            return None
        return self._headers[index], f"{column_letter(index)}{self.number}"

    def issue(
        self,
        key: str,
        message: str,
        message_zh: str = "",
        *,
        warning: bool = False,
        candidates: Sequence[str] = (),
    ) -> None:
        keys = [key, *candidates]
        located = next((k for k in keys if k in self._columns and self.get(k)), None)
        located = located or next((k for k in keys if k in self._columns), key)
        header, cell = self.cell(located) or (located, "")
        if not warning:
            self.flagged.update({key, located})
        item = ImportIssue(
            self.number,
            header,
            self.get(located),
            message,
            message_zh,
            cell=cell,
            severity="warning" if warning else "error",
        )
        (self.warnings if warning else self.errors).append(item)

    def guard(self, key: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return fn(*args, **kwargs)
        except CellError as exc:
            self.issue(exc.key or key, exc.message, exc.message_zh)
            return None


_ZH_BY_TYPE = {
    "missing": "必填，不能为空",
    "string_too_long": "内容太长",
    "string_too_short": "内容太短或为空",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "too_long": "项数太多",
    "too_short": "至少填写一项",
    "enum": "不是可选值之一",
    "date_from_datetime_parsing": "日期格式有误，应为 2025-03-01",
    "date_parsing": "日期格式有误，应为 2025-03-01",
    "bool_parsing": "应填“是”或“否”",
}


_UNKNOWN = re.compile(r"^unknown (?P<what>[a-z ]+?) (?P<value>'.*'|\".*\")$")
# What an unknown value is in Chinese, by the schema's English word.
_WHAT_ZH = {
    "county": "县市",
    "site type": "单位类型",
    "talent category": "人才类别",
    "skill": "技能领域",
    "programme": "项目条线",
}


def _unknown_value(message: str, hints: Mapping[str, str]) -> tuple[str, str] | None:
    """“unknown skill 'x'” → messages naming the value and the allowed ones."""
    found = _UNKNOWN.match(message)
    if found is None:
        return None
    what, value = found.group("what"), found.group("value")[1:-1]
    allowed = hints.get(what, "")
    what_zh = _WHAT_ZH.get(what, what)
    en = f"unknown {what} {value!r}" + (f"; expected one of: {allowed}" if allowed else "")
    zh = f"“{value}”不是已登记的{what_zh}" + (f"；可选：{allowed}" if allowed else "")
    return en, zh


def _schema_errors(
    row: RowReader, exc: ValidationError, fallback: str, hints: Mapping[str, str]
) -> None:
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err.get("loc", ())]
        field_name = loc[0] if loc else fallback
        candidates = _FIELD_COLUMNS.get(field_name, ())
        if row.flagged & {field_name, *candidates}:
            continue  # this cell's problem is named already
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            message = "required; the cell is empty"
        zh = _ZH_BY_TYPE.get(str(err.get("type")), "")
        unknown = _unknown_value(message, hints)
        if unknown is not None:
            message, zh = unknown
        if "before start_date" in message:
            zh = "结束日期早于开始日期"
            field_name = "windows" if field_name == "windows" else "end_date"
        row.issue(field_name, message, zh, candidates=candidates)


def gather(row: RowReader, keys: Iterable[str]) -> dict[str, Any]:
    """Non-empty cells by key; an empty cell is left out so the schema's default (or
    its "required") applies."""
    return {key: row.get(key) for key in keys if row.get(key)}


def validate(
    row: RowReader,
    schema: type[BaseModel],
    data: dict[str, Any],
    context: dict[str, Any],
    fallback: str,
) -> Any:
    """The validated schema object, or ``None`` with each of its errors on the row
    (``fallback`` names the column of an error that names no field)."""
    try:
        return schema.model_validate(data, context=context)
    except ValidationError as exc:
        _schema_errors(row, exc, fallback, context.get(HINTS_KEY) or {})
        return None


_PLAIN_TYPES = frozenset({str, int, float, bool, date})


def plain(value: Any) -> Any:
    """A schema value as the table stores it: enums by value, lists element-wise."""
    if value is None or type(value) in _PLAIN_TYPES:  # most values: nothing to do
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [
            v.value if isinstance(v, Enum) else plain(v) if isinstance(v, list) else v
            for v in value
        ]
    return value
