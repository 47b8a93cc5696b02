"""The .xlsx import templates hold what their CSV twins hold, and make_xlsx writes them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from seed.templates.make_xlsx import HERE, SHEET_TITLES, write_templates

CSV_TEMPLATES = sorted(HERE.glob("*.csv"))


def _csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.reader(handle)]


def _sheet(path: Path) -> tuple[str, list[list[str]], list[bool]]:
    workbook = load_workbook(path)
    assert len(workbook.worksheets) == 1, path
    sheet = workbook.worksheets[0]
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    bold = [bool(cell.font.bold) for cell in sheet[1]]
    return sheet.title, cells, bold


def test_there_are_templates() -> None:
    assert [p.stem for p in CSV_TEMPLATES] == ["needs", "sites", "talents"]


@pytest.mark.parametrize("source", CSV_TEMPLATES, ids=lambda p: p.stem)
def test_committed_workbook_matches_its_csv(source: Path) -> None:
    title, cells, bold = _sheet(source.with_suffix(".xlsx"))
    assert title == SHEET_TITLES[source.stem], "the tab is named in words"
    assert cells == _csv_cells(source)
    assert all(bold)


def test_make_xlsx_writes_the_same_cells(tmp_path: Path) -> None:
    written = write_templates(HERE, tmp_path)
    assert [p.name for p in written] == [p.with_suffix(".xlsx").name for p in CSV_TEMPLATES]
    for path in written:
        assert _sheet(path) == _sheet(HERE / path.name)
