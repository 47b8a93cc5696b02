"""Pages show times in the user's zone (the display_timezone setting), labelled, and dates in
the page's language: "2026年12月3日 16:35 北京时间", "3 Dec 2026, 16:35 Beijing time"."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, Need
from service import timefmt
from tests.pages.conftest import WebFactory
from tests.pages.web import Api, make_pairing

ZH_STAMP = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 北京时间")
EN_STAMP = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} Beijing time")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _visible(page_text: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_match_page_shows_beijing_time_and_chinese_dates(
    web: WebFactory, api: Api, session: Session
) -> None:
    pairing = make_pairing(api, "页面测试：时间显示的核桃技术指导", until="interested")
    match = session.get(Match, pairing.match_id)
    need = session.get(Need, pairing.need_id)
    assert match is not None and need is not None
    zh = _visible(web("site1").get(f"/matches/{pairing.match_id}").text)
    assert ZH_STAMP.search(zh), zh[:2000]
    span = timefmt.format_range(need.start_date, need.end_date, "zh-CN")
    assert span in zh, f"expected the need's dates as {span!r}"
    assert not ISO.search(zh), f"an ISO date is shown: {ISO.search(zh)}"
    en = _visible(web("site1").get(f"/matches/{pairing.match_id}", lang="en").text)
    assert EN_STAMP.search(en), en[:2000]
    assert timefmt.format_range(need.start_date, need.end_date, "en") in en


def test_the_zone_setting_changes_the_clock_and_its_label(
    client: TestClient, web: WebFactory, api: Api, session: Session
) -> None:
    pairing = make_pairing(api, "页面测试：时区设置的核桃技术指导", until="interested")
    first = session.scalars(select(Match).where(Match.id == pairing.match_id)).one()
    state = client.app.state  # type: ignore[attr-defined]
    original = state.settings
    state.settings = original.model_copy(update={"display_timezone": "UTC"})
    try:
        page = _visible(web("site1").get(f"/matches/{pairing.match_id}", lang="en").text)
    finally:
        state.settings = original
    stamp = timefmt.format_datetime(first.created_at, "en", "UTC")
    assert stamp.endswith(" UTC")
    assert re.search(r"\d{2}:\d{2} UTC", page), page[:2000]
    assert "Beijing time" not in page
