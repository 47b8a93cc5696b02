"""Searching and browsing needs (issue 13, item 4): keywords over Chinese text and skill
names, place, mode, status and date filters, page numbers, the site and county on every
card; talents browse open needs and see which fit them; why-not by name."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Need, Site, Talent, User
from service.usecases.need_search import page_numbers, search_terms
from tests.pages.conftest import WebFactory
from tests.pages.web import Api

NEEDLE = "搜索测试：乌龙河片区"


def _titles(page_html: str) -> list[str]:
    return [
        html.unescape(t)
        for t in re.findall(r'class="card-title"><a href="/needs/\d+">([^<]*)<', page_html)
    ]


def test_search_terms_are_normalised_and_split() -> None:
    assert search_terms("  儿科，全科医学  ＡＢＣ ") == ["儿科", "全科医学", "abc"]
    assert search_terms("") == []
    assert len(search_terms(" ".join(str(i) for i in range(20)))) == 8


def test_page_numbers_show_first_last_and_neighbours() -> None:
    assert page_numbers(0, 0, 20) == [1]
    assert page_numbers(100, 0, 20) == [1, 2, 3, 4, 5]
    assert page_numbers(1000, 400, 20) == [1, None, 19, 20, 21, 22, 23, None, 50]


def test_keyword_search_finds_every_term_in_title_text_or_skill_name(
    web: WebFactory, api: Api
) -> None:
    api.post_need("site1", f"{NEEDLE}核桃修剪", skills=["agri.plant_protection"])
    api.post_need("site1", f"{NEEDLE}烤烟", skills=["agri.tobacco"])
    browser = web("site1")
    both = _titles(browser.get("/needs", q="乌龙河片区").text)
    assert both == [f"{NEEDLE}烤烟", f"{NEEDLE}核桃修剪"]
    # "植物保护" is the skill's name only: the need's own words never say it.
    by_skill = _titles(browser.get("/needs", q="乌龙河片区 植物保护").text)
    assert by_skill == [f"{NEEDLE}核桃修剪"]
    # Every term must match; full-width input is normalised.
    assert _titles(browser.get("/needs", q="乌龙河片区，烤烟").text) == [f"{NEEDLE}烤烟"]
    none = browser.get("/needs", q="乌龙河片区 不存在的词语").text
    assert _titles(none) == [] and "没有符合条件的需求" in none
    # LIKE wildcards are searched for literally: as a wildcard "%" would match both needs.
    assert _titles(browser.get("/needs", q=f"{NEEDLE}%").text) == []


def test_cards_name_the_site_and_county(web: WebFactory, api: Api, session: Session) -> None:
    need = api.post_need("site1", f"{NEEDLE}单位与县名")
    site = session.get(Site, session.get(Need, need["id"]).site_id)  # type: ignore[union-attr]
    assert site is not None
    county = session.get(County, site.county_code)
    assert county is not None
    page = web("county").get("/needs", q="单位与县名").text
    card = page[page.index('data-test="need-site"') :][:400]
    assert html.escape(site.name, quote=False) in card and county.name in card
    english = web("county").get("/needs", q="单位与县名", lang="en").text
    assert county.name_en in english


def test_filters_by_county_mode_status_and_dates(
    web: WebFactory, api: Api, session: Session
) -> None:
    start = date.today() + timedelta(days=40)
    api.post_need(
        "site1",
        f"{NEEDLE}远程",
        mode="remote",
        start_date=start.isoformat(),
        end_date=(start + timedelta(days=30)).isoformat(),
    )
    api.post_need("site1", f"{NEEDLE}短期驻点")
    browser = web("zhou")
    assert _titles(browser.get("/needs", q=NEEDLE, mode="remote").text) == [f"{NEEDLE}远程"]
    late = (start - timedelta(days=1)).isoformat()
    assert _titles(browser.get("/needs", q=NEEDLE, **{"from": late}).text) == [f"{NEEDLE}远程"]
    early_end = (start + timedelta(days=31)).isoformat()
    assert _titles(browser.get("/needs", q=NEEDLE, to=early_end).text) == [f"{NEEDLE}远程"]
    assert _titles(browser.get("/needs", q=NEEDLE, status="closed").text) == []
    county = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    other = session.scalars(select(County.code).where(County.code != county)).first()
    assert len(_titles(browser.get("/needs", q=NEEDLE, county=county).text)) == 2
    assert _titles(browser.get("/needs", q=NEEDLE, county=other).text) == []
    bad = browser.get("/needs", q=NEEDLE, to="2021-13-45")
    assert bad.status_code == 200 and "2021-13-45" in bad.text  # the value is named


def test_page_numbers_link_every_page(web: WebFactory) -> None:
    first = web("admin").get("/needs").text
    assert 'aria-current="page">1<' in first
    assert re.search(r'href="/needs\?page=2">2<', first)
    second = web("admin").get("/needs", page="2").text
    assert 'aria-current="page">2<' in second
    assert set(_titles(first)).isdisjoint(_titles(second)) or _titles(first) != _titles(second)


def test_a_talent_browses_open_needs_and_sees_which_fit(web: WebFactory, api: Api) -> None:
    api.post_need("site1", f"{NEEDLE}人才浏览")
    browser = web("talent1")
    page = browser.get("/needs")
    assert page.status_code == 200 and "浏览需求" in page.text
    fitting = browser.get("/needs", fits="1")
    assert fitting.status_code == 200
    cards = fitting.text.count('data-test="need-card"')
    assert cards == fitting.text.count('data-test="fits"')  # only fitting needs listed
    assert 'href="/needs"' in page.text  # the talent's menu offers browsing


def test_why_not_by_name(web: WebFactory, api: Api, session: Session) -> None:
    need = api.post_need("site1", f"{NEEDLE}按姓名查询")["id"]
    talent_id = api.candidate("site1", need)
    name = session.execute(select(Talent.name).where(Talent.id == talent_id)).scalar_one()
    browser = web("county")
    found = browser.get(f"/needs/{need}/why-not", who=name)
    assert found.status_code == 200
    assert (
        f'data-talent-id="{talent_id}"' in found.text and name in found.text
    ) or 'data-test="whynot-choices"' in found.text
    names = browser.get(f"/needs/{need}/talent-names", q=name)
    assert names.status_code == 200
    assert name in {item["value"] for item in names.json()["items"]}
    missing = browser.get(f"/needs/{need}/why-not", who="查无此人甲乙丙")
    assert missing.status_code == 404 and "查无此人甲乙丙" in missing.text
    assert "请填写整数" not in missing.text


def test_site_staff_find_only_their_candidates_by_name(web: WebFactory, api: Api) -> None:
    need = api.post_need("site1", f"{NEEDLE}候选人范围")["id"]
    found = web("site1").get(f"/needs/{need}/talent-names", q="a").json()["items"]
    ranked = api.call("GET", f"/api/v1/needs/{need}/candidates", "site1", params={"k": 100})
    allowed = {c["talent"]["name"] for c in ranked}
    assert {item["value"] for item in found} <= allowed | set()
    assert web("site2").get(f"/needs/{need}/talent-names", q="a").status_code == 404


def test_the_api_searches_with_the_same_words(api: Api) -> None:
    api.post_need("site1", f"{NEEDLE}接口搜索", skills=["agri.plant_protection"])
    found = api.call("GET", "/api/v1/needs", "site1", params={"q": "接口搜索 植物保护"})
    assert [n["title"] for n in found["items"]] == [f"{NEEDLE}接口搜索"]
