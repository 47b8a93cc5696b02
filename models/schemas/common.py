"""Validation shared by the schemas: bounds, closed vocabularies and lookups that need
the database (passed in as validation context)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import ValidationInfo

# 楚雄彝族自治州 spans about 24°13′–26°30′N and 100°43′–102°32′E; a small margin keeps
# sites on the border valid.
PREFECTURE_LAT = (24.1, 26.6)
PREFECTURE_LON = (100.6, 102.7)
# A talent may live far away (Kunming, Shanghai for 沪滇合作); only mainland China's box.
CHINA_LAT = (18.0, 54.0)
CHINA_LON = (73.0, 135.5)

MAX_TEXT = 5000
# Ids are bounded to what a 64-bit integer column holds.
MAX_ID = 2**63 - 1


def check_in_box(value: float, box: tuple[float, float], what: str) -> float:
    if value != value:  # NaN
        raise ValueError(f"{what} is not a number")
    lo, hi = box
    if not lo <= value <= hi:
        raise ValueError(f"{what} {value} is outside {lo}–{hi}")
    return value


def context_set(info: ValidationInfo, key: str) -> Collection[Any] | None:
    """A set of allowed values handed in by the caller, e.g. the county codes in the
    database; ``None`` when the caller gave none."""
    context = info.context or {}
    values = context.get(key)
    return values if values is not None else None


def check_known(value: Any, info: ValidationInfo, key: str, what: str) -> Any:
    allowed = context_set(info, key)
    if value is not None and allowed is not None and value not in allowed:
        raise ValueError(f"unknown {what} {value!r}")
    return value


def split_list(value: Any) -> Any:
    """Spreadsheet cells hold lists as `a;b`, `a、b` or `a,b`."""
    if isinstance(value, str):
        for sep in ("；", "、", "，", ",", "|"):
            value = value.replace(sep, ";")
        return [part.strip() for part in value.split(";") if part.strip()]
    return value
