"""Imported needs are held to their line's rule as posted ones are: a row that breaks it
is reported at its cells (row, column, value, what the line expects) and nothing of the
file is written; rows that keep it import."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Need
from service.usecases.imports import import_file
from service.usecases.line_rules import NeedFacts, posting_breaks

SITES = (
    "编号(external_id),名称(name),单位类型(site_type),县市(county),乡镇(township),"
    "纬度(lat),经度(lon)\n"
    "LR-SB-WSY,双柏县大庄镇卫生院（导入测试）,乡镇卫生院,双柏县,大庄镇,24.69,101.64\n"
)
HEADER = (
    "编号(external_id),单位编号(site_external_id),标题(title),需求描述(description),"
    "技能领域(skills),服务方式(mode),开始日期(start_date),结束日期(end_date),"
    "人数(headcount),所需天数(days_needed),项目代码(programme_code)\n"
)
# Row 2 keeps 选派's rule (on site long, a year); row 3 is a 5-day visit under 选派;
# row 4 posts under measure 7, whose figures are entered, not matched; row 5 is a
# kindergarten-less 乡村教师导师 need at a health centre without a teaching field.
NEEDS = HEADER + (
    "LR-N1,LR-SB-WSY,全科医生驻点一年,驻点一年带教村医。,全科医学,挂职,"
    "2025-03-01,2026-02-28,1,365,selected_technicians\n"
    "LR-N2,LR-SB-WSY,短期指导,五天的现场指导。,全科医学,现场指导,"
    "2025-03-01,2025-03-31,1,5,selected_technicians\n"
    "LR-N3,LR-SB-WSY,急需人才,招聘急需人才。,全科医学,现场指导,"
    "2025-03-01,2025-03-31,1,5,measure_7\n"
    "LR-N4,LR-SB-WSY,乡村教师导师,带教青年教师。,全科医学,远程,"
    "2025-03-01,2025-06-30,1,10,rural_teacher_mentors\n"
)


def _needs(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Need)) or 0)


def test_a_need_row_breaking_its_lines_rule_is_named_and_nothing_is_written(
    session: Session,
) -> None:
    assert import_file("sites", SITES.encode(), "sites.csv", session=session).ok
    before = _needs(session)
    result = import_file("needs", NEEDS.encode(), "needs.csv", session=session)
    assert not result.ok and not result.committed
    assert _needs(session) == before, "all or nothing"
    found = {(e.row, e.column): e for e in result.errors}
    assert {row for row, _ in found} == {3, 4, 5}, [e.line() for e in result.errors]

    # Row 3: the mode and the days, each at its cell with its value and the rule.
    mode = found[(3, "服务方式(mode)")]
    assert mode.value == "现场指导" and mode.cell.startswith("F")
    assert "selected_technicians" in mode.message and "onsite_long" in mode.message
    assert "长期派驻" in mode.message_zh or "挂职" in mode.message_zh, mode.message_zh
    assert "onsite" not in mode.message_zh, "words, not codes, for a person"
    days = found[(3, "所需天数(days_needed)")]
    assert days.value == "5" and "at least 365 days" in days.message
    assert "365" in days.message_zh

    # Row 4: a line whose figures are entered takes no needs.
    line = found[(4, "项目代码(programme_code)")]
    assert line.value == "measure_7" and "counts no matches" in line.message

    # Row 5: the site type (reported at the site's cell) and the teaching field.
    site = found[(5, "单位编号(site_external_id)")]
    assert "township_health_center" in site.message and "rural_school" in site.message
    assert "乡镇卫生院" in site.message_zh and "乡村学校" in site.message_zh, site.message_zh
    assert "township_health_center" not in site.message_zh
    assert (5, "技能领域(skills)") in found


def test_rows_that_keep_their_lines_rule_import(session: Session) -> None:
    assert import_file("sites", SITES.encode(), "sites.csv", session=session).ok
    good = HEADER + NEEDS.splitlines(keepends=True)[1]
    result = import_file("needs", good.encode(), "needs.csv", session=session)
    assert result.ok and result.committed, [e.line() for e in result.errors]
    need = session.scalars(select(Need).where(Need.external_id == "LR-N1")).one()
    assert need.programme_code == "selected_technicians"


def test_posting_and_import_read_the_same_rule() -> None:
    facts = NeedFacts("532322", "onsite_short", "township_health_center", 5, (), False)
    fields = {b.field for b in posting_breaks("selected_technicians", facts)}
    assert fields == {"mode", "days_needed"}
    assert posting_breaks(None, facts) == []
    assert [b.field for b in posting_breaks("measure_7", facts)] == ["programme_code"]
