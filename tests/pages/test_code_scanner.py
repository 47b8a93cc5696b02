"""The code scanner itself: what it flags and what it leaves alone."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.pages import code_scanner as scanner


def _page(body: str, lang: str = "zh-CN") -> str:
    head = "<head><title>页</title></head>"
    return f'<!doctype html><html lang="{lang}">{head}<body>{body}</body></html>'


def test_codes_on_a_chinese_page_are_found() -> None:
    page = _page(
        "<p>服务方式不符：需求为 part_time</p><p>县市 532322</p><p>batch run #2</p>"
        "<p>profile.end_date：请填写</p><p>技能 agri.tobacco</p>"
        '<button title="no_feasible_candidate">提交</button>'
    )
    found = "\n".join(scanner.scan_page(page, "GET /x"))
    for expected in (
        "snake_case part_time",
        "six-digit code 532322",
        "id reference #2",
        "key profile.end_date",
        "key agri.tobacco",
        "snake_case no_feasible_candidate",
        "English word 'batch'",
        "English word 'run'",
    ):
        assert expected in found, f"{expected!r} not in\n{found}"


def test_words_pass_and_marked_text_is_left_alone() -> None:
    page = _page(
        "<p>双柏县 · 2026年12月3日 16:35 北京时间 · 电话 13800001234</p>"
        "<p>下载 Excel 文件 · CSV · English</p>"
        "<p>发表SCI论文3篇；指导申请食品生产许可（SC）</p>"
        '<p>联系 wang.li@example.cn · <a href="/needs?county=532322">需求</a></p>'
        '<td translate="no">532322</td><td translate="no">site1</td>'
        '<td lang="en">Shuangbai County</td>'
        "<script>var snake_case_name = 1;</script><style>.a_b{}</style>"
    )
    assert scanner.scan_page(page, "GET /y") == []


def test_an_english_page_may_speak_english_but_not_codes() -> None:
    page = _page("<p>Shuangbai County, 3 Dec 2026</p><p>mode onsite_short</p>", lang="en")
    assert scanner.scan_page(page, "GET /z") == [
        "GET /z [en]: snake_case onsite_short in 'mode onsite_short'"
    ]


def test_exports_are_scanned_except_columns_named_as_codes() -> None:
    csv_text = "姓名,类别,类别代码\n张三,general_practitioner,general_practitioner\n"
    found = scanner.scan_csv(csv_text.encode("utf-8-sig"), "talents.csv", "zh-CN")
    assert found == ["talents.csv row 2 [类别]: snake_case general_practitioner"]
    book = Workbook()
    sheet = book.active
    sheet.append(["County", "Level"])
    sheet.append(["532322", "Intermediate"])
    buf = io.BytesIO()
    book.save(buf)
    found = scanner.scan_xlsx(buf.getvalue(), "progress.xlsx", "zh-CN")
    assert "progress.xlsx sheet Sheet row 1 [County]: English word 'County'" in found
    assert any("six-digit code 532322" in f for f in found), found


def test_a_login_name_column_is_left_as_typed() -> None:
    """A login name is the person's own (the pages mark it translate="no"); the column
    beside it is still read."""
    csv_text = "登录名(username),角色(role)\ntalent1,talent\n"
    found = scanner.scan_csv(csv_text.encode("utf-8-sig"), "personal-data", "zh-CN")
    assert found == ["personal-data row 2 [角色]: English word 'talent'"]


def test_an_english_number_column_is_a_code_column_but_a_count_is_not() -> None:
    csv_text = "Talent number,Number of people\n000169,000169\n"
    found = scanner.scan_csv(csv_text.encode("utf-8-sig"), "matches.csv", "en")
    assert found == ["matches.csv row 2 [Number of people]: six-digit code 000169"]


def test_a_persons_own_input_quoted_back_is_theirs() -> None:
    page = _page("<p>用户名“zhou”已被使用</p><p>用户名 zhou 已被使用</p>")
    assert scanner.scan_page(page, "POST /admin/users") == [
        "POST /admin/users [zh-CN]: English word 'zhou' in '用户名 zhou 已被使用'"
    ]


def test_what_a_person_typed_is_theirs_on_a_page_of_either_language() -> None:
    title = scanner.typed("Wild mushroom pest control")
    assert scanner.findings(f"需求：{title}（双柏县）", "zh-CN") == []
    assert scanner.findings("Wild guess", "zh-CN") == [
        "English word 'Wild'",
        "English word 'guess'",
    ]
