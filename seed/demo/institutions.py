"""Demo institutions: the catalogue's hospitals, universities and firms, with specialities
drawn from the skills of their domains."""

from __future__ import annotations

from seed.demo import catalog
from seed.demo.context import GenState
from seed.demo.records import DemoInstitution


def _specialities(g: GenState, spec: catalog.InstitutionSpec) -> tuple[str, ...]:
    skills: list[str] = []
    for dk in spec.domains:
        ds = g.ref.domain_skills.get(dk, ())
        k = min(len(ds), 1 + g.rng.randrange(3))
        for s in g.rng.sample(ds, k):
            if s not in skills:
                skills.append(s)
    return tuple(skills)


def institutions(g: GenState) -> list[DemoInstitution]:
    """One record per catalogue entry; kept on ``g`` for talents and pairings."""
    out: list[DemoInstitution] = []
    for i, spec in enumerate(catalog.INSTITUTIONS, start=1):
        county = g.ref.county_by_key.get(spec.county) if spec.county else None
        out.append(
            DemoInstitution(
                external_id=f"DEMO-I{i:03d}",
                name=spec.name,
                institution_type=g.ref.institution_type_code.get(spec.kind, spec.kind),
                county_code=county.code if county else None,
                lat=spec.lat,
                lon=spec.lon,
                specialities=_specialities(g, spec),
            )
        )
    g.inst_specs = list(catalog.INSTITUTIONS)
    g.inst_records = out
    return out
