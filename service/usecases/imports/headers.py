"""Reading a file's header row against the column schema: which column each header
names, and whether the file can be read at all (a required column missing, a column
twice, data under no header, one column where a delimiter was missed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from service.usecases.columns import COLUMNS, Column, Kind
from service.usecases.imports.cells import norm
from service.usecases.imports.reading import Table, column_letter
from service.usecases.imports.report import ImportIssue, ImportResult

# A column may be replaced by another one that gives the same thing.
_ALTERNATIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "sites": {"county_code": ("county",)},
    "needs": {},
    "talents": {},
}

_SPLIT_HEADER = re.compile(r"^(.*?)[(（]([^()（）]*)[)）]$")


def column_english(column: Column) -> str:
    """A column named in English words for a sentence (``site_type`` → "site type")."""
    return column.key.replace("_", " ")


def column_words(text: str, kind: str, locale: str) -> str:
    """The column an import issue names, in the reader's words: a known column by its
    Chinese label or its English words, anything else (a file's own header) as written."""
    columns = COLUMNS.get(cast(Kind, kind))
    column = match_header(text, columns) if columns else None
    if column is None:
        return text
    return column_english(column) if locale == "en" else column.zh


def _header_key(text: str) -> str:
    return norm(text).replace("*", "")


def _column_index(columns: Sequence[Column]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        names = (column.key, column.zh, column.header, column.en, column.header_in("en"))
        for name in (*names, *column.aliases):
            if not name:
                continue
            index.setdefault(_header_key(name), column)
    return index


def match_header(text: str, columns: Sequence[Column]) -> Column | None:
    """``编号``, ``Number``, ``external_id``, ``编号(external_id)``, ``Number(external_id)``
    and ``编号（external_id）`` all name the same column (an export in either language
    imports back); a trailing ``*`` (a required-column marker) is ignored."""
    index = _column_index(columns)
    key = _header_key(text)
    if not key:
        return None
    if key in index:
        return index[key]
    found = _SPLIT_HEADER.match(key)
    if found:
        for part in (found.group(2), found.group(1)):
            if part and part in index:
                return index[part]
    return None


def map_headers(
    kind: Kind, table: Table, result: ImportResult, *, allow_unknown_columns: bool
) -> dict[int, Column] | None:
    """Column index → Column. Returns ``None`` when a required column is missing or a
    column appears twice (then no row can be read reliably)."""
    columns = COLUMNS[kind]
    layout: dict[int, Column] = {}
    seen: dict[str, int] = {}
    fatal = False
    for index, header in enumerate(table.headers):
        if not header:
            _check_blank_header(table, index, result)
            continue
        column = match_header(header, columns)
        if column is None:
            _unknown_column(header, index, columns, result, allow=allow_unknown_columns)
            continue
        if column.key in seen:
            _duplicate_column(header, index, column, table.headers[seen[column.key]], result)
            fatal = True
            continue
        seen[column.key] = index
        layout[index] = column
    fatal = _missing_columns(kind, seen, result) or fatal
    fatal = _one_column(table, layout, result) or fatal
    return None if fatal else layout


def _check_blank_header(table: Table, index: int, result: ImportResult) -> None:
    if any(index < len(cells) and cells[index] for _, cells in table.rows):
        result.errors.append(
            ImportIssue(
                1,
                f"(column {column_letter(index)})",
                "",
                "this column has data but no header",
                "该列有数据但没有表头",
                cell=f"{column_letter(index)}1",
            )
        )


def _unknown_column(
    header: str, index: int, columns: Sequence[Column], result: ImportResult, *, allow: bool
) -> None:
    issue = ImportIssue(
        1,
        header,
        header,
        f"unknown column; expected one of: {', '.join(c.key for c in columns)}",
        f"无法识别的列名；可用列名见导入模板（{'、'.join(c.zh for c in columns)}）",
        cell=f"{column_letter(index)}1",
        severity="warning" if allow else "error",
    )
    (result.warnings if allow else result.errors).append(issue)


def _duplicate_column(
    header: str, index: int, column: Column, first: str, result: ImportResult
) -> None:
    result.errors.append(
        ImportIssue(
            1,
            header,
            header,
            f"column {column.key} appears twice (also {first!r})",
            f"列“{column.zh}”重复出现",
            cell=f"{column_letter(index)}1",
        )
    )


def _missing_columns(kind: Kind, seen: dict[str, int], result: ImportResult) -> bool:
    """Report required columns (or all of a column's alternatives) that are missing."""
    columns = COLUMNS[kind]
    missing = False
    for column in columns:
        if column.required and column.key not in seen:
            result.errors.append(
                ImportIssue(
                    1,
                    column.header,
                    "",
                    f"required column {column_english(column)} ({column.zh}) is missing",
                    f"缺少必填列“{column.zh}”",
                )
            )
            missing = True
    for key, others in _ALTERNATIVES[kind].items():
        if key not in seen and not any(o in seen for o in others):
            column = next(c for c in columns if c.key == key)
            result.errors.append(
                ImportIssue(
                    1,
                    column.header,
                    "",
                    f"a {column_english(column)} or {' / '.join(others)} column is required",
                    f"需要“{column.zh}”列或其替代列",
                )
            )
            missing = True
    return missing


def _one_column(table: Table, layout: dict[int, Column], result: ImportResult) -> bool:
    """A CSV read as one unknown column was most likely split on the wrong delimiter."""
    if len(table.headers) == 1 and table.delimiter is not None and not layout:
        result.errors.append(
            ImportIssue(
                1,
                table.headers[0],
                table.headers[0][:80],
                "only one column was found: is the file separated by commas?",
                "只识别到一列：请确认文件以逗号分隔",
            )
        )
        return True
    return False
