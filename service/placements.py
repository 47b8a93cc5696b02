"""Long placements (挂职、选派、帮带、三支一扶、特岗: 1–2 years or longer) in SQL terms.

A need is a long placement when ``matching.types.is_long_placement`` says so: served
``onsite_long`` for at least ``long_placement_min_days`` days. The threshold has one
source, the setting ``Settings.long_placement_min_days``: ``Settings.matching_config``
hands it to the engine, and :func:`configure` puts it on the database's session factory
(``Session.info``), where every check reads it through :func:`min_days` — the approval's
capacity check, the profiles the engine and why-not read, and batch runs. A long
placement occupies the talent full-time over its dates and does not spend days of their
yearly budget, which is for short service; see ``matching.constraints``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy.orm import Session, sessionmaker

from matching.types import LONG_PLACEMENT_MIN_DAYS
from models import Need
from models.enums import Mode

INFO_KEY = "long_placement_min_days"


def configure(sessions: sessionmaker[Session], days: int) -> None:
    """Every session of ``sessions`` reads ``days`` as the long-placement threshold."""
    info: dict[Any, Any] = dict(sessions.kw.get("info") or {})
    info[INFO_KEY] = days
    sessions.configure(info=info)


def min_days(session: Session) -> int:
    """The threshold the session's database was configured with (the library's default,
    180, for a session made outside the app or the CLI)."""
    return int(session.info.get(INFO_KEY, LONG_PLACEMENT_MIN_DAYS))


def is_long(session: Session) -> ColumnElement[bool]:
    """True for a need row that is a long placement."""
    return and_(Need.mode == Mode.ONSITE_LONG.value, Need.days_needed >= min_days(session))


def short_days(session: Session) -> ColumnElement[int]:
    """Sum of ``days_needed`` over the short needs of a grouped select (long ones 0)."""
    return func.coalesce(func.sum(case((is_long(session), 0), else_=Need.days_needed)), 0)
