"""The candidate list, the person page and the queue in a real browser, in both
languages, at a phone (390 px) and a desktop (1366 px) width (issue 13, items 2, 3 and
5): each candidate shows a fit out of 100 and at most three plain reasons, the name leads
to the person, the queue shows fit and reasons and says what happened to each item.
Screenshots land in test-artifacts/screenshots/explain-*.png."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from service.i18n import translate
from tests.pages import code_scanner
from tests.pages.conftest import SCREENSHOTS, LiveServer
from tests.pages.test_journey import tabs  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

SIZES = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}
RAW = re.compile(r"语义相似度|用词重合度|semantic similarity|shared wording|\b\d\.\d{2}\b")


def _shoot(tab: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in SIZES.items():
        tab.page.set_viewport_size(size)
        tab.page.screenshot(
            path=str(SCREENSHOTS / f"explain-{name}-{tab.locale}-{label}.png"), full_page=True
        )
        if label == "390":
            overflow = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} overflows a 390-px phone by {overflow} px"
    tab.page.set_viewport_size(SIZES["1366"])


def _post_need(server: LiveServer) -> int:
    from models import User
    from models.schemas.need import NeedCreate
    from service.actor import Actor
    from service.usecases import needs

    start = date.today() + timedelta(days=10)
    with server.session() as session:
        user = session.scalars(select(User).where(User.username == "site1")).one()
        need = needs.create(
            session=session,
            actor=Actor.of(user),
            data=NeedCreate(
                title="卫生院需要儿科医生每周坐诊两天",
                description="乡镇卫生院儿科门诊缺医生，希望每周来坐诊两天，兼顾全科常见病。",
                skills=["health.pediatrics", "health.general_practice"],
                mode="onsite_short",
                start_date=start,
                end_date=start + timedelta(days=120),
                headcount=2,
                days_needed=10,
            ),
        )
        return need.id


def _accepted(server: LiveServer, need_id: int, talent_ids: list[int]) -> None:
    """The talents said yes by phone (recorded by the county coordinator) and the site
    accepted them: they wait in the county coordinator's queue."""
    from models import User
    from service.actor import Actor
    from service.usecases import interest, matches

    with server.session() as session:
        county = Actor.of(session.scalars(select(User).where(User.username == "county")).one())
        site = Actor.of(session.scalars(select(User).where(User.username == "site1")).one())
        for talent_id in talent_ids:
            match = interest.record(
                session=session, actor=county, need_id=need_id, talent_id=talent_id, channel="phone"
            )
            matches.transition(session=session, actor=site, match_id=match.id, action="accept")


def _candidates_read_plainly(clerk: Any) -> list[int]:
    """Each card: a fit within 0–100, one to three plain reasons, no raw number."""
    cards = clerk.page.locator("li.candidate")
    assert cards.count() >= 3
    for i in range(cards.count()):
        card = cards.nth(i)
        fit = int(card.locator("[data-fit]").get_attribute("data-fit") or "-1")
        assert 0 <= fit <= 100
        assert 1 <= card.locator(".top-reasons li").count() <= 3
        assert RAW.search(card.inner_text()) is None, card.inner_text()
    _shoot(clerk, "candidates")
    return [int(cards.nth(i).get_attribute("data-talent-id") or 0) for i in range(2)]


def _queue_reads_plainly(coordinator: Any) -> None:
    items = coordinator.page.locator("li.queue-item")
    assert items.count() >= 2
    for i in range(items.count()):
        item = items.nth(i)
        assert item.locator("[data-fit]").count() == 1
        assert item.locator("[data-test=person-link]").count() == 1
    _shoot(coordinator, "queue")


def _reject_both(coordinator: Any, need_id: int, ids: list[int], locale: str) -> None:
    """Tick both, reject with a reason, confirm; the result names each outcome and the
    form starts afresh. Items are found by talent and need: the same talents may wait
    for another locale's need in this shared server's queue."""
    page = coordinator.page
    for talent_id in ids:
        row = page.locator("li.queue-item").filter(
            has=page.locator(f'a[href="/talents/{talent_id}?need={need_id}"]')
        )
        row.locator("input[name=match_ids]").check()
    page.get_by_role("radio", name=translate("action.reject", locale)).check()
    # The coordinator's own words: shown as typed to people reading either language.
    page.locator("#f-reason").fill(
        code_scanner.typed("时间冲突" if locale == "zh-CN" else "dates clash")
    )
    page.get_by_role("button", name=translate("queue.submit", locale)).click()
    page.wait_for_selector("[data-test=confirm]")
    _shoot(coordinator, "queue-confirm")
    page.locator("[data-test=confirm-yes]").click()
    page.wait_for_selector("[data-test=results]")
    done = page.locator("[data-test=results] li.ok")
    assert done.count() == 2
    assert all(translate("queue.rejected", locale) in done.nth(i).inner_text() for i in range(2))
    assert page.locator("input[name=decision]:checked").count() == 0
    reason = page.locator("#f-reason")
    assert reason.count() == 0 or reason.input_value() == ""
    _shoot(coordinator, "queue-result")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_pages_read_plainly(tabs: Any, live_server: LiveServer, locale: str) -> None:  # noqa: F811
    need_id = _post_need(live_server)
    clerk = tabs(locale)
    clerk.login("site1")
    clerk.go(f"/needs/{need_id}")
    ids = _candidates_read_plainly(clerk)

    # the name leads to the person
    clerk.page.locator("li.candidate").first.locator("[data-test=person-link]").click()
    clerk.page.wait_for_url(re.compile(r".*/talents/\d+\?need=\d+$"))
    assert clerk.page.locator("[data-test=bio]").inner_text().strip()
    assert clerk.page.locator("[data-test=contact-hidden]").is_visible()
    assert clerk.page.locator("[data-test=fit] [data-fit]").count() == 1
    _shoot(clerk, "person")

    # the glossary explains the reasons
    clerk.page.get_by_role("link", name=translate("fit.help", locale)).first.click()
    clerk.page.wait_for_url(re.compile(r".*/help/reasons$"))
    _shoot(clerk, "glossary")

    # the county coordinator's work list
    _accepted(live_server, need_id, ids)
    coordinator = tabs(locale)
    coordinator.login("county")
    coordinator.go("/queue")
    _queue_reads_plainly(coordinator)
    _reject_both(coordinator, need_id, ids, locale)
