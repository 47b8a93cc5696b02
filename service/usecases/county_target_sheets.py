"""The 任务分解 grid as a spreadsheet: one row per target, one column per county.

Export writes through ``tabular`` (the one place exported cells are written); import
reads through the importer's ``read_table`` and saves every cell or none."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

from sqlalchemy.orm import Session

from service.actor import Actor
from service.errors import AppError, FieldError
from service.usecases import county_targets
from service.usecases.county_targets import CountyTargetItem
from service.usecases.imports.reading import UnreadableTable, read_table
from service.usecases.tabular import write_csv, write_xlsx

FIXED_COLUMNS = ("key", "target", "unit", "plan_value")


def export(
    *,
    session: Session,
    actor: Actor,
    year: int,
    county: str | None,
    years: Sequence[int],
    fmt: Literal["csv", "xlsx"],
) -> bytes:
    counties, rows = county_targets.grid(
        session=session, actor=actor, year=year, county=county, years=years
    )
    header = [*FIXED_COLUMNS, *counties]
    data = [
        [r.key, r.text, r.unit or "", r.plan_value or "", *(r.values.get(c, "") for c in counties)]
        for r in rows
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(header, data, buffer)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    out = io.BytesIO()
    write_xlsx(header, data, out, sheet_title=f"county_targets_{year}")
    return out.getvalue()


def _cell_value(text: str) -> int | str | None:
    """A whole number, None for an empty cell, or the text back when it is neither."""
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else text


def parse(data: bytes, filename: str, *, year: int, max_bytes: int) -> list[CountyTargetItem]:
    """The non-empty cells of an uploaded grid; a cell that is no whole number >= 0 is
    refused with its row and column (422), as is a file without a ``key`` column."""
    try:
        table = read_table(data, filename, max_bytes=max_bytes)
    except UnreadableTable as exc:
        raise AppError(
            422, "validation_error", exc.message, exc.message_zh, [FieldError("file", exc.message)]
        ) from exc
    headers = [h.strip() for h in table.headers]
    if "key" not in headers:
        raise AppError(
            422,
            "validation_error",
            "the file has no 'key' column (export the grid to get the layout)",
            "文件缺少“key”列（请先导出表格作为模板）",
            [FieldError("file", "a 'key' column", headers)],
        )
    key_at = headers.index("key")
    county_columns = [(i, h) for i, h in enumerate(headers) if h and h not in FIXED_COLUMNS]
    items: list[CountyTargetItem] = []
    errors: list[FieldError] = []
    for number, cells in table.rows:
        key = cells[key_at].strip() if key_at < len(cells) else ""
        for i, county in county_columns:
            raw = cells[i].strip() if i < len(cells) else ""
            value = _cell_value(raw)
            if value is None:
                continue
            if isinstance(value, str) or value < 0:
                errors.append(
                    FieldError(f"row {number}, column {county}", "a whole number >= 0", raw)
                )
                continue
            items.append(CountyTargetItem(key, county, year, value))
    if errors:
        raise AppError(
            422,
            "validation_error",
            f"{len(errors)} cells are not whole numbers >= 0; nothing was saved",
            f"{len(errors)} 个单元格不是不小于 0 的整数，未保存任何数据",
            errors,
        )
    return items


def import_(
    *,
    session: Session,
    actor: Actor,
    data: bytes,
    filename: str,
    year: int,
    years: Sequence[int],
    max_bytes: int,
) -> int:
    county_targets.require_setter(actor)
    county_targets.check_year(year, years)
    items = parse(data, filename, year=year, max_bytes=max_bytes)
    return county_targets.set_many(session=session, actor=actor, items=items, years=years)
