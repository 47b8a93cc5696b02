"""Export writes what the importer reads: export → import changes nothing; contacts only
on request; matches carry names, status, score and time."""

from __future__ import annotations

import csv
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, Need, Talent
from service.usecases.exports import export
from service.usecases.imports import Kind, import_file

TEMPLATES = Path(__file__).resolve().parents[2] / "seed" / "templates"
DATA = Path(__file__).parent / "data"


@pytest.fixture
def loaded(session: Session) -> Session:
    for kind in ("sites", "needs", "talents"):
        assert import_file(kind, TEMPLATES / f"{kind}.csv", session=session).ok
    assert import_file("talents", DATA / "talents_ok.csv", session=session).ok
    return session


def _csv(kind: str, session: Session, **kwargs: bool) -> list[dict[str, str]]:
    out = StringIO()
    export(kind, out, session=session, **kwargs)  # type: ignore[arg-type]
    return list(csv.DictReader(StringIO(out.getvalue())))


@pytest.mark.parametrize("kind", ["sites", "needs", "talents"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_export_then_import_round_trips(
    loaded: Session, tmp_path: Path, kind: Kind, fmt: str, locale: str
) -> None:
    path = tmp_path / f"{kind}.{fmt}"
    count = export(
        kind,
        path,
        session=loaded,
        fmt=fmt,  # type: ignore[arg-type]
        include_contacts=True,
        locale=locale,
    )
    assert count >= 2
    result = import_file(kind, path, session=loaded)
    assert result.ok, [e.line() for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 0, count)


def test_csv_file_export_has_a_bom_for_excel(loaded: Session, tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    export("needs", path, session=loaded)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_edit_import_updates_one_row(loaded: Session, tmp_path: Path) -> None:
    rows = _csv("needs", loaded)
    headers = list(rows[0])
    rows[0]["人数(headcount)"] = "3"
    path = tmp_path / "needs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, headers)
        writer.writeheader()
        writer.writerows(rows)
    result = import_file("needs", path, session=loaded)
    assert (result.created, result.updated) == (0, 1)
    need = loaded.scalars(select(Need).where(Need.external_id == rows[0]["编号(external_id)"]))
    assert need.one().headcount == 3


def test_contacts_only_with_the_flag(loaded: Session) -> None:
    plain = _csv("talents", loaded)
    assert not {"联系电话(phone)", "电子邮箱(email)", "身份证号(id_number)"} & set(plain[0])
    assert "13800000001" not in str(plain)
    full = _csv("talents", loaded, include_contacts=True)
    assert "13800000001" in {row["联系电话(phone)"] for row in full}
    assert "联系电话(phone)" not in _csv("sites", loaded)[0]


def test_talent_windows_and_lists_are_written_as_the_importer_reads_them(
    loaded: Session,
) -> None:
    row = next(r for r in _csv("talents", loaded) if r["编号(external_id)"] == "TT-1")
    assert row["可服务时段(windows)"] == "2025-03-01~2025-06-30;2025-09-01~2025-10-31"
    # Names, not codes (issue 13); the importer reads them back (the round-trip test).
    assert row["技能领域(skills)"] == "全科医学;农村卫生"
    assert row["服务方式(modes)"] == "挂职/帮带/对口服务（1–2年）;互联网远程服务"


def test_matches_export_has_names_status_score_and_time(loaded: Session) -> None:
    need = loaded.scalars(select(Need).where(Need.external_id == "N-SB-DZ-001")).one()
    talent = loaded.scalars(select(Talent).where(Talent.external_id == "TT-1")).one()
    loaded.add(Match(need_id=need.id, talent_id=talent.id, score=0.83456789, status="proposed"))
    loaded.flush()
    rows = _csv("matches", loaded)
    assert len(rows) == 1
    row = rows[0]
    assert row["需求编号(need_external_id)"] == "N-SB-DZ-001"
    assert row["需求标题(need_title)"] == need.title
    assert row["单位名称(site_name)"] == "双柏县大庄镇卫生院"
    assert row["人才姓名(talent_name)"] == "王医生"
    assert row["状态(status)"] == "已推荐"
    assert row["匹配分(score)"] == "0.8346"
    assert row["创建时间（北京时间）(created_at)"][:2] == "20"
    assert row["来源(origin)"] == "批量匹配"  # the default origin, in words

    out = BytesIO()
    assert export("matches", out, session=loaded, fmt="xlsx") == 1
    sheet = load_workbook(BytesIO(out.getvalue()), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][8] == "王医生"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_kind_of_value_survives_a_round_trip_in_either_language(
    loaded: Session, tmp_path: Path, locale: str
) -> None:
    """The values whose words are hardest to read back: a mode whose English name has a
    comma in it, a township by its pinyin, a status, yes and no, levels and lists."""
    talent = loaded.scalars(select(Talent).where(Talent.external_id == "TT-1")).one()
    talent.modes = ["project", "remote", "onsite_long"]
    talent.long_placement_ok = False
    need = loaded.scalars(select(Need).where(Need.external_id == "N-SB-DZ-001")).one()
    need.status = "filled"
    need.min_title_level = 3
    loaded.flush()
    for kind in ("sites", "needs", "talents"):
        path = tmp_path / f"{kind}-{locale}.csv"
        count = export(kind, path, session=loaded, include_contacts=True, locale=locale)  # type: ignore[arg-type]
        result = import_file(kind, path, session=loaded)  # type: ignore[arg-type]
        assert result.ok, [e.line() for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (0, 0, count), kind
    if locale == "en":
        talents = _rows("talents", loaded, locale)
        row = next(r for r in talents if r["Number(external_id)"] == "TT-1")
        assert row["Service modes(modes)"].startswith("Project cooperation, technology equity")
        assert row["Long placements accepted(long_placement_ok)"] == "No"
        townships = {r["Township(township)"] for r in _rows("sites", loaded, locale)}
        assert "Dazhuang" in townships, townships


def _rows(kind: str, session: Session, locale: str) -> list[dict[str, str]]:
    out = StringIO()
    export(kind, out, session=session, locale=locale)  # type: ignore[arg-type]
    return list(csv.DictReader(StringIO(out.getvalue())))
