"""The coordinators' read-only pages by URL: programme progress, the county map and the
prefecture-wide exports (not for a county coordinator)."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, User
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, Api

COORDINATORS = ("admin", "zhou", "county")


@pytest.mark.parametrize("role", ROLES)
def test_the_progress_page(web: WebFactory, api: Api, role: str) -> None:
    response = web(role).get("/progress", year="2021")
    if role not in COORDINATORS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    rows = api.call("GET", "/api/v1/programmes/progress", "zhou", params={"year": 2021})
    texts = [r["text"] for r in rows]
    assert texts
    for text in texts:
        assert html.escape(text, quote=False) in response.text, text


def test_a_county_coordinators_progress_is_the_countys(web: WebFactory, session: Session) -> None:
    own = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    other = session.scalars(select(County.code).where(County.code != own)).first()
    assert other is not None
    # The CSV link carries the county the page shows: the coordinator's own, whatever the
    # query asked; the prefecture coordinator's follows the query.
    response = web("county").get("/progress", county=other, year="2021")
    assert response.status_code == 200
    csv = "/api/v1/programmes/progress.csv?year=2021&county="
    assert f"{csv}{own}" in response.text and f"{csv}{other}" not in response.text
    assert 'name="county"' not in response.text  # no county picker
    prefecture = web("zhou").get("/progress", county=other, year="2021")
    assert f"{csv}{other}" in prefecture.text and 'name="county"' in prefecture.text


@pytest.mark.parametrize("role", ROLES)
def test_the_map(web: WebFactory, session: Session, role: str) -> None:
    response = web(role).get("/map")
    if role not in COORDINATORS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert "<svg" in response.text
    for name in session.scalars(select(County.name)):
        assert name in response.text, name


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("zhou", 200),
        ("county", 403),  # the files cover the whole prefecture
        ("site1", 403),
        ("site2", 403),
        ("talent1", 403),
        ("talent2", 403),
    ],
)
def test_the_exports_page_and_files(web: WebFactory, api: Api, role: str, status: int) -> None:
    need = api.post_need("site1", "页面测试：导出的需求")
    browser = web(role)
    page = browser.get("/exports")
    assert page.status_code == status
    csv = browser.get("/exports/needs.csv")
    assert csv.status_code == status
    if status != 200:
        assert need["title"] not in csv.text
        return
    for kind in ("matches", "needs", "talents", "sites"):
        assert f'href="/exports/{kind}.csv"' in page.text
        assert f'href="/exports/{kind}.xlsx"' in page.text
    assert csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    assert "页面测试：导出的需求" in csv.text
    xlsx = browser.get("/exports/needs.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    assert sheet is not None
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert "页面测试：导出的需求" in cells


@pytest.mark.parametrize("path", ["/exports/secrets.csv", "/exports/needs.pdf"])
def test_an_unknown_export_is_404(web: WebFactory, path: str) -> None:
    assert web("zhou").get(path).status_code == 404


def test_progress_for_an_unknown_county_is_a_plain_sentence_not_an_empty_table(
    web: WebFactory, api: Api
) -> None:
    response = web("zhou").get("/progress", county="999999", year="2021")
    assert response.status_code == 422
    assert "没有这个县市" in response.text
    assert "progress-table" not in response.text, "no table that reads as nothing achieved"
    visible = re.sub(r"<[^>]+>", " ", response.text)  # links may carry the query
    assert "999999" not in visible, "the page shows no code"
    refused = api.http.get(
        "/api/v1/programmes/progress", params={"county": "999999"}, headers=api.headers("zhou")
    )
    assert refused.status_code == 422
    (field,) = refused.json()["error"]["fields"]
    assert (field["field"], field["value"]) == ("county", "999999")
    assert "532322" in field["message"], "the expected county codes are named"
    csv = api.http.get(
        "/api/v1/programmes/progress.csv", params={"county": "x"}, headers=api.headers("zhou")
    )
    assert csv.status_code == 422


def test_progress_names_its_area_and_year_and_lists_each_target_once(web: WebFactory) -> None:
    import re as _re

    county = web("county").get("/progress", year="2021")
    assert county.status_code == 200
    heading = _re.search(r'data-test="progress-heading">([^<]+)<', county.text)
    assert heading and "双柏县" in heading.group(1) and "2021" in heading.group(1)
    whole = web("zhou").get("/progress", year="2021").text
    assert "全州 2021 年目标进度" in whole
    chart = whole.split('<ol class="bullets"', 1)[1].split("</ol>", 1)[0]
    labels = _re.findall(r'<span class="b-label">([^<]+)</span>', chart)
    assert labels and len(labels) == len(set(labels))  # one row per target
    assert not any(label.endswith("…") for label in labels)  # labels whole, never cut


def test_the_map_has_a_legend_and_details_without_script(web: WebFactory) -> None:
    page = web("zhou").get("/map").text
    assert 'data-test="map-legend"' in page
    for words in ("县城", "有开放需求的乡镇", "暂无开放需求的乡镇", "贫困乡镇"):
        assert words in page
    assert page.count('data-test="county-details"') == 10
    assert "<title>" in page.split('class="map"', 1)[1]  # hover names each mark


def test_the_progress_note_names_the_area_inside_its_sentence(web: WebFactory) -> None:
    english = web("zhou").get("/progress", year="2021", lang="en").text
    assert "The figures below cover the whole prefecture in 2021 only." in english
    chinese = web("zhou").get("/progress", year="2021", lang="zh-CN").text
    assert "全州" in chinese
