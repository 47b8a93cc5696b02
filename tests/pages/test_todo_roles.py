"""The to-do list per role in a real browser (issue 12, acceptance): after a batch run,
site1's home page lists exactly the new proposals; after the talent says yes and the
site accepts, the coordinator's to-do shows it with its age; after approval, the
talent's to-do shows the placement; each link lands where the step is done."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.pages.conftest import LiveServer
from tests.pages.test_journey import _account_for, tabs  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

AGE = re.compile(r"^(刚刚|\d+ (分钟|小时|天)前)$")


def _item(tab: Any, section: str, match_id: int) -> Any:
    return tab.page.locator(f'ul[data-section="{section}"] li[data-id="{match_id}"]')


def _section_ids(tab: Any, section: str) -> set[int]:
    rows = tab.page.locator(f'ul[data-section="{section}"] li[data-id]')
    return {int(rows.nth(i).get_attribute("data-id")) for i in range(rows.count())}


def _post_need(server: LiveServer) -> tuple[int, int]:
    """A need of site1 starting in ten days; returns (need id, site id)."""
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
                title="核桃病虫害绿色防控现场指导",
                description="我乡核桃病虫害多发，请农技专家来现场指导修剪、施肥和绿色防控，"
                "并培训种植户。",
                skills=["agri.extension"],
                mode="onsite_short",
                start_date=start,
                end_date=start + timedelta(days=200),
                headcount=1,
                days_needed=5,
            ),
        )
        return need.id, need.site_id


def _run_proposals(server: LiveServer, run_id: int, site_id: int) -> dict[int, tuple[int, int]]:
    from models import Match, Need

    with server.session() as session:
        rows = session.execute(
            select(Match.id, Match.need_id, Match.talent_id)
            .join(Need, Match.need_id == Need.id)
            .where(Match.run_id == run_id, Need.site_id == site_id, Match.status == "proposed")
        )
        return {r.id: (r.need_id, r.talent_id) for r in rows}


def _give_login(server: LiveServer, talent_id: int, username: str) -> None:
    """``_account_for``, again if a commit of the live server (its background workers)
    landed between the helper's read and its write (SQLite answers "locked" then)."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(5):
        try:
            _account_for(server, talent_id, username)
            return
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5)


def _wait_for_the_run(tab: Any) -> None:
    tab.page.wait_for_selector('[data-test="run-status"][data-status="succeeded"]', timeout=300_000)


def test_each_role_follows_its_to_do_list(tabs: Any, live_server: LiveServer) -> None:  # noqa: F811
    need_id, site_id = _post_need(live_server)
    clerk, coordinator, talent = tabs("zh-CN"), tabs("zh-CN"), tabs("zh-CN")
    clerk.login("site1")
    before = _section_ids(clerk, "site.answer")

    coordinator.login("county")
    coordinator.go("/runs")
    coordinator.page.locator('input[name="dry_run"]').uncheck()
    coordinator.page.get_by_role("button", name=coordinator.t("runs.submit")).click()
    coordinator.page.wait_for_url(re.compile(r".*/runs/\d+$"))
    run_id = int(coordinator.page.url.rsplit("/", 1)[1])
    # The run is a background job: its page refreshes itself until the run ends.
    _wait_for_the_run(coordinator)
    proposals = _run_proposals(live_server, run_id, site_id)
    assert proposals, "the run proposes placements for site1's needs"

    clerk.go("/")
    assert _section_ids(clerk, "site.answer") - before == set(proposals), "exactly the new"
    clerk.shoot("todo-site")

    match_id = next(m for m, (n, _t) in proposals.items() if n == need_id)
    _give_login(live_server, proposals[match_id][1], f"todo-talent-{match_id}")
    talent.login(f"todo-talent-{match_id}")
    _item(talent, "talent.invitation", match_id).locator("a").click()
    talent.page.wait_for_url(re.compile(rf".*/matches/{match_id}$"))
    talent.page.locator('button[data-action="interest"]').click()
    talent.page.wait_for_url(re.compile(rf".*/matches/{match_id}$"))

    clerk.go("/")
    _item(clerk, "site.answer", match_id).locator("a").click()
    clerk.page.wait_for_url(re.compile(rf".*/matches/{match_id}$"))
    clerk.page.locator('button[data-action="accept"]').click()
    clerk.page.wait_for_url(re.compile(rf".*/matches/{match_id}$"))

    coordinator.go("/")
    waiting = _item(coordinator, "coordinator.approve", match_id)
    assert AGE.match(waiting.locator('[data-test="age"]').inner_text().strip())
    count = coordinator.page.locator('[data-test="todo-count"]').inner_text()
    assert int(count) >= 1
    coordinator.shoot("todo-coordinator")
    waiting.locator("a").click()
    coordinator.page.wait_for_url(re.compile(rf".*/matches/{match_id}$"))
    coordinator.page.locator('button[data-action="approve"]').click()
    coordinator.page.wait_for_url(re.compile(rf".*/matches/{match_id}$"))

    talent.go("/")
    _item(talent, "talent.starting", match_id).locator("a").click()
    talent.page.wait_for_url(re.compile(rf".*/matches/{match_id}$"))
    assert talent.page.locator('[data-test="site-contact"]').is_visible()
    talent.shoot("todo-talent-placement")


def test_a_coordinator_previews_watches_and_confirms_a_run(
    tabs: Any,  # noqa: F811
    live_server: LiveServer,
) -> None:
    from models import Match

    coordinator = tabs("zh-CN")
    coordinator.login("zhou")
    coordinator.go("/runs")
    assert coordinator.page.locator('input[name="dry_run"]').is_checked(), "preview first"
    coordinator.page.get_by_role("button", name=coordinator.t("runs.submit")).click()
    coordinator.page.wait_for_url(re.compile(r".*/runs/\d+$"))
    preview_id = int(coordinator.page.url.rsplit("/", 1)[1])
    status = coordinator.page.locator('[data-test="run-status"]').get_attribute("data-status")
    if status in ("queued", "running"):
        assert coordinator.page.locator('[data-test="run-progress"]').count() == 1
        coordinator.shoot("run-progress")
    _wait_for_the_run(coordinator)
    rows = coordinator.page.locator('[data-test="preview"] tr[data-need]')
    assert rows.count() > 0
    with live_server.session() as session:
        written = session.scalar(select(func.count(Match.id)).where(Match.run_id == preview_id))
    assert written == 0, "a preview writes nothing"
    coordinator.shoot("run-preview")
    previewed = rows.count()
    coordinator.page.locator('button[data-action="confirm-run"]').click()
    coordinator.page.wait_for_url(re.compile(r".*/runs/\d+$"))
    confirm_id = int(coordinator.page.url.rsplit("/", 1)[1])
    assert confirm_id != preview_id
    _wait_for_the_run(coordinator)
    with live_server.session() as session:
        written = session.scalar(select(func.count(Match.id)).where(Match.run_id == confirm_id))
    assert written == previewed
    coordinator.shoot("run-confirmed")
    with coordinator.page.expect_download() as download:
        coordinator.page.locator('[data-test="run-xlsx"]').click()
    assert download.value.suggested_filename == f"run-{confirm_id}.xlsx"
