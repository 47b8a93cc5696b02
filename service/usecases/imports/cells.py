"""One cell's text as the importer reads it: names normalised for comparison, yes/no,
dates and availability windows. A cell that cannot be read raises :class:`CellError`,
which the row reader turns into an issue located at that cell."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache


# Cached: a file repeats the same few hundred names (categories, skills, counties) in
# every row.
@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Casefold, full-width → half-width, no spaces: how names are compared."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).casefold()


class CellError(Exception):
    """A cell that cannot be read; ``key`` names its column."""

    def __init__(self, key: str, message: str, message_zh: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.message_zh = message_zh


_TRUE = {"1", "true", "t", "yes", "y", "是", "对", "√", "✓", "有"}
_FALSE = {"0", "false", "f", "no", "n", "否", "不是", "×", "✗", "无"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")
_RANGE_SPLIT = re.compile(r"\s*(?:~|～|〜|至|到|—|–)\s*")
# The usual spelling, read without trying every format in turn (a bulk import reads
# tens of thousands of dates).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_bool(key: str, text: str) -> bool:
    value = norm(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(key, "expected yes/no (是/否, 1/0, true/false)", "应填“是”或“否”")


@lru_cache(maxsize=8192)  # a file repeats the same few hundred dates
def parse_date(key: str, text: str) -> date:
    value = text.strip()
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # 2025-02-30: the formats below refuse it too, with the message
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CellError(
        key,
        "not a date; write it as YYYY-MM-DD, e.g. 2025-03-01",
        "日期格式有误，应为 年-月-日，如 2025-03-01",
    )


def parse_windows(key: str, text: str) -> list[dict[str, date]]:
    windows = []
    for part in re.split(r"[;；\n]+|[,，](?=\s*\d{4})", text):
        if not part.strip():
            continue
        ends = [p for p in _RANGE_SPLIT.split(part.strip()) if p]
        if len(ends) != 2:
            raise CellError(
                key,
                f"{part.strip()!r} is not a window; write start~end, e.g. "
                "2025-03-01~2025-06-30; separate windows with ;",
                "时段格式有误，应为 开始~结束，如 2025-03-01~2025-06-30，多个时段用分号隔开",
            )
        windows.append(
            {"start_date": parse_date(key, ends[0]), "end_date": parse_date(key, ends[1])}
        )
    return windows
