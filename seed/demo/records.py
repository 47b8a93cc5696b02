"""The records the demo generator reads (reference data) and writes (a population).

Everything here is a plain frozen dataclass: no database, no ``service``, no ``models``.
The DB bulk loader maps the output records onto ORM rows; ``external_id`` is the stable
key that makes a second load update instead of duplicate.

Ordinal scales follow ``matching.types``:
``title_level`` 0 none, 1 员级, 2 助理/初级, 3 中级, 4 副高级, 5 正高级;
``degree_level`` 0 高中及以下, 1 中专, 2 大专, 3 本科, 4 硕士, 5 博士.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

MODES: tuple[str, ...] = (
    "onsite_long",
    "onsite_short",
    "seasonal",
    "remote",
    "part_time",
    "project",
)

# ---------------------------------------------------------------------------------------
# Input: reference data. The generator only needs codes and Chinese names; it maps them
# onto its own archetypes by the Chinese names, so renaming a code never breaks it.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefTownship:
    name: str
    lat: float
    lon: float
    altitude_m: float
    poverty_township: bool = False


@dataclass(frozen=True, slots=True)
class RefCounty:
    """A county-level division. ``seat_lat/seat_lon`` is the county seat (县城)."""

    code: str
    name: str
    seat_lat: float
    seat_lon: float
    townships: tuple[RefTownship, ...]


@dataclass(frozen=True, slots=True)
class RefSkill:
    """A leaf of the skills taxonomy, e.g. ``agri.extension`` / 农技推广."""

    code: str
    name_zh: str
    name_en: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefCode:
    """A coded vocabulary entry (talent category, site type, institution type, licence,
    language): ``code`` is what the generator writes, ``name_zh`` is what it reads."""

    code: str
    name_zh: str


@dataclass(frozen=True, slots=True)
class RefRule:
    """The need's side of a line's rule (one per target counted from matches): a need
    posted under the line must keep one of them. ``None`` means no restriction."""

    modes: tuple[str, ...] | None = None
    site_types: tuple[str, ...] | None = None
    skills: tuple[str, ...] | None = None
    min_days: int | None = None
    poverty_township_only: bool = False
    counties: tuple[str, ...] | None = None  # e.g. poverty counties only

    def keeps(self, mode: str, days: int, skills: Sequence[str], site: DemoSite) -> bool:
        return (
            (self.modes is None or mode in self.modes)
            and (self.site_types is None or site.site_type in self.site_types)
            and (self.skills is None or bool(set(self.skills) & set(skills)))
            and (self.min_days is None or days >= self.min_days)
            and (not self.poverty_township_only or site.poverty_township)
            and (self.counties is None or site.county_code in self.counties)
        )


@dataclass(frozen=True, slots=True)
class RefProgramme:
    """A programme a need may point to; ``skills`` and ``site_types`` (codes) say which
    needs it suits. Empty tuples suit every need. ``rules``, when given, are the line's
    rules: a need goes under the line only if it keeps one (``None``: no rules known)."""

    code: str
    skills: tuple[str, ...] = ()
    site_types: tuple[str, ...] = ()
    rules: tuple[RefRule, ...] | None = None

    def accepts(self, mode: str, days: int, skills: Sequence[str], site: DemoSite) -> bool:
        if self.rules is None:
            return True
        return any(r.keeps(mode, days, skills, site) for r in self.rules)


@dataclass(frozen=True, slots=True)
class DemoReference:
    """All reference data the generator reads, as plain sequences.

    ``programmes`` are the programmes a need may point to (plain codes or
    ``RefProgramme``); empty means every need has ``programme_code=None``. ``bbox`` is
    (min_lat, max_lat, min_lon, max_lon) of the prefecture: site coordinates stay inside.
    """

    counties: Sequence[RefCounty]
    skills: Sequence[RefSkill]
    talent_categories: Sequence[RefCode]
    site_types: Sequence[RefCode]
    institution_types: Sequence[RefCode]
    licences: Sequence[RefCode] = ()
    languages: Sequence[RefCode] = ()
    programmes: Sequence[RefProgramme | str] = ()
    bbox: tuple[float, float, float, float] = (24.15, 26.55, 100.65, 102.55)


# ---------------------------------------------------------------------------------------
# Output: the population.
# ---------------------------------------------------------------------------------------

Window = tuple[date, date]


@dataclass(frozen=True, slots=True)
class DemoInstitution:
    external_id: str
    name: str
    institution_type: str
    county_code: str | None
    lat: float
    lon: float
    specialities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoSite:
    external_id: str
    name: str
    site_type: str
    county_code: str
    township: str
    lat: float
    lon: float
    poverty_township: bool
    altitude_m: float
    contact_name: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class DemoNeed:
    external_id: str
    site_external_id: str
    title: str
    description: str
    skills: tuple[str, ...]
    mode: str
    min_title_level: int
    min_degree_level: int
    licences: tuple[str, ...]
    languages: tuple[str, ...]
    start_date: date
    end_date: date
    headcount: int
    days_needed: int
    programme_code: str | None


@dataclass(frozen=True, slots=True)
class DemoTalent:
    external_id: str
    name: str
    category: str
    institution_external_id: str | None
    title_level: int
    degree_level: int
    licences: tuple[str, ...]
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    bio: str
    home_county_code: str | None
    base_lat: float
    base_lon: float
    travel_radius_km: float
    modes: tuple[str, ...]
    windows: tuple[Window, ...]
    capacity_concurrent: int
    capacity_days_per_year: int
    phone: str
    email: str
    id_number: str
    # Available for long placements (挂职、选派、三支一扶…, full-time over their dates):
    # every talent who offers on-site long-term service. Derived, so it draws nothing.
    long_placement_ok: bool = False


@dataclass(frozen=True, slots=True)
class DemoPairing:
    """一对一帮扶 (``one_to_one``) or 对口帮扶 of a hospital (``counterpart_hospital``).
    Exactly one of ``site_external_id`` and ``county_code`` is set."""

    institution_external_id: str
    site_external_id: str | None
    county_code: str | None
    kind: str
    start_date: date
    end_date: date


@dataclass(frozen=True, slots=True)
class Population:
    """One generated population. The ``*_ids`` tuples name the deliberately awkward
    records so that evaluations can find them: needs that are hard to fill, and talents
    who fit no need (with the reason per talent, in ``fit_nothing_reasons``)."""

    institutions: list[DemoInstitution]
    sites: list[DemoSite]
    needs: list[DemoNeed]
    talents: list[DemoTalent]
    pairings: list[DemoPairing]
    hard_need_ids: tuple[str, ...] = ()
    fit_nothing_talent_ids: tuple[str, ...] = ()
    fit_nothing_reasons: dict[str, str] = field(default_factory=dict)
