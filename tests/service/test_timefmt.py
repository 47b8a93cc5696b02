"""Times in the user's zone, labelled; dates in Chinese format in zh-CN; the Jinja filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from service import timefmt
from service.settings import Settings

INSTANT = datetime(2026, 12, 3, 8, 35, tzinfo=UTC)  # 16:35 in Beijing


def test_an_instant_is_shown_in_beijing_time_and_labelled() -> None:
    assert timefmt.format_datetime(INSTANT, "zh-CN") == "2026年12月3日 16:35 北京时间"
    assert timefmt.format_datetime(INSTANT, "en") == "3 Dec 2026, 16:35 Beijing time"


def test_a_naive_value_is_utc_and_late_evening_utc_is_the_next_day_in_beijing() -> None:
    late = datetime(2026, 12, 31, 20, 5)  # naive: SQLite hands back UTC without a zone
    assert timefmt.format_datetime(late, "zh-CN") == "2027年1月1日 04:05 北京时间"
    assert timefmt.format_date(late, "zh-CN") == "2027年1月1日"


def test_other_zones_follow_the_setting_and_name_their_offset() -> None:
    assert timefmt.format_datetime(INSTANT, "en", "UTC") == "3 Dec 2026, 08:35 UTC"
    assert timefmt.format_datetime(INSTANT, "zh-CN", "Asia/Kathmandu") == (
        "2026年12月3日 14:20 UTC+05:45"
    )
    other = datetime(2026, 12, 3, 16, 35, tzinfo=timezone(timedelta(hours=8)))
    assert timefmt.format_datetime(other, "zh-CN") == "2026年12月3日 16:35 北京时间"


def test_dates_read_in_each_language() -> None:
    assert timefmt.format_date(date(2026, 12, 3), "zh-CN") == "2026年12月3日"
    assert timefmt.format_date(date(2026, 1, 9), "en") == "9 Jan 2026"
    assert timefmt.format_date("2026-05-01", "zh-CN") == "2026年5月1日"
    assert timefmt.format_date(None, "zh-CN") == ""
    assert timefmt.format_range(date(2026, 12, 3), date(2027, 1, 5), "zh-CN") == (
        "2026年12月3日 至 2027年1月5日"
    )
    assert timefmt.format_range(date(2026, 12, 3), date(2027, 1, 5), "en") == (
        "3 Dec 2026 to 5 Jan 2027"
    )


def test_the_setting_refuses_an_unknown_zone_and_names_it() -> None:
    assert Settings().display_timezone == "Asia/Shanghai"
    with pytest.raises(ValueError, match=r"RENCAI_DISPLAY_TIMEZONE.*'Mars/Olympus'"):
        Settings(display_timezone="Mars/Olympus")
