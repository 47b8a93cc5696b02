"""Demo pairings (结对帮扶): each top hospital with two county hospitals, other
institutions with a few sites of their domains or with a county."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from seed.demo import catalog
from seed.demo.context import GenState, SiteCtx
from seed.demo.draw import add_years, rand_date
from seed.demo.records import DemoInstitution, DemoPairing


def _hospital_pairings(
    g: GenState,
    rec: DemoInstitution,
    hospitals_by_county: dict[str, list[str]],
    start: date,
    end: date,
) -> list[DemoPairing]:
    out: list[DemoPairing] = []
    counties = g.ref.counties
    for county in g.rng.sample(list(counties), min(2, len(counties))):
        hosp = hospitals_by_county.get(county.code)
        out.append(
            DemoPairing(
                institution_external_id=rec.external_id,
                site_external_id=hosp[0] if hosp else None,
                county_code=None if hosp else county.code,
                kind="counterpart_hospital",
                start_date=start,
                end_date=end,
            )
        )
    return out


def _one_to_one(
    g: GenState,
    spec: catalog.InstitutionSpec,
    rec: DemoInstitution,
    sites: Sequence[SiteCtx],
    start: date,
    end: date,
) -> list[DemoPairing]:
    rng = g.rng
    matching = [sc for sc in sites if any(d in spec.domains for d, _ in sc.archetype.domains)]
    if matching and rng.random() < 0.8:
        chosen = rng.sample(matching, min(len(matching), rng.randint(1, 3)))
        return [
            DemoPairing(rec.external_id, sc.site.external_id, None, "one_to_one", start, end)
            for sc in chosen
        ]
    county = g.ref.counties[int(rng.random() * len(g.ref.counties))]
    return [DemoPairing(rec.external_id, None, county.code, "one_to_one", start, end)]


def pairings(g: GenState, sites: Sequence[SiteCtx]) -> list[DemoPairing]:
    rng = g.rng
    out: list[DemoPairing] = []
    hospitals_by_county: dict[str, list[str]] = {}
    for sc in sites:
        if sc.archetype.key == "county_hospital":
            hospitals_by_county.setdefault(sc.county.code, []).append(sc.site.external_id)
    for spec, rec in zip(g.inst_specs, g.inst_records, strict=True):
        start = rand_date(rng, date(2024, 1, 1), date(2026, 1, 1))
        end = add_years(start, rng.randint(2, 3)) - timedelta(days=1)
        if spec.kind == "hospital3":
            out.extend(_hospital_pairings(g, rec, hospitals_by_county, start, end))
        else:
            out.extend(_one_to_one(g, spec, rec, sites, start, end))
    return out
