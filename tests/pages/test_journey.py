"""The whole pairing journey through the pages alone, in headless Chromium: a clerk posts
a need and sees explained candidates, the talent shows interest, the clerk accepts, the
county coordinator approves, both sides see each other's contacts, the clerk starts the
service and the programme progress counts it. Once in Chinese (the default) and once in
English. Each main page is photographed at phone and desktop widths."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from service.i18n import translate
from tests.pages import code_scanner
from tests.pages.conftest import PASSWORD, SCREENSHOTS, LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
# The need counts toward 技术人员到生产一线 (technicians_frontline): agronomy fields, an
# on-site short mode and one of these talent categories.
COUNTING_CATEGORIES = {"professional_technician", "expert", "agri_advisor", "retired_technician"}
PROGRAMME = "technicians_frontline"
# A talents sheet with a blank name, an unknown category and missing required columns.
BAD_TALENTS_CSV = "编号(external_id),姓名(name),类别(category)\nt-x,,不存在的类别\n"


class Tab:
    """One signed-in browser context with a watch on console errors and failed requests;
    ``allow`` marks the statuses a step provokes on purpose (a form with bad input)."""

    def __init__(self, browser: Any, server: LiveServer, locale: str) -> None:
        self.server = server
        self.locale = locale
        accept = "en" if locale == "en" else "zh-CN,zh;q=0.9"
        self.context = browser.new_context(
            viewport=DESKTOP, extra_http_headers={"Accept-Language": accept}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.problems: list[str] = []
        self.allowed: set[int] = set()
        self.page.on("console", self._console)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)
        # Every page this tab opens goes through the code scanner (issue 13).
        self.context.route("**/*", self._scan)

    def _scan(self, route: Any) -> None:
        request = route.request
        if request.resource_type != "document":
            route.continue_()
            return
        # Redirects are not followed here: the browser follows them itself, so its URL
        # stays true (a followed redirect would leave the tab on the form's address).
        response = route.fetch(max_redirects=0)
        body = response.body()
        code_scanner.report(
            code_scanner.scan_response(
                response.headers.get("content-type", ""),
                body,
                f"{request.method} {request.url.removeprefix(self.server.url)}",
                self.locale,
            )
        )
        route.fulfill(response=response, body=body)

    def _request_failed(self, request: Any) -> None:
        # A navigation cancels what the page it leaves was still fetching (its favicon,
        # say): Chromium reports that as net::ERR_ABORTED, which is not a broken request.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"failed {request.url}: {request.failure}")

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Chromium reports a 4xx document as a console error; deliberate ones are allowed.
        found = re.search(r"status of (\d+)", message.text)
        if found and int(found.group(1)) in self.allowed:
            return
        self.problems.append(f"console: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.allowed:
            self.problems.append(f"{response.status} {response.url}")

    def t(self, key: str, **params: Any) -> str:
        text = translate(key, self.locale)
        return text.format(**params) if params else text

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def login(self, username: str) -> None:
        self.go("/login")
        self.page.get_by_label(self.t("login.username"), exact=True).fill(username)
        self.page.get_by_label(self.t("login.password"), exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name=self.t("login.submit")).click()
        self.page.wait_for_url(re.compile(r".*/$"))

    def shoot(self, name: str) -> None:
        """Full-page screenshots at a 360-px phone and a 1280-px desktop width."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            self.page.set_viewport_size(size)
            self.page.screenshot(
                path=str(SCREENSHOTS / f"{name}-{self.locale}-{label}.png"), full_page=True
            )
            # Nothing may overflow sideways on a phone: the clerk would have to pan.
            if label == "phone":
                overflow = self.page.evaluate(
                    "document.documentElement.scrollWidth - window.innerWidth"
                )
                assert overflow <= 1, f"{name} overflows a 360-px screen by {overflow}px"
        self.page.set_viewport_size(DESKTOP)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


@pytest.fixture
def tabs(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    opened: list[Tab] = []

    def open_tab(locale: str) -> Tab:
        tab = Tab(browser, live_server, locale)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


def _account_for(server: LiveServer, talent_id: int, username: str) -> None:
    """Give the chosen candidate a login: in real life the talent registered earlier."""
    from models.enums import Role
    from service.usecases import accounts

    with server.session() as session:
        if accounts.get_by_username(session=session, username=username) is None:
            accounts.create(
                session=session,
                username=username,
                password=PASSWORD,
                role=Role.TALENT,
                display_name=username,
                talent_id=talent_id,
            )
            session.commit()


def _achieved(tab: Tab) -> int:
    tab.go(f"/progress?year={date.today().year}")
    cell = tab.page.locator(f'tr[data-programme="{PROGRAMME}"] td.achieved').first
    return int(cell.inner_text().strip())


def _matches_behind(tab: Tab) -> set[str]:
    """The ids of the matches behind the line's count (the progress page's cell title)."""
    tab.go(f"/progress?year={date.today().year}")
    cell = tab.page.locator(f'tr[data-programme="{PROGRAMME}"] td.matches').first
    return set((cell.get_attribute("title") or "").split())


def _journey(tabs: Any, server: LiveServer, locale: str, clerk_name: str, title: str) -> None:
    clerk, talent, coordinator = tabs(locale), tabs(locale), tabs(locale)
    if locale == "en":
        # The toggle sets a cookie, so the choice sticks across pages.
        clerk.go("/?lang=en")
        assert clerk.page.locator("html").get_attribute("lang") == "en"

    coordinator.login("county")
    before = _achieved(coordinator)

    # -- a clerk posts a need; bad input first ---------------------------------------
    clerk.login(clerk_name)
    clerk.go("/needs/new")
    form = clerk.page
    form.get_by_label(clerk.t("need.start_date"), exact=True).fill("2026-05-01")
    form.get_by_label(clerk.t("need.end_date"), exact=True).fill("2026-04-01")
    form.get_by_label(clerk.t("need.headcount"), exact=True).fill("0")
    clerk.allowed.add(422)
    form.get_by_role("button", name=clerk.t("needform.submit")).click()
    form.wait_for_selector(".field-error")
    errors = {
        name: form.locator(f"#err-{name}").inner_text()
        for name in ("title", "description", "end_date", "headcount")
    }
    assert errors == {
        "title": clerk.t("form.err.required"),
        "description": clerk.t("form.err.required"),
        "end_date": clerk.t("form.err.end_before_start"),
        "headcount": clerk.t("form.err.min", ge=1),
    }
    if locale == "zh-CN":
        assert errors["end_date"] == "结束日期不能早于开始日期"
        assert form.get_by_text("请修改下面标出的内容后再提交。").is_visible()
    assert form.locator("#f-title").get_attribute("aria-invalid") == "true"
    clerk.shoot("need-form-errors")

    start = date.today() + timedelta(days=20)
    form.get_by_label(clerk.t("need.title"), exact=True).fill(title)
    form.get_by_label(clerk.t("need.description"), exact=True).fill(
        "合作社的野生菌和核桃出现病虫害，需要植保专家到现场指导防治，并培训社员。"
    )
    form.get_by_label(clerk.t("need.mode"), exact=True).select_option("onsite_short")
    form.locator("#f-skills details").first.locator("summary").click()
    form.locator('input[name=skills][value="agri.plant_protection"]').check()
    form.locator('input[name=skills][value="agri.crop"]').check()
    form.get_by_label(clerk.t("need.start_date"), exact=True).fill(start.isoformat())
    form.get_by_label(clerk.t("need.end_date"), exact=True).fill(
        (start + timedelta(days=120)).isoformat()
    )
    form.get_by_label(clerk.t("need.headcount"), exact=True).fill("1")
    form.get_by_label(clerk.t("need.days_needed"), exact=True).fill("10")
    form.get_by_label(clerk.t("need.programme_code"), exact=True).select_option(PROGRAMME)
    form.get_by_role("button", name=clerk.t("needform.submit")).click()
    form.wait_for_url(re.compile(r".*/needs/\d+$"))
    need_path = form.url.removeprefix(server.url)

    # -- ranked candidates with their reasons ----------------------------------------
    cards = form.locator("li.candidate")
    assert cards.count() > 0
    assert form.get_by_text(clerk.t("cand.why")).first.is_visible()
    assert cards.first.locator(".reasons li").count() > 0
    clerk.shoot("need-candidates")
    chosen = None
    for i in range(cards.count()):
        card = cards.nth(i)
        taken = card.get_by_role("link", name=re.compile(clerk.t("talent.see_match"))).count()
        if card.get_attribute("data-category") in COUNTING_CATEGORIES and not taken:
            chosen = card
            break
    assert chosen is not None, "no candidate of a category the target counts"
    talent_id = int(chosen.get_attribute("data-talent-id") or 0)
    chosen.get_by_role("link", name=clerk.t("cand.constraints")).click()
    form.wait_for_url(re.compile(r".*/why-not\?talent_id=\d+"))
    assert form.get_by_text(clerk.t("whynot.feasible")).is_visible()
    clerk.shoot("why-not")

    # -- the talent expresses interest -------------------------------------------------
    username = f"cand-{locale}-{talent_id}"
    _account_for(server, talent_id, username)
    talent.login(username)
    talent.go("/suggestions")
    talent.shoot("suggestions")
    talent.go("/profile")
    talent.shoot("profile")
    talent.go(need_path)
    talent.page.get_by_role("button", name=talent.t("talent.interest")).click()
    talent.page.wait_for_url(re.compile(r".*/matches/\d+$"))
    match_path = talent.page.url.removeprefix(server.url)
    status = talent.page.locator("[data-test=status]")
    assert status.inner_text() == talent.t("status.interested")
    assert talent.page.locator("[data-test=site-contact]").count() == 0

    # -- the clerk accepts -------------------------------------------------------------
    clerk.go("/matches")
    clerk.shoot("matches")
    clerk.page.locator(f'a[href="{match_path}"]').first.click()
    clerk.page.get_by_role("button", name=clerk.t("action.accept")).click()
    clerk.page.wait_for_url(re.compile(r".*/matches/\d+$"))
    assert clerk.page.locator("[data-test=status]").inner_text() == clerk.t("status.accepted")
    assert clerk.page.locator("[data-test=talent-contact]").count() == 0

    # -- the coordinator approves from the queue (a rejection without reason is refused)
    coordinator.go("/queue")
    match_id = match_path.rsplit("/", 1)[1]
    box = coordinator.page.locator(f'input[name=match_ids][value="{match_id}"]')
    box.check()
    coordinator.page.get_by_role("radio", name=coordinator.t("action.reject")).check()
    coordinator.allowed.add(422)
    coordinator.page.get_by_role("button", name=coordinator.t("queue.submit")).click()
    assert coordinator.page.locator("#err-reason").inner_text() == coordinator.t("queue.err.reason")
    coordinator.page.locator(f'input[name=match_ids][value="{match_id}"]').check()
    coordinator.page.get_by_role("radio", name=coordinator.t("action.approve")).check()
    coordinator.page.get_by_role("button", name=coordinator.t("queue.submit")).click()
    # A bulk decision is confirmed first; the result names the outcome, not a number.
    coordinator.page.locator("[data-test=confirm-yes]").click()
    coordinator.page.wait_for_selector(".card[role=status]")
    assert (
        coordinator.page.locator("li.ok").filter(has_text=coordinator.t("queue.approved")).count()
        == 1
    )
    assert coordinator.page.locator("input[name=decision]:checked").count() == 0
    coordinator.shoot("queue")

    # -- both sides now see each other's contacts ----------------------------------------
    talent.go(match_path)
    assert talent.page.locator("[data-test=status]").inner_text() == talent.t("status.approved")
    assert talent.page.locator("[data-test=site-contact]").is_visible()
    talent.shoot("match-talent")
    clerk.go(match_path)
    assert clerk.page.locator("[data-test=talent-contact]").is_visible()
    assert re.search(r"\d{5,}|@", clerk.page.locator("[data-test=talent-contact]").inner_text())

    # -- the clerk starts the service, logs a record and rates ---------------------------
    clerk.page.get_by_role("button", name=clerk.t("action.start")).click()
    clerk.page.wait_for_url(re.compile(r".*/matches/\d+$"))
    assert clerk.page.locator("[data-test=status]").inner_text() == clerk.t("status.active")
    clerk.page.get_by_label(clerk.t("records.date"), exact=True).fill(date.today().isoformat())
    clerk.page.get_by_label(clerk.t("records.hours"), exact=True).fill("6")
    clerk.page.get_by_label(clerk.t("records.people_trained"), exact=True).fill("25")
    clerk.page.get_by_label(clerk.t("records.rating"), exact=True).select_option("5")
    clerk.page.get_by_label(clerk.t("records.outcome"), exact=True).fill("现场培训社员 25 人")
    clerk.page.get_by_role("button", name=clerk.t("records.submit")).click()
    clerk.page.wait_for_url(re.compile(r".*#records$"))
    assert clerk.page.locator("#records tbody tr").count() == 1
    clerk.shoot("match-site")

    # -- the coordinator sees the audit trail and the target progress ---------------------
    coordinator.go(match_path)
    assert coordinator.page.locator(".timeline li.audit").count() >= 4
    coordinator.shoot("match-audit")
    # The ledger counts distinct people per line, county and year: the match is behind
    # the number, which rose by one unless this talent was already counted this year
    # (both journeys share one database and may approve the same first candidate).
    assert match_id in _matches_behind(coordinator)
    assert _achieved(coordinator) in {before, before + 1}
    coordinator.shoot("progress")


def test_journey_in_chinese(tabs: Any, live_server: LiveServer) -> None:
    _journey(tabs, live_server, "zh-CN", "site1", "野生菌病虫害现场防治指导")


def test_journey_in_english(tabs: Any, live_server: LiveServer) -> None:
    _journey(tabs, live_server, "en", "site2", "Wild mushroom pest control on site")


def test_other_pages_render(tabs: Any, live_server: LiveServer) -> None:
    """Every other main page opens cleanly for its role and is photographed."""
    zhou = tabs("zh-CN")
    zhou.go("/")
    zhou.shoot("home-anonymous")
    zhou.go("/programmes")
    zhou.shoot("programmes")
    zhou.login("zhou")
    for path, name in (
        ("/map", "map"),
        ("/runs", "runs"),
        ("/exports", "exports"),
        ("/needs", "needs-coordinator"),
    ):
        zhou.go(path)
        assert zhou.page.locator("h1").count() == 1
        zhou.shoot(name)
    zhou.go("/exports")
    with zhou.page.expect_download() as download:
        zhou.page.locator('a[href="/exports/needs.csv"]').click()
    assert download.value.suggested_filename.endswith(".csv")

    admin = tabs("zh-CN")
    admin.login("admin")
    for path, name in (("/admin/users", "admin-users"), ("/admin/reference", "admin-reference")):
        admin.go(path)
        admin.shoot(name)
    admin.go("/admin/import")
    admin.page.get_by_label(admin.t("import.kind"), exact=True).select_option("talents")
    admin.page.get_by_label(admin.t("import.file"), exact=True).set_input_files(
        files=[
            {
                "name": "talents.csv",
                "mimeType": "text/csv",
                "buffer": BAD_TALENTS_CSV.encode(),
            }
        ]
    )
    admin.allowed.add(422)
    admin.page.get_by_role("button", name=admin.t("import.submit")).click()
    result = admin.page.locator("[data-test=import-result]")
    result.wait_for()
    assert result.locator("table.issues tbody tr").count() >= 1
    admin.shoot("admin-import-errors")
