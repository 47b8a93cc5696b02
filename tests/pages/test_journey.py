"""The whole pairing journey through the pages alone, in headless Chromium: a clerk posts
a need and sees explained candidates, the talent shows interest, the clerk accepts, the
county coordinator approves, both sides see each other's contacts, the clerk starts the
service and the programme progress counts it. Once in Chinese (the default) and once in
English. Each main page is photographed at phone and desktop widths."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from tests.pages import code_scanner
from tests.pages.browser_tab import Tab
from tests.pages.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

# The need counts toward 技术人员到生产一线 (technicians_frontline): agronomy fields, an
# on-site short mode and one of these talent categories.
COUNTING_CATEGORIES = {"professional_technician", "expert", "agri_advisor", "retired_technician"}
PROGRAMME = "technicians_frontline"
# A talents sheet with a blank name, an unknown category and missing required columns.
BAD_TALENTS_CSV = "编号(external_id),姓名(name),类别(category)\nt-x,,不存在的类别\n"


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
    """Give the chosen candidate a login: in real life the talent registered earlier,
    under their own name (the menu shows it)."""
    for attempt in range(5):
        try:
            _create_talent_account(server, talent_id, username)
            return
        except OperationalError:  # the server is writing: SQLite is locked a moment
            time.sleep(2 * (attempt + 1))
    _create_talent_account(server, talent_id, username)


def _create_talent_account(server: LiveServer, talent_id: int, username: str) -> None:
    from models import Talent
    from models.enums import Role
    from service.usecases import accounts

    with server.session() as session:
        if accounts.get_by_username(session=session, username=username) is None:
            talent = session.get(Talent, talent_id)
            assert talent is not None
            accounts.create(
                session=session,
                username=username,
                password=PASSWORD,
                role=Role.TALENT,
                display_name=talent.name,
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
    # The clerk's own words: shown back as typed on pages of either language.
    form.get_by_label(clerk.t("need.title"), exact=True).fill(code_scanner.typed(title))
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


def _switch_language(tab: Tab) -> None:
    """English through the menu's toggle (a cookie), as a person would choose it."""
    if tab.locale == "en":
        tab.go("/?lang=en")
        assert tab.page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_prefecture_coordinator_journey(tabs: Any, live_server: LiveServer, locale: str) -> None:
    """The prefecture coordinator reads the to-do list, the prefecture's progress (one row
    per target, whole labels, area and year in the title), narrows it to one county, reads
    the map with its legend and a county's townships, and downloads an export."""
    zhou = tabs(locale)
    _switch_language(zhou)
    zhou.login("zhou")
    assert zhou.page.locator("[data-test=todo]").is_visible()
    zhou.shoot("prefecture-home")

    year = date.today().year
    zhou.go(f"/progress?year={year}")
    prefecture = zhou.t("runs.prefecture")
    heading = zhou.page.locator("[data-test=progress-heading]").inner_text()
    assert heading == zhou.t("browse.progress.heading", area=prefecture, year=year)
    labels = zhou.page.locator("section.card ol.bullets").first.locator(".b-label")
    texts = labels.all_inner_texts()
    assert texts and len(texts) == len(set(texts)), "one row per target"
    assert not [text for text in texts if text.endswith("…")], "labels are whole"
    if locale == "en":  # the plan's targets in English too, as in the table below
        assert not [text for text in texts if re.search(r"[\u4e00-\u9fff]", text)]
    zhou.shoot("prefecture-progress")

    zhou.page.locator("#p-county").select_option(index=1)
    county = zhou.page.locator("#p-county option").nth(1).inner_text()
    zhou.page.get_by_role("button", name=zhou.t("common.filter")).click()
    zhou.page.wait_for_url(re.compile(r".*county=\d+"))
    heading = zhou.page.locator("[data-test=progress-heading]").inner_text()
    assert heading == zhou.t("browse.progress.heading", area=county, year=year)
    zhou.shoot("prefecture-progress-county")

    zhou.go("/map")
    legend = zhou.page.locator("[data-test=map-legend] li")
    assert legend.count() == 4 and legend.locator("svg.mark").count() == 4
    # A tap on a county seat (a phone has no hover) unfolds that county's townships.
    seat = zhou.page.locator("svg.map a").first
    target = (seat.get_attribute("href") or "").removeprefix("#")
    seat.click()
    details = zhou.page.locator("[data-test=county-details]").filter(
        has=zhou.page.locator(f"ul#{target}")
    )
    assert details.get_attribute("open") is not None
    assert details.locator("li").first.is_visible()
    zhou.shoot("prefecture-map")

    for path, name in (("/runs", "prefecture-runs"), ("/needs", "prefecture-needs")):
        zhou.go(path)
        assert zhou.page.locator("h1").count() == 1
        zhou.shoot(name)
    zhou.go("/exports")
    zhou.shoot("prefecture-exports")
    with zhou.page.expect_download() as download:
        zhou.page.locator('a[href="/exports/needs.csv"]').click()
    assert download.value.suggested_filename.endswith(".csv")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_admin_journey(tabs: Any, live_server: LiveServer, locale: str) -> None:
    """The admin creates a county coordinator (a message says so), resets the password,
    reads the reference data and an import with errors; the new coordinator signs in with
    the temporary password, is sent to choose a new one and then sees their county."""
    visitor = tabs(locale)
    _switch_language(visitor)
    visitor.go("/")
    visitor.shoot("anonymous-home")
    visitor.go("/login")
    # No dead end for a forgotten password: the page says whom to ask.
    assert visitor.page.locator("[data-test=forgot]").inner_text() == visitor.t("login.forgot")
    visitor.shoot("login")

    admin = tabs(locale)
    _switch_language(admin)
    admin.login("admin")
    admin.shoot("admin-home")
    admin.go("/admin/users")
    username = f"coord-{locale.lower()}"
    display = "新来的协调员" if locale == "zh-CN" else "New Coordinator"
    form = admin.page.locator("#new-user")
    form.get_by_label(admin.t("users.username"), exact=True).fill(username)
    form.get_by_label(admin.t("users.display_name"), exact=True).fill(display)
    form.get_by_label(admin.t("login.password"), exact=True).fill(PASSWORD)
    form.get_by_label(admin.t("users.role"), exact=True).select_option("coordinator")
    form.get_by_label(admin.t("users.jurisdiction"), exact=True).select_option(index=1)
    county = form.locator("#f-jurisdiction option").nth(1).inner_text()
    form.get_by_role("button", name=admin.t("users.create")).click()
    done = admin.page.locator("[data-test=done]")
    assert done.inner_text() == admin.t("users.done.created", name=display, username=username)
    admin.shoot("admin-users")

    admin.page.get_by_role("link", name=re.compile(username)).click()
    admin.page.get_by_role("button", name=admin.t("users.reset")).click()
    temporary = admin.page.locator("[data-test=temporary] code").inner_text().strip()
    assert len(temporary) >= 10
    admin.shoot("admin-user-reset")

    for path, name in (
        ("/admin/reference", "admin-reference"),
        ("/admin/privacy", "admin-privacy"),
        ("/admin/notifications", "admin-notifications"),
    ):
        admin.go(path)
        assert admin.page.locator("h1").count() == 1
        admin.shoot(name)
    admin.go("/admin/import")
    admin.page.get_by_label(admin.t("import.kind"), exact=True).select_option("talents")
    admin.page.get_by_label(admin.t("import.file"), exact=True).set_input_files(
        files=[{"name": "talents.csv", "mimeType": "text/csv", "buffer": BAD_TALENTS_CSV.encode()}]
    )
    admin.allowed.add(422)
    admin.page.get_by_role("button", name=admin.t("import.submit")).click()
    result = admin.page.locator("[data-test=import-result]")
    result.wait_for()
    assert result.locator("table.issues tbody tr").count() >= 1
    admin.shoot("admin-import-errors")

    # -- the new coordinator: a temporary password must be replaced first ----------------
    newcomer = tabs(locale)
    _switch_language(newcomer)
    newcomer.login(username, temporary)
    newcomer.go("/queue")
    newcomer.page.wait_for_url(re.compile(r".*/account/password(\?.*)?$"))
    assert newcomer.page.locator("[data-test=must-change]").is_visible()
    newcomer.shoot("password-must-change")
    chosen = "a-new-password-of-my-own"
    newcomer.page.get_by_label(newcomer.t("password.current"), exact=True).fill(temporary)
    newcomer.page.get_by_label(newcomer.t("password.new"), exact=True).fill(chosen)
    newcomer.page.get_by_label(newcomer.t("password.confirm"), exact=True).fill(chosen)
    # Hashing two passwords takes a while on a busy machine: read the page it answers.
    with newcomer.page.expect_navigation():
        newcomer.page.get_by_role("button", name=newcomer.t("password.submit")).click()
    assert newcomer.page.get_by_text(newcomer.t("password.done")).is_visible()
    newcomer.shoot("password-changed")
    newcomer.go("/progress")
    heading = newcomer.page.locator("[data-test=progress-heading]").inner_text()
    assert heading == newcomer.t("browse.progress.heading", area=county, year=date.today().year)
    newcomer.shoot("county-progress")
