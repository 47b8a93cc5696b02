"""Write the .xlsx import templates from the CSV ones next to this file.

Run ``python seed/templates/make_xlsx.py`` after editing a CSV template. The workbooks
hold one sheet named in words after the file (``SHEET_TITLES``), a bold header row and
the CSV's cells as text, which is what ``rencai import`` reads back; only ``openpyxl`` is
needed (``seed`` builds on ``models`` and ``reference`` and never on ``service``)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
# The sheet's name is read by people (a spreadsheet program shows it on the tab): words,
# as the import page names each kind (exports.kind.* in the catalogues).
SHEET_TITLES = {"needs": "需求", "sites": "基层单位", "talents": "人才"}


def csv_to_xlsx(source: Path, target: Path) -> None:
    """One CSV template (UTF-8, BOM or not) as a one-sheet workbook."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        headers, *rows = list(csv.reader(handle))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLES.get(source.stem, source.stem))
    bold = Font(bold=True)
    header_row = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_row.append(cell)
    sheet.append(header_row)
    for row in rows:
        sheet.append(row)
    workbook.save(target)


def write_templates(source_dir: Path = HERE, target_dir: Path = HERE) -> list[Path]:
    """Every ``*.csv`` of ``source_dir`` as ``.xlsx`` in ``target_dir``; the paths written."""
    written = []
    for source in sorted(source_dir.glob("*.csv")):
        target = target_dir / source.with_suffix(".xlsx").name
        csv_to_xlsx(source, target)
        written.append(target)
    return written


def main() -> None:
    for target in write_templates():
        print(f"wrote {target.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main()
