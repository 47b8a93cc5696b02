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
from service.i18n import LOCALES, has_message, translate
from service.usecases import county_targets
from service.usecases.county_targets import CountyTargetItem
from service.usecases.imports.reading import UnreadableTable, read_table
from service.usecases.reference import labels
from service.usecases.tabular import write_csv, write_xlsx

FIXED_COLUMNS = ("key", "target", "unit", "plan_value")
# The same columns in words: the catalogue's progress columns (目标代码 / "Target code"…).
_WORD_KEYS = {
    "key": "progress.col.key",
    "target": "progress.col.target",
    "unit": "progress.col.unit",
    "plan_value": "progress.col.value",
}


def _fixed_header(locale: str) -> list[str]:
    return [translate(_WORD_KEYS[c], locale) for c in FIXED_COLUMNS]


def export(
    *,
    session: Session,
    actor: Actor,
    year: int,
    county: str | None,
    years: Sequence[int],
    fmt: Literal["csv", "xlsx"],
    locale: str = "zh-CN",
    header: Literal["words", "codes"] = "words",
) -> bytes:
    """The grid as a file. ``words`` (for people): headers, targets, units and counties in
    ``locale``, the target code in a column headed as a code (目标代码) so the file imports
    back; ``codes``: the machine keys and county codes only."""
    counties, rows = county_targets.grid(
        session=session, actor=actor, year=year, county=county, years=years
    )
    words = header == "words"
    names = labels()["county"]
    head = (
        [*_fixed_header(locale), *(_pick(names.get(c, (c, c)), locale) for c in counties)]
        if words
        else [*FIXED_COLUMNS, *counties]
    )
    data = [
        [
            r.key,
            county_targets.target_words(r.key, r.text)[locale == "en"] if words else r.text,
            _unit(r.unit, locale) if words else r.unit or "",
            r.plan_value or "",
            *(r.values.get(c, "") for c in counties),
        ]
        for r in rows
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(head, data, buffer)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    out = io.BytesIO()
    title = (
        f"{translate('county_targets.sheet', locale)} {year}" if words else f"county_targets_{year}"
    )
    write_xlsx(head, data, out, sheet_title=title)
    return out.getvalue()


def _pick(pair: tuple[str, str], locale: str) -> str:
    return pair[1] if locale == "en" else pair[0]


def _unit(unit: str | None, locale: str) -> str:
    key = f"unit.{unit}"
    if unit and locale == "en" and has_message(key, "en"):
        return translate(key, "en")
    return unit or ""


def _cell_value(text: str) -> int | str | None:
    """A whole number, None for an empty cell, or the text back when it is neither."""
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else text


def _names() -> tuple[set[str], set[str], dict[str, str]]:
    """The key column's headers, the other fixed columns' headers (in either language or
    as machine keys) and each county header (code, Chinese or English name) → its code;
    all compared case-folded."""
    keys = {"key", *(translate(_WORD_KEYS["key"], loc).casefold() for loc in LOCALES)}
    fixed = {
        *FIXED_COLUMNS,
        *(translate(_WORD_KEYS[c], loc).casefold() for c in FIXED_COLUMNS for loc in LOCALES),
    } - keys
    counties: dict[str, str] = {}
    for code, (zh, en) in labels()["county"].items():
        for name in (code, zh, en):
            counties.setdefault(name.casefold(), code)
    return keys, fixed, counties


def _columns(headers: list[str]) -> tuple[int, list[tuple[int, str]]]:
    """Where the key column is and each county column (index, county code); a header
    that is neither a fixed column nor a county is refused by name."""
    keys, fixed, counties = _names()
    folded = [h.casefold() for h in headers]
    key_at = next((i for i, h in enumerate(folded) if h in keys), None)
    if key_at is None:
        raise AppError(
            422,
            "validation_error",
            "the file has no 'Target code' column (export the grid to get the layout)",
            "文件缺少“目标代码”列（请先导出表格作为模板）",
            [FieldError("file", "a 'key' column", headers)],
        )
    unknown = [
        h
        for h, f in zip(headers, folded, strict=True)
        if h and f not in keys | fixed | counties.keys()
    ]
    if unknown:
        listed = "、".join(f"“{h}”" for h in unknown)
        raise AppError(
            422,
            "validation_error",
            f"these columns are neither a county nor a column of the grid: {', '.join(unknown)}",
            f"这些列既不是县市也不是表格的列：{listed}",
            [FieldError("file", "a county's name", h) for h in unknown],
        )
    return key_at, [(i, counties[f]) for i, f in enumerate(folded) if f in counties]


def parse(data: bytes, filename: str, *, year: int, max_bytes: int) -> list[CountyTargetItem]:
    """The non-empty cells of an uploaded grid; a cell that is no whole number >= 0 is
    refused with its row, target and county (422), as is a file without a target-code
    column or with a column that names no county."""
    try:
        table = read_table(data, filename, max_bytes=max_bytes)
    except UnreadableTable as exc:
        raise AppError(
            422, "validation_error", exc.message, exc.message_zh, [FieldError("file", exc.message)]
        ) from exc
    key_at, county_columns = _columns([h.strip() for h in table.headers])
    items: list[CountyTargetItem] = []
    errors: list[tuple[FieldError, tuple[str, str]]] = []
    for number, cells in table.rows:
        key = cells[key_at].strip() if key_at < len(cells) else ""
        for i, county in county_columns:
            raw = cells[i].strip() if i < len(cells) else ""
            value = _cell_value(raw)
            if value is None:
                continue
            if isinstance(value, str) or value < 0:
                field = FieldError(f"row {number}, column {county}", "a whole number >= 0", raw)
                errors.append((field, _cell_words(number, key, county, raw)))
                continue
            items.append(CountyTargetItem(key, county, year, value))
    if errors:
        raise AppError(
            422,
            "validation_error",
            f"{len(errors)} cells are not whole numbers >= 0, nothing was saved: "
            + "; ".join(en for _, (_, en) in errors),
            f"{len(errors)} 个单元格不是不小于 0 的整数，未保存任何数据："
            + "；".join(zh for _, (zh, _) in errors),
            [f for f, _ in errors],
        )
    return items


def _cell_words(row: int, key: str, county: str, raw: str) -> tuple[str, str]:
    """One refused cell located in words: 第 6 行（选派技术人员）双柏县“-2”."""
    target = county_targets.target_words(key, key)
    zh, en = labels()["county"].get(county, (county, county))
    return (
        f"第 {row} 行（{target[0]}）{zh}“{raw}”",
        f"row {row} ({target[1]}), {en}: “{raw}”",
    )


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
