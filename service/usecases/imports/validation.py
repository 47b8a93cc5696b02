"""Validating every row of a file before anything is written: the row's own checks
(its entity's), plus the checks across rows and cells the schema cannot see (a stable,
unique ``external_id``; no more cells than headers)."""

from __future__ import annotations

from collections.abc import Mapping

from service.usecases.columns import Column, Kind
from service.usecases.imports.context import Context
from service.usecases.imports.entities import preparer
from service.usecases.imports.progress import progress as with_progress
from service.usecases.imports.reading import Table, column_letter
from service.usecases.imports.report import ImportIssue, ImportResult
from service.usecases.imports.rows import PreparedRow, RowReader

MAX_EXTERNAL_ID = 64


def validate_rows(
    kind: Kind,
    table: Table,
    layout: Mapping[int, Column],
    ctx: Context,
    result: ImportResult,
    *,
    progress: bool,
) -> list[PreparedRow]:
    """The valid rows, ready to write; every problem found goes to ``result``."""
    prepare = preparer(kind)
    schema_context = ctx.schema_context()
    width = len(table.headers)
    seen: dict[str, int] = {}
    prepared: list[PreparedRow] = []
    for number, cells in with_progress(table.rows, progress, f"checking {kind}"):
        row = RowReader(number, cells, layout, table.headers)
        _check_width(row, cells, width)
        _check_external_id(row, seen)
        out = prepare(row, ctx, schema_context)
        result.errors.extend(row.errors)
        result.warnings.extend(row.warnings)
        if out is not None and not row.errors:
            prepared.append(out)
    return prepared


def _check_width(row: RowReader, cells: list[str], width: int) -> None:
    extra = [c for c in cells[width:] if c]
    if extra:
        row.errors.append(
            ImportIssue(
                row.number,
                f"(column {column_letter(width)})",
                extra[0][:80],
                f"this row has {len(cells)} cells but the header has {width} columns "
                "(a stray delimiter or quote?)",
                f"本行单元格数（{len(cells)}）多于表头列数（{width}）",
                cell=f"{column_letter(width)}{row.number}",
            )
        )


def _check_external_id(row: RowReader, seen: dict[str, int]) -> None:
    """Required, at most 64 characters and unique in the file: re-imports key on it."""
    external_id = row.get("external_id")
    if not external_id:
        row.issue(
            "external_id",
            "required: a stable id keyed on by re-imports",
            "编号必填（再次导入时据此更新）",
        )
    elif len(external_id) > MAX_EXTERNAL_ID:
        row.issue("external_id", "longer than 64 characters", "编号超过 64 个字符")
    elif external_id in seen:
        row.issue(
            "external_id",
            f"duplicate id: also used on row {seen[external_id]}",
            f"编号重复：与第 {seen[external_id]} 行相同",
        )
    else:
        seen[external_id] = row.number
