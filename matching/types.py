"""The records the matching library reads. The service maps its ORM rows onto these;
nothing here knows about a database.

Ordinal scales are shared with ``models`` through plain integers:

- ``title_level`` (职称): 0 none, 1 员级, 2 助理/初级, 3 中级, 4 副高级, 5 正高级.
- ``degree_level`` (学历): 0 高中及以下, 1 中专, 2 大专, 3 本科, 4 硕士, 5 博士.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Mode(StrEnum):
    """How a talent serves a site (the plan's 服务方式)."""

    ONSITE_LONG = "onsite_long"  # 挂职/帮带/对口服务 1–2 years
    ONSITE_SHORT = "onsite_short"  # 现场指导, 关键时节 visits
    SEASONAL = "seasonal"  # 候鸟型
    REMOTE = "remote"  # 互联网远程
    PART_TIME = "part_time"  # 兼职
    PROJECT = "project"  # 项目合作/技术入股/服务外包


#: Default of ``MatchingConfig.long_placement_min_days``.
LONG_PLACEMENT_MIN_DAYS = 180


def is_long_placement(
    mode: Mode | str, days_needed: int, min_days: int = LONG_PLACEMENT_MIN_DAYS
) -> bool:
    """A need is a long placement (挂职/选派/帮带/三支一扶/特岗, 1–2 years or longer) when
    it is served on site long-term for at least ``min_days`` days."""
    return Mode(mode) is Mode.ONSITE_LONG and days_needed >= min_days


@dataclass(frozen=True, slots=True)
class Window:
    """A closed date interval [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window end {self.end} is before its start {self.start}")

    def overlap_days(self, other: Window) -> int:
        """Days shared by both windows, counting both ends; 0 when disjoint."""
        lo = max(self.start, other.start)
        hi = min(self.end, other.end)
        return (hi - lo).days + 1 if hi >= lo else 0

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class NeedProfile:
    """One need of one site, as the matcher sees it. ``required_categories`` are the
    talent categories (codes of ``categories.json``) the need accepts, () for any;
    ``long_placement`` marks a full-time placement over the need's dates, whose days do
    not count against a talent's yearly budget (see :func:`is_long_placement`)."""

    id: int
    text: str
    mode: Mode
    window: Window
    county: str = ""
    township: str = ""
    lat: float | None = None
    lon: float | None = None
    poverty_township: bool = False
    altitude_m: float | None = None
    skills: tuple[str, ...] = ()
    min_title_level: int = 0
    min_degree_level: int = 0
    licences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    headcount: int = 1
    days_needed: int = 0
    programme: str | None = None
    site_id: int | None = None
    required_categories: tuple[str, ...] = ()
    long_placement: bool = False


@dataclass(frozen=True, slots=True)
class TalentProfile:
    """One talent, as the matcher sees them. ``history`` holds short texts of completed
    service (what they did, for whom); they enrich the profile text.

    ``long_placement_ok`` says the talent is available for long placements (挂职、选派、
    三支一扶…, see :func:`is_long_placement`). ``occupied`` holds the dates of the long
    placements they hold (full-time: nothing else may overlap them) and ``engaged`` the
    dates of every placement they hold (a new long placement may overlap none of them).
    ``days_committed`` counts short placements only."""

    id: int
    text: str
    modes: tuple[Mode, ...]
    windows: tuple[Window, ...] = ()
    category: str = ""
    home_county: str = ""
    lat: float | None = None
    lon: float | None = None
    travel_radius_km: float = 0.0
    skills: tuple[str, ...] = ()
    title_level: int = 0
    degree_level: int = 0
    licences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity_concurrent: int = 1
    active_matches: int = 0
    capacity_days_per_year: int = 365
    days_committed: int = 0
    institution_id: int | None = None
    declined_need_ids: frozenset[int] = field(default_factory=frozenset)
    blocked_site_ids: frozenset[int] = field(default_factory=frozenset)
    paired_site_ids: frozenset[int] = field(default_factory=frozenset)
    paired_counties: frozenset[str] = field(default_factory=frozenset)
    history: tuple[str, ...] = ()
    long_placement_ok: bool = False
    occupied: tuple[Window, ...] = ()
    engaged: tuple[Window, ...] = ()
