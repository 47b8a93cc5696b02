"""Long placements (挂职、选派、帮带、三支一扶、特岗: 1–2 years or longer) in SQL terms.

A need is a long placement when ``matching.types.is_long_placement`` says so: served
``onsite_long`` for at least ``MatchingConfig.long_placement_min_days`` days (the
service uses the library's default, 180). A long placement occupies the talent
full-time over its dates and does not spend days of their yearly budget, which is for
short service; see ``matching.constraints``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func

from matching.types import LONG_PLACEMENT_MIN_DAYS
from models import Need
from models.enums import Mode

MIN_DAYS = LONG_PLACEMENT_MIN_DAYS


def is_long() -> ColumnElement[bool]:
    """True for a need row that is a long placement."""
    return and_(Need.mode == Mode.ONSITE_LONG.value, Need.days_needed >= MIN_DAYS)


def short_days() -> ColumnElement[int]:
    """Sum of ``days_needed`` over the short needs of a grouped select (long ones 0)."""
    return func.coalesce(func.sum(case((is_long(), 0), else_=Need.days_needed)), 0)
