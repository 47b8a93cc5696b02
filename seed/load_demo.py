"""Writes a generated demo population into the database, fast and idempotently.

Rows are keyed by ``external_id``: a second load of the same population inserts nothing
and fails on nothing. Inserts go through SQLAlchemy Core ``executemany`` in chunks, which
keeps 100,000 talents well inside two minutes on SQLite."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import AvailabilityWindow, Institution, Need, Pairing, Site, Talent, Township
from seed.demo.records import Population

CHUNK = 5000

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class DemoLoadResult:
    institutions: int
    sites: int
    needs: int
    talents: int
    windows: int
    pairings: int


def _existing(session: Session, column: Any) -> set[str]:
    return set(session.scalars(select(column)))


def _id_map(session: Session, model: Any) -> dict[str, int]:
    return {ext: pk for ext, pk in session.execute(select(model.external_id, model.id))}


def _insert_chunks(
    session: Session,
    model: Any,
    rows: Sequence[dict[str, Any]],
    label: str,
    progress: Progress | None,
) -> None:
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        session.execute(insert(model), list(chunk))
        if progress:
            progress(label, len(chunk))


def load_population(
    population: Population,
    *,
    session: Session,
    progress: Progress | None = None,
    shift_years: int = 0,
) -> DemoLoadResult:
    """Insert every record not yet present. The caller commits.

    The generator draws its dates from fixed years (from 2025) so that a seed always gives
    the same population; ``shift_years`` moves every need, window and pairing date that
    many years later, so a demo loaded in a later year still has needs to fill."""
    later = _shifter(shift_years)
    known_inst = _existing(session, Institution.external_id)
    inst_rows = [
        {
            "external_id": i.external_id,
            "name": i.name,
            "institution_type": i.institution_type,
            "county_code": i.county_code,
            "lat": i.lat,
            "lon": i.lon,
            "specialities": list(i.specialities),
        }
        for i in population.institutions
        if i.external_id not in known_inst
    ]
    _insert_chunks(session, Institution, inst_rows, "institutions", progress)
    institution_ids = _id_map(session, Institution)

    townships = {
        (county, name): tid
        for tid, county, name in session.execute(
            select(Township.id, Township.county_code, Township.name)
        )
    }
    known_sites = _existing(session, Site.external_id)
    site_rows = [
        {
            "external_id": s.external_id,
            "name": s.name,
            "site_type": s.site_type,
            "county_code": s.county_code,
            "township_id": townships.get((s.county_code, s.township)),
            "lat": s.lat,
            "lon": s.lon,
            "altitude_m": s.altitude_m,
            "poverty_township": s.poverty_township,
            "contact_name": s.contact_name,
            "phone": s.phone,
            "email": s.email,
        }
        for s in population.sites
        if s.external_id not in known_sites
    ]
    _insert_chunks(session, Site, site_rows, "sites", progress)
    site_ids = _id_map(session, Site)

    known_needs = _existing(session, Need.external_id)
    need_rows = [
        {
            "external_id": n.external_id,
            "site_id": site_ids[n.site_external_id],
            "title": n.title,
            "description": n.description,
            "skills": list(n.skills),
            "mode": n.mode,
            "min_title_level": n.min_title_level,
            "min_degree_level": n.min_degree_level,
            "licences": list(n.licences),
            "languages": list(n.languages),
            "start_date": later(n.start_date),
            "end_date": later(n.end_date),
            "headcount": n.headcount,
            "days_needed": n.days_needed,
            "programme_code": n.programme_code,
            "status": "open",
        }
        for n in population.needs
        if n.external_id not in known_needs
    ]
    _insert_chunks(session, Need, need_rows, "needs", progress)

    known_talents = _existing(session, Talent.external_id)
    new_talents = [t for t in population.talents if t.external_id not in known_talents]
    talent_rows = [
        {
            "external_id": t.external_id,
            "name": t.name,
            "category": t.category,
            "institution_id": institution_ids.get(t.institution_external_id or ""),
            "title_level": t.title_level,
            "degree_level": t.degree_level,
            "licences": list(t.licences),
            "languages": list(t.languages),
            "skills": list(t.skills),
            "bio": t.bio,
            "home_county_code": t.home_county_code,
            "base_lat": t.base_lat,
            "base_lon": t.base_lon,
            "travel_radius_km": t.travel_radius_km,
            "modes": list(t.modes),
            "capacity_concurrent": t.capacity_concurrent,
            "capacity_days_per_year": t.capacity_days_per_year,
            "phone": t.phone,
            "email": t.email,
            "id_number": t.id_number,
            "long_placement_ok": t.long_placement_ok,
            "active": True,
        }
        for t in new_talents
    ]
    _insert_chunks(session, Talent, talent_rows, "talents", progress)
    talent_ids = _id_map(session, Talent) if new_talents else {}
    window_rows = [
        {
            "talent_id": talent_ids[t.external_id],
            "start_date": later(start),
            "end_date": later(end),
        }
        for t in new_talents
        for start, end in t.windows
    ]
    _insert_chunks(session, AvailabilityWindow, window_rows, "windows", progress)

    known_pairings: set[tuple[int, int | None, str | None]] = {
        (inst, site, county)
        for inst, site, county in session.execute(
            select(Pairing.institution_id, Pairing.site_id, Pairing.county_code)
        )
    }
    pairing_rows = []
    for p in population.pairings:
        key = (
            institution_ids[p.institution_external_id],
            site_ids.get(p.site_external_id) if p.site_external_id else None,
            p.county_code,
        )
        if key in known_pairings:
            continue
        known_pairings.add(key)
        pairing_rows.append(
            {
                "institution_id": key[0],
                "site_id": key[1],
                "county_code": key[2],
                "kind": p.kind,
                "start_date": later(p.start_date),
                "end_date": later(p.end_date),
            }
        )
    _insert_chunks(session, Pairing, pairing_rows, "pairings", progress)
    return DemoLoadResult(
        institutions=len(inst_rows),
        sites=len(site_rows),
        needs=len(need_rows),
        talents=len(talent_rows),
        windows=len(window_rows),
        pairings=len(pairing_rows),
    )


def _shifter(years: int) -> Callable[[date], date]:
    def later(day: date) -> date:
        if not years:
            return day
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February in a year without one
            return day.replace(year=day.year + years, day=28)

    return later
