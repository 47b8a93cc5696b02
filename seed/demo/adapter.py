"""The one place that knows :mod:`reference`: it turns the project's reference data
into the plain ``DemoReference`` the generator takes. If the reference API changes, only
this file changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from seed.demo.records import (
    DemoReference,
    RefCode,
    RefCounty,
    RefProgramme,
    RefRule,
    RefSkill,
    RefTownship,
)

if TYPE_CHECKING:
    import reference as ref


def reference_from_seed(*, with_measures: bool = True) -> DemoReference:
    """Read counties, taxonomy, categories and programmes through ``reference``.

    Goals carry their field codes and site types, so needs point to fitting goals;
    measures (``measure_1`` … ``measure_10``) are offered as plain codes.
    """
    import reference as ref  # imported here: reading the data files is not free

    divisions = ref.load_divisions()
    taxonomy = ref.load_taxonomy()
    categories = ref.load_categories()
    programmes = ref.load_programmes()

    counties = tuple(
        RefCounty(
            code=c.code,
            name=c.name,
            seat_lat=c.lat,
            seat_lon=c.lon,
            townships=tuple(
                RefTownship(
                    name=t.name,
                    lat=t.lat,
                    lon=t.lon,
                    altitude_m=float(t.altitude_m),
                    poverty_township=t.poverty_township,
                )
                for t in c.townships
            ),
        )
        for c in divisions.counties
    )
    skills = tuple(
        RefSkill(code=leaf.code, name_zh=leaf.zh, name_en=leaf.en, keywords=leaf.keywords)
        for leaf in taxonomy.leaves()
    )

    def codes(kind: str) -> tuple[RefCode, ...]:
        return tuple(RefCode(code=t.code, name_zh=t.zh) for t in getattr(categories, kind))

    poverty = tuple(c.code for c in divisions.counties if c.poverty_county)

    def rules(targets: Sequence[ref.Target]) -> tuple[RefRule, ...]:
        # A need goes under a line only if it keeps the rule of one of the line's
        # targets counted from matches (a line with none takes no needs).
        return tuple(
            RefRule(
                modes=t.counting.modes,
                site_types=t.counting.site_types,
                skills=t.counting.field_codes,
                min_days=t.counting.min_days,
                poverty_township_only=t.counting.poverty_township_only,
                counties=poverty if t.counting.poverty_county_only else None,
            )
            for t in targets
            if t.counting is not None
        )

    progs: list[RefProgramme | str] = [
        RefProgramme(
            code=g.code,
            skills=tuple(g.field_codes),
            site_types=tuple(g.site_types),
            rules=rules(g.targets),
        )
        for g in programmes.goals
    ]
    if with_measures:
        progs.extend(RefProgramme(code=m.code, rules=rules(m.targets)) for m in programmes.measures)
    box = divisions.bbox
    return DemoReference(
        counties=counties,
        skills=skills,
        talent_categories=codes("talent_categories"),
        site_types=codes("site_types"),
        institution_types=codes("institution_types"),
        licences=codes("licences"),
        languages=codes("languages"),
        programmes=tuple(progs),
        bbox=(box.min_lat, box.max_lat, box.min_lon, box.max_lon),
    )
