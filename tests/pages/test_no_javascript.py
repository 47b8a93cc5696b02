"""The pages work with JavaScript switched off (issue 13, item 9): a clerk signs in, posts a
need, sees the ranked candidates and proposes one, switches language, meets an error page
that keeps her menu, and signs out — all by plain links and form posts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from service.i18n import translate
from tests.pages import code_scanner
from tests.pages.conftest import PASSWORD, SCREENSHOTS, LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("390", PHONE), ("1366", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_clerk_works_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(
        java_script_enabled=False,
        viewport=DESKTOP,
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    found: list[str] = []

    def scan(route: Any) -> None:  # every page goes through the code scanner
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)  # the browser follows redirects itself
        body = response.body()
        where = f"{route.request.method} {route.request.url}"
        kind = response.headers.get("content-type", "")
        found.extend(code_scanner.scan_response(kind, body, where, "zh-CN"))
        route.fulfill(response=response, body=body)

    context.route("**/*", scan)
    page = context.new_page()
    page.set_default_timeout(60_000)
    zh = lambda key: translate(key, "zh-CN")  # noqa: E731
    try:
        page.goto(live_server.url + "/login")
        page.get_by_label(zh("login.username"), exact=True).fill("site1")
        page.get_by_label(zh("login.password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=zh("login.submit")).click()
        page.wait_for_url(re.compile(r".*/$"))

        page.get_by_role("link", name=zh("nav.new_need")).first.click()
        page.wait_for_url(re.compile(r".*/needs/new$"))
        start = date.today() + timedelta(days=15)
        page.get_by_label(zh("need.title"), exact=True).fill("无脚本测试：核桃修剪现场指导")
        page.get_by_label(zh("need.description"), exact=True).fill(
            "合作社的核桃需要修剪和病虫害防治，请农技专家到现场指导并培训社员。"
        )
        page.get_by_label(zh("need.mode"), exact=True).select_option("onsite_short")
        # Without script the skill groups are <details>: opened by a click on the summary.
        page.locator("#f-skills details").first.locator("summary").click()
        page.locator('input[name=skills][value="agri.crop"]').check()
        page.get_by_label(zh("need.start_date"), exact=True).fill(start.isoformat())
        page.get_by_label(zh("need.end_date"), exact=True).fill(
            (start + timedelta(days=90)).isoformat()
        )
        page.get_by_label(zh("need.headcount"), exact=True).fill("1")
        page.get_by_label(zh("need.days_needed"), exact=True).fill("8")
        page.get_by_role("button", name=zh("needform.submit")).click()
        page.wait_for_url(re.compile(r".*/needs/\d+$"))
        need_url = page.url
        cards = page.locator("li.candidate")
        assert cards.count() > 0, "no candidates without JavaScript"
        cards.first.get_by_role("button", name=zh("cand.propose")).click()
        page.wait_for_load_state()
        assert page.url.startswith(need_url.split("#")[0]) or "/matches/" in page.url

        page.goto(need_url + "?lang=en")
        assert page.locator("html").get_attribute("lang") == "en"
        page.goto(live_server.url + "/needs/987654321")
        assert page.get_by_role("link", name=translate("nav.my_needs", "en")).count() > 0
        assert page.get_by_role("button", name=re.compile(translate("nav.logout", "en"))).count()
        _shoot(page, "error-signed-in-en")
        page.goto(live_server.url + "/needs/987654321?lang=zh-CN")
        _shoot(page, "error-signed-in-zh-CN")
        page.get_by_role("button", name=re.compile(zh("nav.logout"))).click()
        page.wait_for_load_state()
        page.goto(live_server.url + "/needs")
        assert "/login" in page.url
        code_scanner.report(found)
    finally:
        context.close()
