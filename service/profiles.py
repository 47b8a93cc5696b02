"""Maps database rows onto the matching library's records. Bulk reads go through Core
selects: building 100,000 talent profiles must take seconds, not minutes."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

import reference
from matching.types import Mode, NeedProfile, TalentProfile, Window, is_long_placement
from models import (
    AvailabilityWindow,
    Institution,
    Match,
    Need,
    Pairing,
    ServiceRecord,
    Site,
    Talent,
    Township,
)
from models.enums import CAPACITY_HOLDING, MatchStatus
from service import placements

_HOLDING = [s.value for s in CAPACITY_HOLDING]
_DECLINED = [MatchStatus.DECLINED.value, MatchStatus.REJECTED.value]


def need_text(title: str, description: str) -> str:
    return f"{title}。{description}" if title else description


@functools.cache
def _need_profile_rows(by_id: bool) -> Select[Any]:
    """What :func:`need_profiles` reads, ordered by id; with ``by_id`` only the needs
    in the ``need_ids`` parameter. Built once: each list of candidates reads one need."""
    stmt = (
        select(
            Need.id,
            Need.title,
            Need.description,
            Need.mode,
            Need.start_date,
            Need.end_date,
            Need.skills,
            Need.min_title_level,
            Need.min_degree_level,
            Need.licences,
            Need.languages,
            Need.headcount,
            Need.days_needed,
            Need.programme_code,
            Need.site_id,
            Need.required_categories,
            Site.county_code,
            Site.lat,
            Site.lon,
            Site.poverty_township,
            Site.altitude_m,
            Township.name,
        )
        .join(Site, Need.site_id == Site.id)
        .outerjoin(Township, Site.township_id == Township.id)
    )
    if by_id:
        stmt = stmt.where(Need.id.in_(bindparam("need_ids", expanding=True)))
    return stmt.order_by(Need.id)


def need_profiles(session: Session, need_ids: Sequence[int] | None = None) -> list[NeedProfile]:
    by_id = need_ids is not None
    params = {"need_ids": list(need_ids)} if need_ids is not None else {}
    threshold = placements.min_days(session)
    return [
        _need_profile(row, row, row.name, threshold)
        for row in session.execute(_need_profile_rows(by_id), params)
    ]


def need_profile_of(session: Session, need: Need) -> NeedProfile:
    """:func:`need_profiles` of one need already loaded with its site (a list of
    candidates has it), without reading its row again."""
    site = need.site
    township = site.township.name if site.township is not None else None
    return _need_profile(need, site, township, placements.min_days(session))


def _need_profile(need: Any, site: Any, township: str | None, threshold: int) -> NeedProfile:
    """``need``: a need's columns by name (a :class:`Need` or a row of them); ``site``:
    its site's ``county_code``, ``lat``, ``lon``, ``poverty_township``, ``altitude_m``."""
    return NeedProfile(
        id=need.id,
        text=need_text(need.title, need.description),
        mode=Mode(need.mode),
        window=Window(need.start_date, need.end_date),
        county=site.county_code,
        township=township or "",
        lat=site.lat,
        lon=site.lon,
        poverty_township=bool(site.poverty_township),
        altitude_m=site.altitude_m,
        skills=tuple(need.skills or ()),
        min_title_level=need.min_title_level,
        min_degree_level=need.min_degree_level,
        licences=tuple(need.licences or ()),
        languages=tuple(need.languages or ()),
        headcount=need.headcount,
        days_needed=need.days_needed,
        programme=need.programme_code,
        site_id=need.site_id,
        required_categories=tuple(need.required_categories or ()),
        long_placement=is_long_placement(need.mode, need.days_needed, threshold),
    )


def _group(rows: Iterable[tuple[int, object]]) -> dict[int, list[object]]:
    grouped: dict[int, list[object]] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def talent_profiles(
    session: Session, talent_ids: Sequence[int] | None = None, *, year: int | None = None
) -> list[TalentProfile]:
    """Profiles with their current load, past declines, pairings and service history.
    ``year`` is the year whose committed days count against the yearly capacity."""
    year = year or date.today().year
    ids_filter = list(talent_ids) if talent_ids is not None else None

    def scoped(stmt, column):  # type: ignore[no-untyped-def]
        return stmt.where(column.in_(ids_filter)) if ids_filter is not None else stmt

    windows = _group(
        (r.talent_id, Window(r.start_date, r.end_date))
        for r in session.execute(
            scoped(
                select(
                    AvailabilityWindow.talent_id,
                    AvailabilityWindow.start_date,
                    AvailabilityWindow.end_date,
                ),
                AvailabilityWindow.talent_id,
            )
        )
    )
    load = {
        r.talent_id: (r.n, r.days or 0)
        for r in session.execute(
            scoped(
                select(
                    Match.talent_id,
                    func.count().label("n"),
                    placements.short_days(session).label("days"),
                )
                .join(Need, Match.need_id == Need.id)
                .where(Match.status.in_(_HOLDING))
                .group_by(Match.talent_id),
                Match.talent_id,
            )
        )
    }
    occupied: dict[int, list[object]] = defaultdict(list)
    engaged: dict[int, list[object]] = defaultdict(list)
    for r in session.execute(
        scoped(
            select(
                Match.talent_id,
                Need.start_date,
                Need.end_date,
                placements.is_long(session).label("long"),
            )
            .join(Need, Match.need_id == Need.id)
            .where(Match.status.in_(_HOLDING)),
            Match.talent_id,
        )
    ):
        held = Window(r.start_date, r.end_date)
        engaged[r.talent_id].append(held)
        if r.long:
            occupied[r.talent_id].append(held)
    declined = _group(
        session.execute(
            scoped(
                select(Match.talent_id, Match.need_id).where(Match.status.in_(_DECLINED)),
                Match.talent_id,
            )
        )
    )
    history = _group(
        (r.talent_id, f"{r.title}：{r.outcome}" if r.outcome else r.title)
        for r in session.execute(
            scoped(
                select(
                    Match.talent_id, Need.title, func.max(ServiceRecord.outcome).label("outcome")
                )
                .join(Need, Match.need_id == Need.id)
                .outerjoin(ServiceRecord, ServiceRecord.match_id == Match.id)
                .where(Match.status == MatchStatus.COMPLETED.value)
                .group_by(Match.id, Match.talent_id, Need.title),
                Match.talent_id,
            )
        )
    )
    paired_sites = _group(
        session.execute(
            select(Institution.id, Pairing.site_id)
            .join(Pairing, Pairing.institution_id == Institution.id)
            .where(Pairing.site_id.is_not(None))
        )
    )
    paired_counties = _group(
        session.execute(
            select(Institution.id, Pairing.county_code)
            .join(Pairing, Pairing.institution_id == Institution.id)
            .where(Pairing.county_code.is_not(None))
        )
    )
    stmt = scoped(
        select(
            Talent.id,
            Talent.bio,
            Talent.modes,
            Talent.category,
            Talent.home_county_code,
            Talent.base_lat,
            Talent.base_lon,
            Talent.travel_radius_km,
            Talent.skills,
            Talent.title_level,
            Talent.degree_level,
            Talent.licences,
            Talent.languages,
            Talent.capacity_concurrent,
            Talent.capacity_days_per_year,
            Talent.institution_id,
            Talent.long_placement_ok,
        ).where(Talent.active.is_(True)),
        Talent.id,
    )
    out = []
    for r in session.execute(stmt.order_by(Talent.id)):
        n_active, days = load.get(r.id, (0, 0))
        inst = r.institution_id
        out.append(
            TalentProfile(
                id=r.id,
                text=r.bio,
                modes=tuple(Mode(m) for m in (r.modes or ())),
                windows=tuple(windows.get(r.id, ())),  # type: ignore[arg-type]
                category=r.category,
                home_county=r.home_county_code or "",
                lat=r.base_lat,
                lon=r.base_lon,
                travel_radius_km=r.travel_radius_km,
                skills=tuple(r.skills or ()),
                title_level=r.title_level,
                degree_level=r.degree_level,
                licences=tuple(r.licences or ()),
                languages=tuple(r.languages or ()),
                capacity_concurrent=r.capacity_concurrent,
                active_matches=int(n_active),
                capacity_days_per_year=r.capacity_days_per_year,
                days_committed=int(days),
                institution_id=inst,
                declined_need_ids=frozenset(declined.get(r.id, ())),  # type: ignore[arg-type]
                paired_site_ids=frozenset(paired_sites.get(inst, ())) if inst else frozenset(),  # type: ignore[arg-type]
                paired_counties=frozenset(paired_counties.get(inst, ())) if inst else frozenset(),  # type: ignore[arg-type]
                history=tuple(history.get(r.id, ())),  # type: ignore[arg-type]
                long_placement_ok=bool(r.long_placement_ok),
                occupied=tuple(occupied.get(r.id, ())),  # type: ignore[arg-type]
                engaged=tuple(engaged.get(r.id, ())),  # type: ignore[arg-type]
            )
        )
    return out


def install_category_names() -> None:
    """Give the matching library the names of the codes its reasons mention (categories,
    modes, title and degree levels, licences, languages, counties), so its sentences read
    "能工巧匠/土专家", "短期驻点", "中级职称", "双柏县" — never a code. The words come from the
    catalogues (``label.<kind>.<code>``), else from the reference data."""
    from matching.labels import register_names
    from service.i18n import has_message, translate

    def words(kind: str, rows: list[tuple[str, str, str]]) -> dict[str, tuple[str, str]]:
        out = {}
        for code, zh, en in rows:
            key = f"label.{kind}.{code}"
            out[code] = (
                translate(key, "zh-CN") if has_message(key, "zh-CN") else zh,
                translate(key, "en") if has_message(key, "en") else en,
            )
        return out

    c = reference.load_categories()
    kinds: dict[str, list[tuple[str, str, str]]] = {
        "category": [(t.code, t.zh, t.en) for t in c.talent_categories],
        "mode": [(m.code, m.zh, m.en) for m in c.modes],
        "title": [(str(lv.level), lv.zh, lv.en) for lv in c.title_levels],
        "degree": [(str(lv.level), lv.zh, lv.en) for lv in c.degree_levels],
        "licence": [(t.code, t.zh, t.en) for t in c.licences],
        "language": [(t.code, t.zh, t.en) for t in c.languages],
    }
    for kind, rows in kinds.items():
        register_names(kind, words(kind, rows))
    counties = reference.load_divisions().counties
    register_names("county", {k.code: (k.name, k.en) for k in counties})
