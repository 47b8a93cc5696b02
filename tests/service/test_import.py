"""Bulk import against the real (migrated, reference-loaded) database: all or nothing,
each bad cell named, re-imports update in place, and bad files get a clear message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Need, Site, Talent
from service.usecases.imports import ImportResult, import_file, write_report

DATA = Path(__file__).parent / "data"
TEMPLATES = Path(__file__).resolve().parents[2] / "seed" / "templates"
MB = 1024 * 1024


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def _cells(result: ImportResult) -> set[tuple[int | None, str, str]]:
    return {(e.row, e.column, e.value) for e in result.errors}


def _import_templates(session: Session) -> None:
    for kind in ("sites", "needs", "talents"):
        result = import_file(kind, TEMPLATES / f"{kind}.csv", session=session)
        assert result.ok, [e.line() for e in result.errors]


# ---------------------------------------------------------------------------------------
# A partly broken spreadsheet imports nothing and names each bad cell


def test_partly_broken_csv_imports_nothing_and_names_each_bad_cell(session: Session) -> None:
    before = _count(session, Site)
    result = import_file("sites", DATA / "sites_partly_broken.csv", session=session)

    assert result.status == "invalid" and result.exit_code == 1
    assert not result.committed and result.created == 0
    assert _count(session, Site) == before
    assert _cells(result) == {
        (3, "县市(county)", "不存在县"),
        (4, "纬度(lat)", "99.5"),
        (5, "贫困乡镇(poverty_township)", "也许"),
        (6, "编号(external_id)", "BRK-1"),
    }
    by_row = {e.row: e for e in result.errors}
    assert by_row[3].cell == "D3"
    assert "unknown county" in by_row[3].message and "无法识别" in by_row[3].message_zh
    assert "outside" in by_row[4].message
    assert "row 2" in by_row[6].message  # the duplicate names the first use


def test_partly_broken_xlsx_imports_nothing_and_names_each_bad_cell(
    session: Session, tmp_path: Path
) -> None:
    _import_templates(session)
    needs_before = _count(session, Need)
    path = _xlsx(
        tmp_path / "needs.xlsx",
        [
            [
                "external_id",
                "site_external_id",
                "title",
                "description",
                "mode",
                "start_date",
                "end_date",
                "headcount",
                "skills",
            ],
            [
                "X-1",
                "SB-DZ-WSY",
                "好的需求",
                "需要全科医生",
                "远程",
                date(2025, 3, 1),
                date(2025, 5, 1),
                1,
                "全科医学",
            ],
            [
                "X-2",
                "NO-SUCH-SITE",
                "单位不存在",
                "描述",
                "远程",
                "2025-03-01",
                "2025-05-01",
                1,
                "",
            ],
            ["X-3", "SB-DZ-WSY", "日期颠倒", "描述", "remote", "2025-06-01", "2025-05-01", 1, ""],
            ["X-4", "SB-DZ-WSY", "方式未知", "描述", "飞过去", "2025-03-01", "2025-05-01", 0, ""],
            [
                "X-5",
                "SB-DZ-WSY",
                "技能未知",
                "描述",
                "remote",
                "2025-03-01",
                "2025-05-01",
                1,
                "炼金术",
            ],
        ],
    )
    result = import_file("needs", path, session=session)

    assert result.status == "invalid"
    assert _count(session, Need) == needs_before
    assert _cells(result) == {
        (3, "site_external_id", "NO-SUCH-SITE"),
        (4, "end_date", "2025-05-01"),
        (5, "mode", "飞过去"),
        (5, "headcount", "0"),  # the same row's second problem, named in the same pass
        (6, "skills", "炼金术"),
    }
    messages = {e.row: e.message for e in result.errors}
    assert "import the sites first" in messages[3]
    assert "before start_date" in messages[4]
    assert "unknown skill" in messages[6]


def test_every_error_of_a_row_is_reported(session: Session) -> None:
    text = (
        "external_id,name,site_type,county_code,lat,lon,email\n"
        "E-1,,不是类型,532322,24.7,200,not-an-email\n"
    )
    result = import_file("sites", text.encode(), "s.csv", session=session)
    columns = {e.column for e in result.errors}
    assert {"name", "site_type", "lon", "email"} <= columns


def test_report_csv_has_the_same_lines(session: Session) -> None:
    result = import_file("sites", DATA / "sites_partly_broken.csv", session=session)
    out = StringIO()
    write_report(result, out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "row,cell,column,value,severity,message,message_zh"
    assert len(lines) == 1 + len(result.errors)
    assert any(line.startswith("3,D3,县市(county),不存在县,error,") for line in lines)


# ---------------------------------------------------------------------------------------
# Upserts


def test_reimport_updates_in_place(session: Session, tmp_path: Path) -> None:
    _import_templates(session)
    sites, talents = _count(session, Site), _count(session, Talent)
    again = import_file("talents", DATA / "talents_ok.csv", session=session)
    assert again.ok and again.created == 2
    assert _count(session, Talent) == talents + 2

    unchanged = import_file("talents", DATA / "talents_ok.csv", session=session)
    assert (unchanged.created, unchanged.updated, unchanged.unchanged) == (0, 0, 2)
    stamp = session.scalars(select(Talent).where(Talent.external_id == "TT-1")).one().updated_at

    text = (DATA / "talents_ok.csv").read_text(encoding="utf-8")
    edited = text.replace("王医生", "王大夫").replace(
        "2025-09-01~2025-10-31", "2025-11-01~2025-12-31"
    )
    path = tmp_path / "talents.csv"
    path.write_text(edited, encoding="utf-8")
    changed = import_file("talents", path, session=session)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert _count(session, Talent) == talents + 2
    assert _count(session, Site) == sites
    session.expire_all()
    talent = session.scalars(select(Talent).where(Talent.external_id == "TT-1")).one()
    assert talent.name == "王大夫"
    assert [(w.start_date, w.end_date) for w in talent.windows] == [
        (date(2025, 3, 1), date(2025, 6, 30)),
        (date(2025, 11, 1), date(2025, 12, 31)),
    ]
    assert talent.updated_at >= stamp
    other = session.scalars(select(Talent).where(Talent.external_id == "TT-2")).one()
    assert other.name == "杨师傅"


def test_import_maps_names_to_codes_and_townships(session: Session) -> None:
    _import_templates(session)
    site = session.scalars(select(Site).where(Site.external_id == "SB-DZ-WSY")).one()
    assert site.county_code == "532322" and site.site_type == "township_health_center"
    assert site.township is not None and site.township.name == "大庄镇"
    assert (site.lat, site.lon) == (site.township.lat, site.township.lon)
    assert site.poverty_township == site.township.poverty_township
    talent = session.scalars(select(Talent).where(Talent.external_id == "T-0001")).one()
    assert talent.category == "general_practitioner"
    assert talent.skills == ["health.general_practice", "health.rural_health"]
    assert talent.modes == ["onsite_long", "remote"]
    assert (talent.title_level, talent.degree_level, talent.home_county_code) == (3, 3, "532322")
    need = session.scalars(select(Need).where(Need.external_id == "N-SB-DZ-001")).one()
    assert need.site_id == site.id and need.licences == ["practising_physician"]


def test_only_columns_in_the_file_are_updated(session: Session) -> None:
    assert import_file("talents", DATA / "talents_ok.csv", session=session).ok
    narrow = "编号,姓名\nTT-1,王医生（改）\n"
    result = import_file(
        "talents", narrow.encode(), "t.csv", session=session, allow_unknown_columns=True
    )
    # bio, category and modes are required for a new talent, so the header check fails…
    assert result.status == "invalid"
    assert {e.column for e in result.errors} >= {"个人简介(bio)", "服务方式(modes)"}
    # …but a file with every required column and no phone column keeps the phone.
    text = (DATA / "talents_ok.csv").read_text(encoding="utf-8").splitlines()
    without_phone = "\n".join(line.rsplit(",", 1)[0] for line in text) + "\n"
    assert import_file("talents", without_phone.encode(), "t.csv", session=session).ok
    talent = session.scalars(select(Talent).where(Talent.external_id == "TT-1")).one()
    assert talent.phone == "13800000001"


def test_dry_run_writes_nothing(session: Session) -> None:
    before = _count(session, Talent)
    result = import_file("talents", DATA / "talents_ok.csv", session=session, dry_run=True)
    assert result.ok and result.created == 2 and not result.committed
    assert _count(session, Talent) == before


def test_available_from_and_to_columns_make_a_window(session: Session) -> None:
    text = (
        "external_id,name,category,bio,modes,base_lat,base_lon,available_from,available_to\n"
        "W-1,张三,专家,农技专家,remote,25.0,101.5,2025/3/1,2025年6月30日\n"
    )
    assert import_file("talents", text.encode(), "t.csv", session=session).ok
    talent = session.scalars(select(Talent).where(Talent.external_id == "W-1")).one()
    assert [(w.start_date, w.end_date) for w in talent.windows] == [
        (date(2025, 3, 1), date(2025, 6, 30))
    ]


# ---------------------------------------------------------------------------------------
# Files that cannot be read: a clear message, never a traceback


def test_gbk_file_is_detected(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "talents-gbk.csv"
    path.write_bytes((DATA / "talents_ok.csv").read_text(encoding="utf-8").encode("gbk"))
    result = import_file("talents", path, session=session)
    assert result.ok, [e.line() for e in result.errors]
    assert result.encoding == "gbk/gb18030"
    talent = session.scalars(select(Talent).where(Talent.external_id == "TT-2")).one()
    assert talent.name == "杨师傅" and talent.skills == ["agri.mushroom"]


def test_utf8_bom_and_semicolons_are_read(session: Session) -> None:
    text = (DATA / "talents_ok.csv").read_text(encoding="utf-8")
    # A semicolon-separated export (European Excel): cells with ; inside get quoted.
    rows = [line.split(",") for line in text.splitlines()]
    body = "\n".join(";".join(f'"{c}"' for c in row) for row in rows) + "\n"
    result = import_file("talents", body.encode("utf-8-sig"), "t.csv", session=session)
    assert result.ok, [e.line() for e in result.errors]
    assert result.encoding == "utf-8-sig"


def test_undecodable_bytes_say_so(session: Session) -> None:
    data = b"external_id,name\n" + bytes(range(0x80, 0x100)) * 4 + b"\n"
    result = import_file("sites", data, "sites.csv", session=session)
    assert result.status == "unreadable" and result.exit_code == 2
    assert "encoding" in result.errors[0].message
    assert "UTF-8" in result.errors[0].message_zh


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        ("编号,名称,单位类型,县市\n".encode(), "no data rows"),
        ("编号,名称,单位类型,县市\n\n,,,\n".encode(), "no data rows"),
        (
            b'external_id,name,site_type,county\nA,"unclosed,township_health_center,x\n',
            "malformed CSV",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
        (b"PK\x03\x04 not really a zip", "xlsx"),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "header-and-blank-rows",
        "unbalanced-quote",
        "legacy-xls",
        "broken-zip",
    ],
)
def test_unreadable_files_get_a_clear_message(session: Session, data: bytes, needle: str) -> None:
    result = import_file("sites", data, "sites.csv", session=session)
    assert result.status == "unreadable"
    assert needle in result.errors[0].message
    assert result.errors[0].message_zh


def test_a_50_mb_file_is_refused_before_reading(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write("编号,名称,单位类型,县市\n".encode())
        handle.truncate(50 * MB)  # sparse: 50 MB on paper, instant to make
    result = import_file("sites", path, session=session, max_bytes=20 * MB)
    assert result.status == "unreadable"
    assert "50.0 MB" in result.errors[0].message and "20 MB" in result.errors[0].message
    # Uploaded bytes are checked the same way.
    upload = import_file("sites", b"x" * 3000, "a.csv", session=session, max_bytes=2048)
    assert upload.status == "unreadable" and "limit" in upload.errors[0].message


def test_extra_cells_from_a_wrong_delimiter_are_named(session: Session) -> None:
    text = "编号,名称,单位类型,县市\nQ-1,大庄卫生院,乡镇卫生院,双柏县,多出来的\n"
    result = import_file("sites", text.encode(), "s.csv", session=session)
    assert result.status == "invalid"
    assert (2, "(column E)", "多出来的") in _cells(result)


def test_a_single_column_file_asks_about_the_delimiter(session: Session) -> None:
    text = "编号:名称:单位类型:县市\nQ-1:a:b:c\n"
    result = import_file("sites", text.encode(), "s.csv", session=session)
    assert result.status == "invalid"
    assert any("one column" in e.message for e in result.errors)


# ---------------------------------------------------------------------------------------
# Headers


def test_unknown_columns_are_errors_by_default_and_warnings_on_request(
    session: Session,
) -> None:
    text = (
        "编号,名称,单位类型,县市,乡镇,备注,emial\n"
        "U-1,大庄卫生院,乡镇卫生院,双柏县,大庄镇,随便写写,a@b.cn\n"
    )
    strict = import_file("sites", text.encode(), "s.csv", session=session)
    assert strict.status == "invalid"
    assert {(e.row, e.column, e.cell) for e in strict.errors} == {
        (1, "备注", "F1"),
        (1, "emial", "G1"),
    }
    assert (
        _count(session, Site) == 0
        or not session.scalars(select(Site).where(Site.external_id == "U-1")).first()
    )

    lenient = import_file(
        "sites", text.encode(), "s.csv", session=session, allow_unknown_columns=True
    )
    assert lenient.ok and lenient.created == 1
    assert {w.column for w in lenient.warnings} == {"备注", "emial"}


def test_missing_required_column_and_duplicate_column(session: Session) -> None:
    missing = import_file("needs", b"external_id,title\nA,b\n", "n.csv", session=session)
    assert missing.status == "invalid"
    assert any("description" in e.message for e in missing.errors)
    twice = import_file(
        "sites",
        "编号,name,名称,单位类型,县市\nA,b,c,乡镇卫生院,双柏县\n".encode(),
        "s.csv",
        session=session,
    )
    assert twice.status == "invalid"
    assert any("appears twice" in e.message for e in twice.errors)


def test_headers_accept_key_label_or_both(session: Session) -> None:
    text = (
        "external_id,名称,单位类型（site_type）,county_code*,Township\n"
        "H-1,大庄卫生院,township_health_center,532322,大庄\n"
    )
    result = import_file("sites", text.encode(), "s.csv", session=session)
    assert result.ok, [e.line() for e in result.errors]
    site = session.scalars(select(Site).where(Site.external_id == "H-1")).one()
    assert site.township is not None and site.township.name == "大庄镇"


# ---------------------------------------------------------------------------------------
# Every problem of a file in one pass, each naming the value and the allowed ones


def test_every_problem_of_a_row_is_named_in_one_pass(session: Session, tmp_path: Path) -> None:
    _import_templates(session)
    source = (TEMPLATES / "needs.csv").read_text(encoding="utf-8-sig").splitlines()
    header, first = source[0], source[1].split(",")
    # One row, three problems: a mode no one knows (a cell the importer maps), a title
    # left empty and a programme line that does not exist (both the schema's to find).
    first[0] = "N-ONE-PASS-1"
    first[2] = ""
    first[5] = "飞行服务"
    first[14] = "没有这条项目线"
    path = tmp_path / "needs.csv"
    path.write_text("\n".join([header, ",".join(first)]) + "\n", encoding="utf-8")
    result = import_file("needs", path, session=session)
    assert result.status == "invalid"
    by_column = {e.column: e for e in result.errors}
    assert set(by_column) == {"标题(title)", "服务方式(mode)", "项目代码(programme_code)"}, [
        e.line() for e in result.errors
    ]
    mode = by_column["服务方式(mode)"]
    assert mode.value == "飞行服务" and "飞行服务" in mode.message_zh and "可选" in mode.message_zh
    programme = by_column["项目代码(programme_code)"]
    assert "没有这条项目线" in programme.message_zh and "可选：" in programme.message_zh
    assert "不是已登记的项目条线" in programme.message_zh
    assert all(e.row == 2 for e in result.errors)


def test_a_programme_line_may_be_given_by_its_title(session: Session, tmp_path: Path) -> None:
    from models import Programme

    _import_templates(session)
    title = session.scalars(
        select(Programme.title).where(Programme.code == "selected_technicians")
    ).one()
    source = (TEMPLATES / "needs.csv").read_text(encoding="utf-8-sig").splitlines()
    row = source[1].split(",")
    row[0], row[14] = "N-BY-TITLE-1", title
    path = tmp_path / "needs.csv"
    path.write_text("\n".join([source[0], ",".join(row)]) + "\n", encoding="utf-8")
    result = import_file("needs", path, session=session)
    assert result.ok, [e.line() for e in result.errors]
    need = session.scalars(select(Need).where(Need.external_id == "N-BY-TITLE-1")).one()
    assert need.programme_code == "selected_technicians"
