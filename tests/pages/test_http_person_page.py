"""The person behind a candidate (issue 13, item 3), the plain reasons beside each
candidate and the glossary that explains them (item 2): who may open a person page (others
get 404, as for any record), contacts only after approval, no raw similarity numbers,
why-not never mixed with why-recommended."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, Need, Site, Talent, User
from service.i18n import translate
from service.usecases.explain import GLOSSARY
from tests.pages.conftest import WebFactory
from tests.pages.web import Api, Pairing, make_pairing

TITLE = "页面测试：卫生院需要儿科医生每周坐诊两天"
RAW = re.compile(r"语义相似度|用词重合度|semantic similarity|shared wording|匹配度 \d\.\d\d")


@pytest.fixture
def proposed(api: Api) -> Pairing:
    return make_pairing(api, TITLE, until="proposed")


def _person(web: WebFactory, who: str, talent_id: int, need_id: int | None = None) -> int:
    params = {"need": str(need_id)} if need_id is not None else {}
    return web(who).get(f"/talents/{talent_id}", **params).status_code


def test_candidates_show_a_fit_out_of_100_plain_reasons_and_the_person(
    web: WebFactory, api: Api
) -> None:
    need = api.post_need("site1", TITLE)
    page = web("site1").get(f"/needs/{need['id']}").text
    fits = [int(f) for f in re.findall(r'data-fit="(\d+)"', page)]
    assert fits and all(0 <= f <= 100 for f in fits)
    assert 'class="reasons top-reasons"' in page
    items = re.findall(r'<ul class="reasons top-reasons">(.*?)</ul>', page, re.S)
    assert all(1 <= item.count("<li") <= 3 for item in items)
    assert RAW.search(page) is None
    assert re.search(rf'href="/talents/\d+\?need={need["id"]}"', page)
    assert 'href="/help/reasons"' in page


def test_the_site_opens_the_person_behind_its_candidate(
    web: WebFactory, api: Api, session: Session
) -> None:
    need = api.post_need("site1", TITLE)
    talent_id = api.candidate("site1", need["id"])
    talent = session.get(Talent, talent_id)
    assert talent is not None
    response = web("site1").get(f"/talents/{talent_id}", need=str(need["id"]))
    assert response.status_code == 200
    page = response.text
    assert html.escape(talent.name, quote=False) in page
    assert html.escape(talent.bio, quote=False)[:20] in page
    assert 'data-test="availability"' in page and 'data-test="load"' in page
    assert 'data-test="fit"' in page and RAW.search(page) is None
    assert 'data-test="contact-hidden"' in page
    if talent.phone:
        assert talent.phone not in page


def test_who_may_open_a_person_page(web: WebFactory, api: Api, session: Session) -> None:
    need = api.post_need("site1", TITLE)
    talent_id = api.candidate("site1", need["id"])
    # site2 does not own the need: the same link is a missing record to it
    assert _person(web, "site2", talent_id, need["id"]) == 404
    # without a need of its own in front of it, a site cannot browse people
    assert _person(web, "site1", talent_id) == 404
    assert _person(web, "site1", talent_id, need["id"]) == 200
    assert _person(web, "zhou", talent_id) == 200
    assert _person(web, "admin", talent_id) == 200
    # a talent opens only themself
    own = api.me("talent1")["talent_id"]
    other = api.me("talent2")["talent_id"]
    assert _person(web, "talent1", own) == 200
    assert _person(web, "talent1", other) == 404
    assert _person(web, "site1", 999_999_999, need["id"]) == 404


def test_a_county_coordinator_stays_in_the_county(
    web: WebFactory, api: Api, session: Session
) -> None:
    county = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    in_county = (
        select(Match.id)
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .where(Match.talent_id == Talent.id, Site.county_code == county)
        .exists()
    )
    outsider = session.scalars(
        select(Talent.id).where(
            Talent.home_county_code != county, Talent.active.is_(True), ~in_county
        )
    ).first()
    assert outsider is not None
    assert _person(web, "zhou", outsider) == 200
    assert _person(web, "county", outsider) == 404
    # A candidate of a need in the county opens from that need, wherever they are from.
    need = api.post_need("site1", TITLE + "（县协调员）")
    candidate = api.candidate("county", need["id"])
    assert _person(web, "county", candidate, need["id"]) == 200


def test_contacts_show_only_after_approval(web: WebFactory, api: Api, session: Session) -> None:
    pairing = make_pairing(api, TITLE + "（联系方式）", until="accepted")
    url = f"/talents/{pairing.talent_id}"
    before = web("site1").get(url, need=str(pairing.need_id)).text
    assert 'data-test="contact-hidden"' in before and 'data-test="contact"' not in before
    api.act(pairing.match_id, "approve", "county")
    after = web("site1").get(url, need=str(pairing.need_id)).text
    assert 'data-test="contact"' in after
    talent = session.get(Talent, pairing.talent_id)
    assert talent is not None
    if talent.phone:
        assert talent.phone in after
    # the match now leads to the person as well
    assert f'href="/talents/{pairing.talent_id}?need={pairing.need_id}"' in (
        web("site1").get(f"/needs/{pairing.need_id}").text
    )


def test_why_not_lists_only_what_fails(web: WebFactory, api: Api, session: Session) -> None:
    need = api.post_need("site1", TITLE + "（正高）", min_title_level=5)
    junior = session.scalars(
        select(Talent.id).where(Talent.title_level < 5, Talent.active.is_(True))
    ).first()
    assert junior is not None
    page = web("zhou").get(f"/needs/{need['id']}/why-not", talent_id=str(junior)).text
    assert translate("whynot.fails", "zh-CN") in page
    assert translate("cand.why", "zh-CN") not in page  # never "为什么推荐" beside a failure
    assert "高出要求" not in page and RAW.search(page) is None
    assert "#" + str(junior) not in page


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_glossary_explains_every_reason(web: WebFactory, locale: str) -> None:
    response = web(None).get("/help/reasons", lang=locale)
    assert response.status_code == 200
    for entry in GLOSSARY:
        assert html.escape(translate(entry.name_key, locale), quote=False) in response.text
        assert f'id="reason-{entry.feature}"' in response.text
    assert html.escape(translate("glossary.fit.h", locale), quote=False) in response.text


def test_a_run_report_leads_to_the_people_it_proposed(
    web: WebFactory, api: Api, session: Session
) -> None:
    county = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    api.post_need("site1", TITLE + "（批量）")
    run = api.call("POST", "/api/v1/runs", "county", json={"county": county})
    page = web("county").get(f"/runs/{run['id']}").text
    proposed = session.scalars(select(Match).where(Match.run_id == run["id"])).all()
    assert proposed, "a run over the county proposes someone"
    pairs = {(m.talent_id, m.need_id) for m in proposed}
    links = re.findall(r'href="/talents/(\d+)\?need=(\d+)"', page)
    assert links and {(int(t), int(n)) for t, n in links} <= pairs
    for talent_id, need_id in links[:3]:
        assert _person(web, "county", int(talent_id), int(need_id)) == 200
    fits = [int(f) for f in re.findall(r'data-fit="(\d+)"', page)]
    assert fits and all(0 <= f <= 100 for f in fits)
    # and the matches list leads there too
    listing = web("county").get("/matches").text
    assert re.search(r'href="/talents/\d+\?need=\d+"', listing)
