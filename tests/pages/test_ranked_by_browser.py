"""In a real browser: the need page says above its candidates which scorer ranked them
(screenshots at a phone and a desktop width, in Chinese and English)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.pages.conftest import LiveServer
from tests.pages.test_journey import tabs  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


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
                title="卫生院儿科坐诊",
                description="乡卫生院需要儿科医生每周坐诊两天，带教全科医生。",
                skills=[],
                mode="onsite_short",
                start_date=start,
                end_date=start + timedelta(days=120),
                headcount=1,
                days_needed=10,
            ),
        )
        return need.id


def test_the_need_page_says_which_scorer_ranked_the_candidates(
    tabs: Any,  # noqa: F811
    live_server: LiveServer,
) -> None:
    # Posted before any page is shown: shown lists leave impressions that the server
    # writes in the background, and this test's own writes should not race them.
    need_id = _post_need(live_server)
    for locale in ("zh-CN", "en"):
        tab = tabs(locale)
        tab.login("site1")
        tab.go(f"/needs/{need_id}")
        line = tab.page.locator("p.ranked-by")
        line.wait_for()
        # Hand weights rank here; earlier tests on this server may have left a site1
        # decline or rejection reason, which the line then names after a separator.
        said = line.inner_text().strip()
        assert said == tab.t("ranker.hand") or said.startswith(
            (tab.t("ranker.hand") + "；", tab.t("ranker.hand") + "; ")
        ), said
        tab.shoot("ranked-by-need")
