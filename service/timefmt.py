"""Dates and times as a person reads them: in the user's zone, labelled, in the page's language.

Instants are stored in UTC (models.base.UTCDateTime); pages show them in the zone of the
``RENCAI_DISPLAY_TIMEZONE`` setting (Asia/Shanghai by default) with the zone named:
"2026年12月3日 16:35 北京时间" in zh-CN, "3 Dec 2026, 16:35 Beijing time" in English.
Calendar dates (a need's start date) carry no zone: "2026年12月3日" / "3 Dec 2026".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from service.i18n import has_message, translate

DEFAULT_ZONE = "Asia/Shanghai"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def zone(name: str) -> ZoneInfo:
    """The zone called ``name``; an unknown name is an error naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"time zone {name!r} is not an IANA zone name (expected e.g. 'Asia/Shanghai')"
        ) from exc


def local(value: datetime, zone_name: str) -> datetime:
    """``value`` in ``zone_name``; a naive value is taken as UTC (how SQLite hands it back)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone(zone_name))


def zone_label(zone_name: str, locale: str, at: datetime | None = None) -> str:
    """The zone's name in words ("北京时间"), else its offset from UTC ("UTC+08:00")."""
    key = f"tz.{zone_name}"
    if has_message(key, locale):
        return translate(key, locale)
    offset = (at or datetime.now(UTC)).astimezone(zone(zone_name)).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def format_date(
    value: date | datetime | str | None, locale: str, zone_name: str = DEFAULT_ZONE
) -> str:
    """A calendar date: "2026年12月3日" in zh-CN, "3 Dec 2026" in English; a datetime is
    first moved into ``zone_name`` (its date there is the date the reader lived); an ISO
    string (a schema's date sent as text) is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = local(value, zone_name).date()
    if locale == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


def format_datetime(
    value: datetime | None, locale: str, zone_name: str = DEFAULT_ZONE, seconds: bool = False
) -> str:
    """An instant in ``zone_name``, labelled: "2026年12月3日 16:35 北京时间"."""
    if value is None:
        return ""
    moment = local(value, zone_name)
    clock = moment.strftime("%H:%M:%S" if seconds else "%H:%M")
    label = zone_label(zone_name, locale, moment)
    day = format_date(moment.date(), locale)
    if locale == "en":
        return f"{day}, {clock} {label}"
    return f"{day} {clock} {label}"


def format_range(start: date | str | None, end: date | str | None, locale: str) -> str:
    """Two calendar dates: "2026年12月3日 至 2027年1月5日" / "3 Dec 2026 to 5 Jan 2027"."""
    if not start or not end:
        return format_date(start or end, locale)
    joiner = " to " if locale == "en" else " 至 "
    return f"{format_date(start, locale)}{joiner}{format_date(end, locale)}"
