"""Writing tables as CSV or XLSX: the one place where exported cells are written
(the exports, and the templates in ``seed/templates``, go through here).

Reading them back is the importer's job (``service.usecases.imports.reading``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from service.spreadsheet_safety import csv_writer, xlsx_row


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]], stream: IO[str]) -> int:
    """Write rows as CSV; returns the number of data rows."""
    writer = csv_writer(stream, lineterminator="\r\n")
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        count += 1
    return count


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    target: Path | IO[bytes],
    *,
    sheet_title: str = "data",
) -> int:
    """Write rows to a one-sheet workbook in write-only (streaming) mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append(xlsx_row(sheet, [_xlsx_value(v) for v in row]))
        count += 1
    workbook.save(target)
    return count


def _xlsx_value(value: Any) -> Any:
    # Dates go out as ISO text: Excel's date cells come back as datetimes with a zone
    # lost, and text round-trips exactly.
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
