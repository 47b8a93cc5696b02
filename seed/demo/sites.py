"""Demo sites: an archetype (clinic, school, co-operative, …) placed in a township, named
after the place and what it grows or makes, with a contact person."""

from __future__ import annotations

from seed.demo import catalog, people
from seed.demo.context import GenState, SiteCtx
from seed.demo.draw import clip_bbox, jitter
from seed.demo.grammar import pick
from seed.demo.profiles import ARCHETYPE_CROPS
from seed.demo.records import DemoSite, RefCounty, RefTownship

_NAME_ATTEMPTS = 8


def _unique_name(name: str, village: str, i: int, attempt: int, used: set[str]) -> tuple[str, bool]:
    """The name to keep and whether to stop drawing: a free name, or after the last
    attempt a 分部 or numbered variant."""
    if name not in used:
        return name, True
    if attempt == _NAME_ATTEMPTS - 1:
        variant = f"{name}{village}分部"
        return (variant if name + village + "分部" not in used else f"{name}（{i}）"), True
    return name, False


def _draw_place(
    g: GenState, i: int, used: set[str]
) -> tuple[str, catalog.SiteArchetype, RefCounty, RefTownship, tuple[str, str, str, str]]:
    rng = g.rng
    counties = g.ref.counties
    for attempt in range(_NAME_ATTEMPTS):
        arch = g.arch_by_key[g.arch_draw.draw(rng)]
        county = counties[int(rng.random() * len(counties))]
        if arch.county_level:
            town = county.townships[0]
        else:
            town = county.townships[int(rng.random() * len(county.townships))]
        crop, animal, product, fungus = g.county_vocab(county)
        if arch.key in ARCHETYPE_CROPS:
            crop = pick(rng, ARCHETYPE_CROPS[arch.key])
        village = pick(rng, catalog.VILLAGE_FIRST) + pick(rng, catalog.VILLAGE_SECOND)
        name = pick(rng, arch.names).format(
            county=county.name,
            township=town.name,
            village=village,
            crop=crop,
            animal=animal,
            product=product,
            fungus=fungus,
        )
        name, done = _unique_name(name, village, i, attempt, used)
        if done:
            break
    return name, arch, county, town, (crop, animal, product, fungus)


def _site(g: GenState, i: int, used: set[str]) -> SiteCtx:
    rng = g.rng
    name, arch, county, town, vocab = _draw_place(g, i, used)
    used.add(name)
    lat, lon = clip_bbox(*jitter(rng, town.lat, town.lon, 0.02), g.bbox)
    contact = people.person_name(rng)
    site = DemoSite(
        external_id=f"DEMO-S{i:05d}",
        name=name,
        site_type=g.ref.site_type_code[arch.key],
        county_code=county.code,
        township=town.name,
        lat=lat,
        lon=lon,
        poverty_township=town.poverty_township,
        altitude_m=float(round(town.altitude_m + (rng.random() * 2 - 1) * 80)),
        contact_name=contact.name,
        phone=people.phone_number(rng),
        email=people.email_address(rng, contact.pinyin, i),
    )
    short = county.name[:-1] if len(county.name) > 2 else county.name
    return SiteCtx(site, arch, county, short, *vocab)


def sites(g: GenState, n: int) -> list[SiteCtx]:
    used: set[str] = set()
    return [_site(g, i, used) for i in range(1, n + 1)]
