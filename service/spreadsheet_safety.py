"""Cells that a spreadsheet program would run as formulas, made inert (CSV injection).

OWASP's guidance: a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return can be taken for a formula by Excel, LibreOffice or WPS (``=HYPERLINK(…)``
leaks the sheet, ``=cmd|…`` runs a program). Every cell the service writes to a CSV or an
XLSX file goes through this module:

- CSV: such text gets a leading single quote, which the spreadsheet shows as text; the
  importer (:func:`restore`) takes the quote off again, so an export imports back
  unchanged.
- XLSX: the cell is written as a string (never a formula) and carries the
  ``quotePrefix`` style, so the visible text is exactly the original and editing the
  cell does not turn it into a formula.

Numbers stay numbers: ``-3`` or ``+1.5`` as text is a plain number, not a formula, and
real ``int``/``float`` values are never touched.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_dangerous(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet could read as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and _PLAIN_NUMBER.fullmatch(value) is None
    )


def neutralise(value: Any) -> Any:
    """The cell as it is safe to write to CSV: formula-leading text gets a ``'``."""
    return QUOTE + value if is_dangerous(value) else value


def restore(text: str) -> str:
    """Undo :func:`neutralise` on a cell read back from a CSV file."""
    if text.startswith(QUOTE) and is_dangerous(text[1:]):
        return text[1:]
    return text


class SafeCsvWriter:
    """``csv.writer`` with every cell neutralised; use it for every CSV the service
    writes (exports, progress, import reports)."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **options)


# Control characters that an XLSX file cannot hold (openpyxl refuses the whole file).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A write-only openpyxl cell for ``value``: formula-leading text becomes a
    quote-prefixed string cell; characters a worksheet cannot hold are dropped; anything
    else is returned unchanged for openpyxl to type as usual."""
    if isinstance(value, str):
        value = _XLSX_ILLEGAL.sub("", value)
    if not is_dangerous(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl types text beginning with "=" as a formula
    cell.quotePrefix = True
    return cell


def xlsx_row(sheet: Any, row: Sequence[Any]) -> list[Any]:
    return [xlsx_cell(sheet, v) for v in row]
