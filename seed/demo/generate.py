"""The deterministic demo population: institutions, sites, needs, talents, pairings.

``generate_population(n_sites=…, n_talents=…, seed=…, reference=…)`` draws everything
from one ``random.Random(seed)``, walks only lists and tuples (never sets or dicts keyed
by hash-randomised strings in an order that matters), and so returns identical output for
identical input in any process.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from seed.demo import catalog, text
from seed.demo.domains import (
    ANIMALS,
    COMMON_SEASON,
    COUNTY_ANIMALS,
    COUNTY_CROPS,
    COUNTY_PRODUCTS,
    CROPS,
    DOMAINS,
    FUNGI,
    PRODUCTS,
    SUBJECTS,
    Domain,
    Topic,
)
from seed.demo.grammar import expand, pick
from seed.demo.records import (
    DemoInstitution,
    DemoNeed,
    DemoPairing,
    DemoReference,
    DemoSite,
    DemoTalent,
    Population,
    RefCode,
    RefCounty,
    RefProgramme,
    Window,
)

DEMO_START = date(2025, 1, 1)
DEMO_END = date(2027, 12, 31)
PAST_END = date(2024, 6, 30)  # the windows of talents who fit nothing end before this

CROP_SEASON = dict(CROPS)

NICKNAMES: dict[str, tuple[str, ...]] = {
    "fungi": ("菌子王", "{fungus}王", "找菌能手"),
    "crops": ("{crop}专家", "{crop}大王", "田秀才"),
    "breeding": ("育苗能手", "{crop}专家"),
    "husbandry": ("{animal}王", "养殖能手", "土兽医"),
    "tourism": ("彝绣能手", "火把节总管"),
    "processing": ("{product}师傅", "加工能手"),
}
for _d in DOMAINS:
    NICKNAMES.setdefault(_d.key, ("土专家", "能人"))

TREE_CROPS = ("核桃", "花椒", "青花椒", "芒果", "石榴", "葡萄", "蓝莓")
FIELD_CROPS = ("烤烟", "冬早蔬菜", "番茄", "马铃薯", "魔芋")
ARCHETYPE_CROPS: dict[str, tuple[str, ...]] = {
    "veg_base": ("冬早蔬菜", "番茄", "马铃薯"),
    "fruit_base": ("芒果", "石榴", "葡萄", "蓝莓"),
}


def _licence_phrase(name: str) -> str:
    """执业医师 → 执业医师资格; names that already say 资格/证书/等级 stay."""
    return name if name.endswith(("资格", "证书", "等级", "证")) else name + "资格"


def _crop_for_topic(rng: random.Random, crop: str, topic: str) -> str:
    if topic == "orchard" and crop not in TREE_CROPS:
        return pick(rng, TREE_CROPS)
    if topic == "field_crops" and crop in TREE_CROPS:
        return pick(rng, FIELD_CROPS)
    return crop


# Share of talents per category (DESIGN.md's list), before the guaranteed first of each.
CATEGORY_WEIGHTS: dict[str, int] = {
    "expert": 10,
    "professional": 18,
    "retired": 8,
    "volunteer": 10,
    "teacher": 10,
    "gp": 8,
    "phd": 3,
    "returnee": 10,
    "veteran": 6,
    "craftsman": 12,
}


@dataclass(frozen=True, slots=True)
class CategoryProfile:
    age: tuple[int, int]
    title: tuple[tuple[int, int], ...]  # (level, weight)
    degree: tuple[tuple[int, int], ...]
    domains: tuple[tuple[str, int], ...]
    institution_kinds: tuple[str, ...]
    institution_share: float
    modes: tuple[str, ...]
    n_modes: tuple[int, int]
    required_mode: str | None
    radius: tuple[int, int]
    concurrent: tuple[int, int]
    days: tuple[int, int]
    home_share: float  # share with a home county in the prefecture
    yi_share: float  # share speaking Yi among those with a home county
    en_share: float
    required_always: bool = False


_ALL_DOMAINS = tuple((d.key, 1) for d in DOMAINS)

PROFILES: dict[str, CategoryProfile] = {
    "expert": CategoryProfile(
        age=(38, 62),
        title=((4, 55), (5, 45)),
        degree=((3, 15), (4, 35), (5, 50)),
        domains=(*_ALL_DOMAINS, ("health", 4), ("crops", 2), ("fungi", 2)),
        institution_kinds=("hospital3", "university", "research"),
        institution_share=0.95,
        modes=("onsite_short", "remote", "project", "part_time", "seasonal"),
        n_modes=(2, 3),
        required_mode="onsite_short",
        radius=(150, 500),
        concurrent=(1, 3),
        days=(15, 60),
        home_share=0.15,
        yi_share=0.3,
        en_share=0.5,
    ),
    "professional": CategoryProfile(
        age=(28, 55),
        title=((2, 25), (3, 50), (4, 25)),
        degree=((2, 20), (3, 65), (4, 15)),
        domains=(*_ALL_DOMAINS, ("crops", 2), ("health", 2), ("husbandry", 1)),
        institution_kinds=("hospital3", "research", "pref_inst", "soe", "university"),
        institution_share=0.4,
        modes=("onsite_long", "onsite_short", "part_time", "remote"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(30, 150),
        concurrent=(1, 2),
        days=(30, 200),
        home_share=0.65,
        yi_share=0.35,
        en_share=0.1,
    ),
    "retired": CategoryProfile(
        age=(58, 74),
        title=((4, 60), (5, 40)),
        degree=((2, 20), (3, 65), (4, 15)),
        domains=(
            ("health", 4),
            ("teaching", 4),
            ("crops", 3),
            ("husbandry", 2),
            ("fungi", 1),
            ("breeding", 1),
            ("elderly", 1),
            ("testing", 1),
        ),
        institution_kinds=("hospital3", "university", "research"),
        institution_share=0.5,
        modes=("part_time", "remote", "onsite_short", "seasonal"),
        n_modes=(1, 3),
        required_mode=None,
        radius=(20, 200),
        concurrent=(1, 2),
        days=(20, 90),
        home_share=0.45,
        yi_share=0.3,
        en_share=0.05,
    ),
    "volunteer": CategoryProfile(
        age=(21, 26),
        title=((0, 70), (1, 15), (2, 15)),
        degree=((2, 30), (3, 65), (4, 5)),
        domains=(
            ("teaching", 6),
            ("health", 2),
            ("management", 4),
            ("ecommerce", 3),
            ("crops", 2),
            ("planning", 2),
            ("elderly", 1),
        ),
        institution_kinds=("social",),
        institution_share=0.2,
        modes=("onsite_long",),
        n_modes=(1, 1),
        required_mode="onsite_long",
        radius=(100, 300),
        concurrent=(1, 1),
        days=(220, 250),
        home_share=0.5,
        yi_share=0.4,
        en_share=0.3,
        required_always=True,
    ),
    "teacher": CategoryProfile(
        age=(22, 35),
        title=((1, 25), (2, 45), (3, 30)),
        degree=((2, 20), (3, 80)),
        domains=(("teaching", 1),),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_long", "remote", "part_time"),
        n_modes=(1, 2),
        required_mode="onsite_long",
        radius=(20, 80),
        concurrent=(1, 1),
        days=(200, 240),
        home_share=0.6,
        yi_share=0.5,
        en_share=0.2,
        required_always=True,
    ),
    "gp": CategoryProfile(
        age=(26, 50),
        title=((2, 40), (3, 45), (4, 15)),
        degree=((2, 30), (3, 65), (4, 5)),
        domains=(("health", 1),),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_long", "onsite_short", "part_time"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(20, 80),
        concurrent=(1, 2),
        days=(100, 240),
        home_share=0.6,
        yi_share=0.45,
        en_share=0.05,
    ),
    "phd": CategoryProfile(
        age=(26, 35),
        title=((2, 30), (3, 50), (4, 20)),
        degree=((5, 1),),
        domains=(
            ("breeding", 3),
            ("fungi", 3),
            ("crops", 2),
            ("testing", 2),
            ("processing", 2),
            ("husbandry", 1),
            ("planning", 1),
        ),
        institution_kinds=("university", "research"),
        institution_share=0.9,
        modes=("project", "onsite_short", "seasonal", "remote"),
        n_modes=(2, 3),
        required_mode="project",
        radius=(100, 400),
        concurrent=(1, 2),
        days=(20, 90),
        home_share=0.1,
        yi_share=0.2,
        en_share=0.9,
    ),
    "returnee": CategoryProfile(
        age=(25, 48),
        title=((0, 70), (1, 15), (2, 15)),
        degree=((1, 20), (2, 35), (3, 40), (4, 5)),
        domains=(
            ("ecommerce", 4),
            ("processing", 2),
            ("tourism", 2),
            ("crops", 2),
            ("management", 2),
            ("husbandry", 1),
            ("fungi", 1),
        ),
        institution_kinds=("private",),
        institution_share=0.15,
        modes=("onsite_long", "project", "part_time"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(15, 60),
        concurrent=(1, 2),
        days=(60, 200),
        home_share=1.0,
        yi_share=0.55,
        en_share=0.05,
    ),
    "veteran": CategoryProfile(
        age=(24, 45),
        title=((0, 85), (1, 15)),
        degree=((1, 30), (2, 40), (3, 30)),
        domains=(
            ("management", 4),
            ("husbandry", 2),
            ("crops", 2),
            ("ecommerce", 2),
            ("planning", 1),
        ),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_long", "part_time", "onsite_short"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(10, 60),
        concurrent=(1, 1),
        days=(100, 250),
        home_share=0.85,
        yi_share=0.5,
        en_share=0.0,
    ),
    "craftsman": CategoryProfile(
        age=(35, 70),
        title=((0, 60), (1, 30), (2, 10)),
        degree=((0, 50), (1, 35), (2, 15)),
        domains=(
            ("crops", 4),
            ("fungi", 3),
            ("husbandry", 3),
            ("tourism", 2),
            ("processing", 1),
            ("breeding", 1),
        ),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_short", "part_time", "project"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(5, 50),
        concurrent=(1, 3),
        days=(20, 100),
        home_share=1.0,
        yi_share=0.8,
        en_share=0.0,
    ),
}

NEED_MODE_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "health": (
        ("onsite_long", 35),
        ("onsite_short", 20),
        ("remote", 15),
        ("part_time", 20),
        ("seasonal", 10),
    ),
    "teaching": (("onsite_long", 50), ("part_time", 15), ("remote", 20), ("onsite_short", 15)),
    "elderly": (("onsite_long", 30), ("onsite_short", 35), ("part_time", 20), ("remote", 15)),
}
_AGRI_MODES = (
    ("onsite_short", 40),
    ("seasonal", 15),
    ("project", 15),
    ("onsite_long", 15),
    ("remote", 10),
    ("part_time", 5),
)
_OTHER_MODES = (
    ("onsite_short", 25),
    ("project", 25),
    ("remote", 15),
    ("part_time", 20),
    ("onsite_long", 15),
)
for _k in ("fungi", "crops", "breeding", "husbandry", "testing", "processing"):
    NEED_MODE_WEIGHTS[_k] = _AGRI_MODES
for _k in ("ecommerce", "planning", "tourism", "management"):
    NEED_MODE_WEIGHTS[_k] = _OTHER_MODES

# Span of a need's window (days) and days of work asked for, per mode.
NEED_SPAN: dict[str, tuple[int, int]] = {
    "onsite_long": (365, 730),
    "onsite_short": (14, 90),
    "seasonal": (60, 150),
    "remote": (90, 365),
    "part_time": (180, 365),
    "project": (180, 540),
}
NEED_DAYS: dict[str, tuple[int, int]] = {
    "onsite_long": (180, 450),
    "onsite_short": (3, 20),
    "seasonal": (30, 90),
    "remote": (10, 60),
    "part_time": (20, 80),
    "project": (30, 200),
}


# --- helpers ------------------------------------------------------------------------------


class _Weighted:
    """Weighted choice by bisect over cumulative weights (fast, deterministic)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[str, int]] | Sequence[tuple[int, int]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum: list[int] = []
        acc = 0
        for _, w in pairs:
            acc += w
            self.cum.append(acc)
        self.total = acc

    def draw(self, rng: random.Random):  # type: ignore[no-untyped-def]
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def _search_text(*parts: str) -> str:
    return " ".join(parts).lower()


def _county_key(name: str) -> str:
    return name[:2]


def _jitter(rng: random.Random, lat: float, lon: float, d: float) -> tuple[float, float]:
    return (
        round(lat + (rng.random() * 2 - 1) * d, 5),
        round(lon + (rng.random() * 2 - 1) * d, 5),
    )


def _clip_bbox(
    lat: float, lon: float, bbox: tuple[float, float, float, float]
) -> tuple[float, float]:
    return (
        min(max(lat, bbox[0] + 0.001), bbox[1] - 0.001),
        min(max(lon, bbox[2] + 0.001), bbox[3] - 0.001),
    )


def _date_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


# --- reference resolution -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Resolved:
    counties: tuple[RefCounty, ...]
    county_by_key: dict[str, RefCounty]
    domains: tuple[Domain, ...]  # enabled ones
    domain_skills: dict[str, tuple[str, ...]]
    topic_skills: dict[tuple[str, str], tuple[str, ...]]
    rare_skills: frozenset[str]
    all_skills: tuple[str, ...]
    category_code: dict[str, str]
    site_type_code: dict[str, str]
    institution_type_code: dict[str, str]
    licence: dict[str, RefCode]
    language: dict[str, str]
    programmes: tuple[RefProgramme, ...]


def _match_code(codes: Sequence[RefCode], words: Sequence[str], exclude: Sequence[str] = ()):
    for w in words:
        for c in codes:
            hay = _search_text(c.name_zh, c.code)
            if w.lower() in hay and not any(x.lower() in hay for x in exclude):
                return c
    return None


def _resolve(reference: DemoReference) -> _Resolved:
    counties = tuple(c for c in reference.counties if c.townships)
    if not counties:
        raise ValueError("reference.counties: no county with townships")
    if not reference.skills:
        raise ValueError("reference.skills: the taxonomy is empty")
    skill_text = [
        (s.code, _search_text(s.code, s.name_zh, s.name_en, *s.keywords)) for s in reference.skills
    ]

    def find(words: Sequence[str]) -> tuple[str, ...]:
        lows = [w.lower() for w in words]
        return tuple(code for code, hay in skill_text if any(w in hay for w in lows))

    domain_skills: dict[str, tuple[str, ...]] = {}
    topic_skills: dict[tuple[str, str], tuple[str, ...]] = {}
    enabled: list[Domain] = []
    for d in DOMAINS:
        ds = find(d.keywords)
        if not ds:
            continue
        enabled.append(d)
        domain_skills[d.key] = ds
        for t in d.topics:
            ts = tuple(c for c in find(t.keywords) if c in ds) or find(t.keywords) or ds
            topic_skills[(d.key, t.key)] = ts
    if not enabled:
        raise ValueError("reference.skills: no skill matches any demo domain")

    rare: list[str] = []
    for d in enabled:
        ds = domain_skills[d.key]
        hits = [c for c in find(d.rare) if c in ds] if d.rare else []
        if hits and len(ds) >= 2:
            rare.append(hits[0])

    category_code: dict[str, str] = {}
    claimed: list[str] = []
    for key, words in catalog.CATEGORY_KEYWORDS:
        for w in words:
            hit = next(
                (
                    c
                    for c in reference.talent_categories
                    if w in c.name_zh and c.code not in claimed
                ),
                None,
            )
            if hit is not None:
                category_code[key] = hit.code
                claimed.append(hit.code)
                break

    fallback_site = _match_code(reference.site_types, ("其他", "other")) or (
        reference.site_types[0] if reference.site_types else None
    )
    if fallback_site is None:
        raise ValueError("reference.site_types: empty")
    site_type_code = {
        a.key: (_match_code(reference.site_types, a.type_keywords) or fallback_site).code
        for a in catalog.SITE_ARCHETYPES
    }
    institution_type_code: dict[str, str] = {}
    taken: list[str] = []
    for kind in ("hospital3", "university", "research", "pref_inst", "soe", "social", "private"):
        free = [c for c in reference.institution_types if c.code not in taken]
        hit = _match_code(free, catalog.INSTITUTION_KIND_KEYWORDS[kind]) or _match_code(
            reference.institution_types, catalog.INSTITUTION_KIND_KEYWORDS[kind]
        )
        if hit is None and reference.institution_types:
            hit = (
                _match_code(reference.institution_types, ("其他", "other"))
                or (reference.institution_types[0])
            )
        if hit is not None:
            institution_type_code[kind] = hit.code
            taken.append(hit.code)

    licence: dict[str, RefCode] = {}
    for key, words, exclude in catalog.LICENCE_KEYWORDS:
        free = [c for c in reference.licences if all(c.code != v.code for v in licence.values())]
        hit = _match_code(free, words, exclude)
        if hit is not None:
            licence[key] = hit
    language: dict[str, str] = {}
    for key, words in catalog.LANGUAGE_KEYWORDS:
        hit = _match_code(reference.languages, words)
        if hit is not None:
            language[key] = hit.code

    return _Resolved(
        counties=counties,
        county_by_key={_county_key(c.name): c for c in counties},
        domains=tuple(enabled),
        domain_skills=domain_skills,
        topic_skills=topic_skills,
        rare_skills=frozenset(rare),
        all_skills=tuple(s.code for s in reference.skills),
        category_code=category_code,
        site_type_code=site_type_code,
        institution_type_code=institution_type_code,
        licence=licence,
        language=language,
        programmes=tuple(
            p if isinstance(p, RefProgramme) else RefProgramme(code=p) for p in reference.programmes
        ),
    )


# --- the generator ------------------------------------------------------------------------


@dataclass(slots=True)
class _SiteCtx:
    site: DemoSite
    archetype: catalog.SiteArchetype
    county: RefCounty
    county_short: str  # 大姚县 → 大姚
    crop: str
    animal: str
    product: str
    fungus: str


class _Generator:
    def __init__(self, reference: DemoReference, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ref = _resolve(reference)
        self.bbox = reference.bbox
        self._anchor_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        skill_hay = {s.code: _search_text(s.name_zh, *s.keywords) for s in reference.skills}
        self._skill_hay = skill_hay
        self._craft_skill = next(
            (c for c, hay in skill_hay.items() if "能工巧匠" in hay or "craftsman" in c), None
        )
        self.archetypes = [
            a
            for a in catalog.SITE_ARCHETYPES
            if any(k in self.ref.domain_skills for k, _ in a.domains)
        ]
        self.arch_draw = _Weighted([(a.key, a.weight) for a in self.archetypes])
        self.arch_by_key = {a.key: a for a in self.archetypes}
        self.domain_by_key = {d.key: d for d in self.ref.domains}
        self.arch_domain_draw = {
            a.key: _Weighted([(k, w) for k, w in a.domains if k in self.ref.domain_skills])
            for a in self.archetypes
        }
        self.mode_draw = {k: _Weighted(v) for k, v in NEED_MODE_WEIGHTS.items()}
        self.region_codes = [
            c.code for c in self.ref.counties if len(c.code) == 6 and c.code.startswith("5323")
        ] or ["532301", "532322", "532323", "532324", "532325", "532326", "532327", "532328"]

    # -- shared vocab choices --

    def _county_vocab(self, county: RefCounty) -> tuple[str, str, str, str]:
        rng = self.rng
        key = _county_key(county.name)
        crop = (
            pick(rng, COUNTY_CROPS.get(key, ()))
            if rng.random() < 0.75 and key in COUNTY_CROPS
            else pick(rng, [c for c, _ in CROPS])
        )
        animal = (
            pick(rng, COUNTY_ANIMALS[key])
            if key in COUNTY_ANIMALS and rng.random() < 0.7
            else pick(rng, ANIMALS)
        )
        product = (
            pick(rng, COUNTY_PRODUCTS[key])
            if key in COUNTY_PRODUCTS and rng.random() < 0.7
            else pick(rng, PRODUCTS)
        )
        fungus = FUNGI[0] if key == "南华" and rng.random() < 0.4 else pick(rng, FUNGI)
        return crop, animal, product, fungus

    # -- institutions --

    def institutions(self) -> list[DemoInstitution]:
        out: list[DemoInstitution] = []
        rng = self.rng
        for i, spec in enumerate(catalog.INSTITUTIONS, start=1):
            county = self.ref.county_by_key.get(spec.county) if spec.county else None
            skills: list[str] = []
            for dk in spec.domains:
                ds = self.ref.domain_skills.get(dk, ())
                k = min(len(ds), 1 + rng.randrange(3))
                for s in rng.sample(ds, k):
                    if s not in skills:
                        skills.append(s)
            out.append(
                DemoInstitution(
                    external_id=f"DEMO-I{i:03d}",
                    name=spec.name,
                    institution_type=self.ref.institution_type_code.get(spec.kind, spec.kind),
                    county_code=county.code if county else None,
                    lat=spec.lat,
                    lon=spec.lon,
                    specialities=tuple(skills),
                )
            )
        self.inst_specs = list(catalog.INSTITUTIONS)
        self.inst_records = out
        return out

    # -- sites --

    def sites(self, n: int) -> list[_SiteCtx]:
        rng = self.rng
        used: set[str] = set()
        out: list[_SiteCtx] = []
        counties = self.ref.counties
        for i in range(1, n + 1):
            for attempt in range(8):
                arch = self.arch_by_key[self.arch_draw.draw(rng)]
                county = counties[int(rng.random() * len(counties))]
                if arch.county_level:
                    town = county.townships[0]
                else:
                    town = county.townships[int(rng.random() * len(county.townships))]
                crop, animal, product, fungus = self._county_vocab(county)
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
                if name not in used:
                    break
                if attempt == 7:
                    name = (
                        f"{name}{village}分部"
                        if name + village + "分部" not in used
                        else (f"{name}（{i}）")
                    )
            used.add(name)
            lat, lon = _clip_bbox(*_jitter(rng, town.lat, town.lon, 0.02), self.bbox)
            contact = text.person_name(rng)
            site = DemoSite(
                external_id=f"DEMO-S{i:05d}",
                name=name,
                site_type=self.ref.site_type_code[arch.key],
                county_code=county.code,
                township=town.name,
                lat=lat,
                lon=lon,
                poverty_township=town.poverty_township,
                altitude_m=float(round(town.altitude_m + (rng.random() * 2 - 1) * 80)),
                contact_name=contact.name,
                phone=text.phone_number(rng),
                email=text.email_address(rng, contact.pinyin, i),
            )
            out.append(
                _SiteCtx(
                    site,
                    arch,
                    county,
                    county.name[:-1] if len(county.name) > 2 else county.name,
                    crop,
                    animal,
                    product,
                    fungus,
                )
            )
        self.site_ctx = out
        return out

    # -- needs --

    def _programme(self, domain: Domain, skills: Sequence[str], site_type: str) -> str | None:
        """A programme that suits the need: by its skills or site types, else by a hint in
        its code, else any; a quarter of needs belong to no programme."""
        rng = self.rng
        progs = self.ref.programmes
        if not progs or rng.random() < 0.25:
            return None
        fitting = [
            p.code for p in progs if any(s in p.skills for s in skills) or site_type in p.site_types
        ]
        if fitting and rng.random() < 0.85:
            return pick(rng, fitting)
        hinted = [p.code for p in progs if any(h in p.code.lower() for h in domain.programme_hints)]
        if hinted and rng.random() < 0.8:
            return pick(rng, hinted)
        return pick(rng, progs).code

    def need(self, sc: _SiteCtx, serial: int, hard: bool) -> DemoNeed:
        rng = self.rng
        arch = sc.archetype
        site = sc.site
        domain = self.domain_by_key[self.arch_domain_draw[arch.key].draw(rng)]
        topics = domain.topics
        topic = (
            next((t for t in topics if t.key == arch.topic_hint), None) if arch.topic_hint else None
        )
        if topic is None and domain.key == "crops":
            key = "orchard" if sc.crop in TREE_CROPS else "field_crops"
            topic = next((t for t in topics if t.key == key), None)
        if topic is None:
            topic = topics[int(rng.random() * len(topics))]
        tskills = self.ref.topic_skills[(domain.key, topic.key)]
        dskills = self.ref.domain_skills[domain.key]

        if hard:
            rare = [s for s in dskills if s in self.ref.rare_skills]
            skills = [rare[0]] if rare else []
            own = pick(rng, tskills)
            if own not in skills:
                skills.append(own)
            mode = "onsite_short"
            min_title = rng.choice((4, 5, 5))
            min_degree = rng.choice((4, 5))
            year = rng.choice((2025, 2026, 2027))
            start = _rand_date(rng, date(year, 3, 1), date(year, 10, 15))
            end = start + timedelta(days=rng.randint(4, 13))
            days_needed = (end - start).days + 1
            headcount = 1
        else:
            k = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
            skills = list(self._anchor(domain, sc)[:1])
            for _ in range(k - len(skills)):
                s = pick(rng, tskills if rng.random() < 0.75 else dskills)
                if s not in skills:
                    skills.append(s)
            mode = self.mode_draw[domain.key].draw(rng)
            r = rng.random()
            min_title = 0 if r < 0.4 else 1 if r < 0.5 else 2 if r < 0.65 else 3 if r < 0.9 else 4
            r = rng.random()
            min_degree = (
                0 if r < 0.35 else 1 if r < 0.45 else 2 if r < 0.7 else 3 if r < 0.95 else 4
            )
            lo, hi = NEED_SPAN[mode]
            span = rng.randint(lo, hi)
            if domain.key == "fungi" and mode in ("onsite_short", "seasonal"):
                year = rng.choice((2025, 2026, 2027))
                start = _rand_date(rng, date(year, 5, 20), date(year, 7, 10))
                end = min(start + timedelta(days=span), date(year, 9, 30))
            else:
                start = _rand_date(rng, DEMO_START, DEMO_END - timedelta(days=lo))
                end = min(start + timedelta(days=span), DEMO_END)
            window_days = (end - start).days + 1
            dlo, dhi = NEED_DAYS[mode]
            days_needed = max(1, min(window_days, rng.randint(dlo, dhi)))
            r = rng.random()
            headcount = 1 if r < 0.72 else 2 if r < 0.88 else rng.randint(3, 5)
            if domain.key == "teaching" and mode == "onsite_long" and rng.random() < 0.2:
                headcount = rng.randint(2, 6)

        # licences (the plan relaxes 执业医师 to 执业助理医师 in the 25 poverty townships)
        lic_keys: list[str] = []
        if topic.licences and (hard or rng.random() < 0.6):
            key = topic.licences[0]
            if key == "physician" and site.poverty_township:
                key = "assistant_physician"
            if key in self.ref.licence:
                lic_keys.append(key)
        if hard and topic.licences and not lic_keys:
            for key in topic.licences:
                if key in self.ref.licence:
                    lic_keys.append(key)
                    break
        licences = tuple(self.ref.licence[k].code for k in lic_keys)
        licence_names = [_licence_phrase(self.ref.licence[k].name_zh) for k in lic_keys]

        yi_p = 0.7 if topic.key == "bilingual" else 0.25 if site.poverty_township else 0.08
        yi_required = "yi" in self.ref.language and (hard or rng.random() < yi_p)
        yi_soft = not yi_required and rng.random() < 0.15
        subject = pick(rng, SUBJECTS)
        languages: list[str] = []
        if yi_required:
            if topic.key == "bilingual" and "yi_han" in self.ref.language and rng.random() < 0.5:
                languages.append(self.ref.language["yi_han"])
            else:
                languages.append(self.ref.language["yi"])
        if (
            domain.key == "teaching"
            and topic.key == "subject"
            and subject == "英语"
            and "english" in self.ref.language
            and rng.random() < 0.5
        ):
            languages.append(self.ref.language["english"])

        ctx = self._ctx(sc, subject)
        ctx["start"], ctx["end"] = _date_zh(start), _date_zh(end)
        ctx["days"] = str(days_needed)
        scopes = [ctx, topic.grammar, domain.grammar]
        ctx["season"] = expand(pick(rng, _season_alts(scopes)), rng, scopes)
        core = ctx["season"].removesuffix("之前").removesuffix("前")
        ctx["season_core"] = (
            core
            if core.endswith(("季", "期", "月", "节", "雨", "前后", "学期", "时"))
            else (core + "这个时间")
        )
        nt = text.need_text(
            rng,
            domain=domain,
            topic=topic,
            ctx=ctx,
            mode=mode,
            poverty=site.poverty_township,
            licence_names=licence_names,
            min_title_level=min_title,
            min_degree_level=min_degree,
            yi_required=yi_required,
            yi_soft=yi_soft,
            urgent=hard,
            headcount=headcount,
        )
        return DemoNeed(
            external_id=f"DEMO-N{serial:06d}",
            site_external_id=site.external_id,
            title=nt.title,
            description=nt.description,
            skills=tuple(skills),
            mode=mode,
            min_title_level=min_title,
            min_degree_level=min_degree,
            licences=licences,
            languages=tuple(languages),
            start_date=start,
            end_date=end,
            headcount=headcount,
            days_needed=days_needed,
            programme_code=self._programme(domain, skills, site.site_type),
        )

    def _anchor(self, domain: Domain, sc: _SiteCtx) -> tuple[str, ...]:
        """Domain skills whose names or keywords mention the site's crop, animal, fungus
        or product (大姚核桃 → the skill listing 核桃)."""
        noun = {
            "crops": sc.crop,
            "breeding": sc.crop,
            "husbandry": sc.animal,
            "fungi": sc.fungus,
            "processing": sc.product,
        }.get(domain.key)
        if noun is None:
            return ()
        key = (domain.key, noun)
        hit = self._anchor_cache.get(key)
        if hit is None:
            short = noun[:2]
            hit = tuple(
                c for c in self.ref.domain_skills[domain.key] if short in self._skill_hay[c]
            )
            self._anchor_cache[key] = hit
        return hit

    def _ctx(self, sc: _SiteCtx, subject: str) -> dict[str, str]:
        return {
            "site": sc.site.name,
            "county": sc.county.name,
            "township": sc.site.township,
            "site_kind": catalog.SITE_KIND_WORDS[sc.archetype.key],
            "alt": str(int(round(sc.site.altitude_m, -1))),
            "crop": sc.crop,
            "crop_season": CROP_SEASON.get(sc.crop, "关键时节"),
            "animal": sc.animal,
            "product": sc.product,
            "fungus": sc.fungus,
            "subject": subject,
        }

    def needs(self, sites: list[_SiteCtx]) -> tuple[list[DemoNeed], list[str]]:
        rng = self.rng
        out: list[DemoNeed] = []
        hard_ids: list[str] = []
        serial = 0
        for sc in sites:
            n = (1, 1, 2, 2, 2, 3, 3, 4)[int(rng.random() * 8)]
            p_hard = 0.15 if sc.site.poverty_township else 0.02
            for _ in range(n):
                serial += 1
                hard = rng.random() < p_hard
                need = self.need(sc, serial, hard)
                out.append(need)
                if hard:
                    hard_ids.append(need.external_id)
        if not hard_ids and len(out) >= 10:
            # Make sure every population of some size has at least one hard need:
            # rewrite the first need of the highest poverty-township site.
            best = max(
                range(len(sites)),
                key=lambda i: (sites[i].site.poverty_township, sites[i].site.altitude_m, -i),
            )
            sid = sites[best].site.external_id
            idx = next(i for i, nd in enumerate(out) if nd.site_external_id == sid)
            serial_no = int(out[idx].external_id[6:])
            out[idx] = self.need(sites[best], serial_no, True)
            hard_ids.append(out[idx].external_id)
        return out, hard_ids

    # -- talents --

    def talents(
        self, n: int, needs: Sequence[DemoNeed]
    ) -> tuple[list[DemoTalent], list[str], dict[str, str]]:
        rng = self.rng
        cats = [k for k in catalog.CATEGORY_KEYS if k in self.ref.category_code]
        if not cats:
            raise ValueError("reference.talent_categories: no demo category found")
        cat_draw = _Weighted([(k, CATEGORY_WEIGHTS[k]) for k in cats])
        asked: set[str] = set()
        for nd in needs:
            asked.update(nd.skills)
        unasked = [s for s in self.ref.all_skills if s not in asked]
        self._prepare_talent_tables()
        out: list[DemoTalent] = []
        fit_nothing: list[str] = []
        reasons: dict[str, str] = {}
        fn_reasons = ["past_windows", "tiny_radius", "unasked_skills"]
        for i in range(1, n + 1):
            cat = cats[i - 1] if i <= len(cats) else cat_draw.draw(rng)
            odd = i > len(cats) and rng.random() < 0.025
            reason = None
            if odd:
                reason = fn_reasons[len(fit_nothing) % 3]
                if reason == "unasked_skills" and not unasked:
                    reason = "past_windows"
            t = self.talent(i, cat, reason, unasked)
            out.append(t)
            if reason:
                fit_nothing.append(t.external_id)
                reasons[t.external_id] = reason
        return out, fit_nothing, reasons

    def _prepare_talent_tables(self) -> None:
        self.domain_draw = {
            k: _Weighted([(d, w) for d, w in p.domains if d in self.ref.domain_skills])
            for k, p in PROFILES.items()
        }
        self.title_draw = {k: _Weighted(p.title) for k, p in PROFILES.items()}
        self.degree_draw = {k: _Weighted(p.degree) for k, p in PROFILES.items()}
        self.inst_by: dict[tuple[str, str], list[int]] = {}
        for idx, spec in enumerate(self.inst_specs):
            for d in spec.domains:
                self.inst_by.setdefault((spec.kind, d), []).append(idx)

    def _pick_institution(self, cat: str, domain: str) -> int | None:
        rng = self.rng
        prof = PROFILES[cat]
        if not prof.institution_kinds or rng.random() >= prof.institution_share:
            return None
        cands: list[int] = []
        for kind in prof.institution_kinds:
            cands.extend(self.inst_by.get((kind, domain), ()))
        if not cands:
            return None
        return cands[int(rng.random() * len(cands))]

    def _skills(self, cat: str, domain: Domain, topic: Topic) -> list[str]:
        rng = self.rng
        tskills = self.ref.topic_skills[(domain.key, topic.key)]
        dskills = self.ref.domain_skills[domain.key]
        rare = self.ref.rare_skills
        k = 1 + (rng.random() < 0.6) + (rng.random() < 0.3)
        out: list[str] = []
        for j in range(k):
            pool = tskills if j == 0 or rng.random() < 0.5 else dskills
            s = pick(rng, pool)
            if s in rare and rng.random() < 0.97:
                continue
            if s not in out:
                out.append(s)
        if not out:
            common = [s for s in tskills if s not in rare] or [s for s in dskills if s not in rare]
            out.append(pick(rng, common) if common else pick(rng, tskills))
        if cat in ("expert", "professional", "returnee", "phd") and rng.random() < 0.15:
            other = self.ref.domains[int(rng.random() * len(self.ref.domains))]
            s = pick(rng, self.ref.domain_skills[other.key])
            if s not in out and s not in rare:
                out.append(s)
        return out

    def talent(self, i: int, cat: str, reason: str | None, unasked: Sequence[str]) -> DemoTalent:
        rng = self.rng
        prof = PROFILES[cat]
        dom = self.domain_by_key[self.domain_draw[cat].draw(rng)]
        topic = dom.topics[int(rng.random() * len(dom.topics))]
        title = self.title_draw[cat].draw(rng)
        degree = self.degree_draw[cat].draw(rng)
        age = rng.randint(*prof.age)
        person = text.person_name(rng)
        counties = self.ref.counties
        home = (
            counties[int(rng.random() * len(counties))] if rng.random() < prof.home_share else None
        )
        inst_idx = self._pick_institution(cat, dom.key)
        inst_spec = self.inst_specs[inst_idx] if inst_idx is not None else None
        inst_rec = self.inst_records[inst_idx] if inst_idx is not None else None

        # where they live and work
        anchor = home or counties[int(rng.random() * len(counties))]
        town = anchor.townships[int(rng.random() * len(anchor.townships))]
        if inst_spec is not None:
            base = (inst_spec.lat, inst_spec.lon)
        elif cat in ("expert", "retired"):
            r = rng.random()
            base = (
                catalog.CHUXIONG_CITY
                if r < 0.5
                else catalog.KUNMING
                if r < 0.8
                else (
                    anchor.seat_lat,
                    anchor.seat_lon,
                )
            )
        elif cat in ("teacher", "gp", "veteran", "craftsman", "volunteer") or rng.random() < 0.4:
            base = (town.lat, town.lon)
        else:
            base = (anchor.seat_lat, anchor.seat_lon)
        base_lat, base_lon = _jitter(rng, base[0], base[1], 0.01)
        radius = float(rng.randint(*prof.radius))
        if inst_spec is not None and inst_spec.lon > 110:  # 沪滇合作: based in Shanghai
            radius = float(rng.randint(2300, 2800))

        modes = self._modes(prof)
        windows = self._windows(cat, modes)
        skills = self._skills(cat, dom, topic)
        if cat == "craftsman" and self._craft_skill and rng.random() < 0.5:
            skills.append(self._craft_skill)

        # licences
        lic: list[str] = []
        L = self.ref.licence
        if cat == "gp":
            key = "assistant_physician" if degree <= 2 or rng.random() < 0.3 else "physician"
            if key not in L:
                key = "physician" if "physician" in L else "assistant_physician"
            if key in L:
                lic.append(key)
        elif dom.key == "health" and cat in ("expert", "professional", "retired"):
            if "physician" in L and rng.random() < 0.9:
                lic.append("physician")
        elif cat == "teacher" or (dom.key == "teaching" and cat in ("professional", "retired")):
            if "teacher" in L:
                lic.append("teacher")
        elif dom.key == "husbandry" and title >= 2 and rng.random() < 0.5:
            lic.append("vet")
        elif dom.key == "elderly" and rng.random() < 0.7:
            lic.append("eldercare" if rng.random() < 0.6 else "nurse")
        elif dom.key == "testing" and rng.random() < 0.5:
            lic.append("tester")
        elif dom.key == "planning" and title >= 3 and rng.random() < 0.4:
            lic.append("planner")
        elif dom.key == "tourism" and rng.random() < 0.3:
            lic.append("guide")
        lic = [k for k in lic if k in L]

        # languages
        langs: list[str] = []
        lang = self.ref.language
        if "mandarin" in lang:
            langs.append(lang["mandarin"])
        speaks_yi = home is not None and rng.random() < prof.yi_share
        if cat == "craftsman" and rng.random() < 0.5:
            speaks_yi = True
        if speaks_yi and "yi" in lang:
            langs.append(lang["yi"])
            if dom.key == "teaching" and "yi_han" in lang and rng.random() < 0.7:
                langs.append(lang["yi_han"])
        speaks_en = rng.random() < prof.en_share
        if speaks_en and "english" in lang:
            langs.append(lang["english"])

        # capacity
        concurrent = rng.randint(*prof.concurrent)
        days = rng.randint(*prof.days)

        # fit-nothing talents
        if reason == "past_windows":
            windows = self._past_windows()
        elif reason == "tiny_radius":
            base_lat, base_lon = _jitter(rng, *catalog.KUNMING, 0.02)
            radius = float(rng.randint(1, 3))
            modes = ("onsite_short",)
        elif reason == "unasked_skills":
            k = min(len(unasked), rng.randint(1, 2))
            skills = rng.sample(list(unasked), k)

        # bio
        subject = pick(rng, SUBJECTS)
        ctx = self._bio_ctx(
            cat,
            dom,
            topic,
            person.name,
            age,
            title,
            degree,
            inst_spec,
            home,
            anchor,
            town.name,
            subject,
            [L[k].name_zh for k in lic],
        )
        bio = text.bio_text(
            rng,
            category=cat,
            domain=dom,
            topic=topic,
            ctx=ctx,
            modes=modes,
            speaks_yi=speaks_yi,
            speaks_en=speaks_en,
        )

        # identity number
        region = (
            home.code
            if home is not None and len(home.code) == 6 and home.code.startswith("5323")
            else pick(rng, self.region_codes)
        )
        birth_year = 2025 - age
        idn = text.id_number(
            region,
            birth_year,
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randrange(500),
            person.female,
        )
        return DemoTalent(
            external_id=f"DEMO-T{i:06d}",
            name=person.name,
            category=self.ref.category_code[cat],
            institution_external_id=inst_rec.external_id if inst_rec else None,
            title_level=title,
            degree_level=degree,
            licences=tuple(L[k].code for k in lic),
            languages=tuple(langs),
            skills=tuple(skills),
            bio=bio,
            home_county_code=home.code if home else None,
            base_lat=base_lat,
            base_lon=base_lon,
            travel_radius_km=radius,
            modes=modes,
            windows=windows,
            capacity_concurrent=concurrent,
            capacity_days_per_year=days,
            phone=text.phone_number(rng),
            email=text.email_address(rng, person.pinyin, 100000 + i),
            id_number=idn,
        )

    def _modes(self, prof: CategoryProfile) -> tuple[str, ...]:
        rng = self.rng
        k = rng.randint(*prof.n_modes)
        chosen = rng.sample(prof.modes, k)
        if (
            prof.required_mode
            and prof.required_mode not in chosen
            and (prof.required_always or rng.random() < 0.85)
        ):
            chosen[0] = prof.required_mode
        order = {m: j for j, m in enumerate(prof.modes)}
        return tuple(sorted(dict.fromkeys(chosen), key=order.__getitem__))

    def _windows(self, cat: str, modes: Sequence[str]) -> tuple[Window, ...]:
        rng = self.rng
        if cat in ("volunteer", "teacher"):
            year = (
                rng.choice((2025, 2026)) if cat == "volunteer" else rng.choice((2025, 2026, 2027))
            )
            start = date(year, 8 if cat == "volunteer" else 9, 1) + timedelta(
                days=rng.randint(0, 30)
            )
            years = 2 if cat == "volunteer" else rng.randint(1, 3)
            return ((start, _add_years(start, years) - timedelta(days=1)),)
        if cat in ("expert", "phd"):
            out: list[Window] = []
            for year in (2025, 2026, 2027):
                if rng.random() < 0.75:
                    if cat == "phd" and rng.random() < 0.6:
                        s = date(year, 7, 1) + timedelta(days=rng.randint(0, 20))
                        out.append((s, s + timedelta(days=rng.randint(20, 50))))
                    else:
                        s = _rand_date(rng, date(year, 1, 1), date(year, 10, 31))
                        out.append((s, s + timedelta(days=rng.randint(14, 90))))
            if not out:
                s = _rand_date(rng, DEMO_START, date(2027, 10, 1))
                out.append((s, s + timedelta(days=60)))
            return tuple(out)
        if cat == "craftsman" and rng.random() < 0.6:
            # 农闲: November to March each winter
            return tuple((date(y, 11, 1), date(y + 1, 3, 31)) for y in (2024, 2025, 2026, 2027))
        if cat == "retired":
            s = _rand_date(rng, DEMO_START, date(2026, 6, 30))
            return ((s, s + timedelta(days=rng.randint(180, 900))),)
        if "onsite_long" in modes or rng.random() < 0.5:
            s = _rand_date(rng, DEMO_START, date(2026, 9, 1))
            return ((s, s + timedelta(days=rng.randint(365, 800))),)
        s1 = _rand_date(rng, DEMO_START, date(2026, 1, 1))
        e1 = s1 + timedelta(days=rng.randint(90, 300))
        s2 = e1 + timedelta(days=rng.randint(30, 120))
        return ((s1, e1), (s2, s2 + timedelta(days=rng.randint(90, 300))))

    def _past_windows(self) -> tuple[Window, ...]:
        rng = self.rng
        s = _rand_date(rng, date(2021, 1, 1), date(2023, 6, 30))
        return ((s, min(s + timedelta(days=rng.randint(30, 360)), PAST_END)),)

    def _bio_ctx(
        self,
        cat: str,
        dom: Domain,
        topic: Topic,
        name: str,
        age: int,
        title: int,
        degree: int,
        inst: catalog.InstitutionSpec | None,
        home: RefCounty | None,
        anchor: RefCounty,
        township: str,
        subject: str,
        licence_names: Sequence[str],
    ) -> dict[str, str]:
        rng = self.rng
        crop, animal, product, fungus = self._county_vocab(anchor)
        if dom.key == "crops":
            crop = _crop_for_topic(rng, crop, topic.key)
        if inst is not None:
            inst_name = inst.name
            inst_kind: str | None = inst.kind
        elif cat == "gp":
            inst_name, inst_kind = f"{anchor.name}{township}卫生院", None
        else:
            inst_name = pick(rng, text.DOMAIN_LOCAL_UNITS[dom.key]).format(county=anchor.name)
            inst_kind = None
        dept = ""
        if inst_kind in ("university", "research") or (
            inst_kind == "hospital3" and dom.key in ("health", "elderly")
        ):
            dept = pick(rng, dom.depts) if dom.depts else ""
        years = max(1, min(age - 22, rng.randint(max(3, (age - 24) // 2), max(4, age - 23))))
        grad_year = min(2025, 2025 - (age - 22))
        school = pick(
            rng,
            text.MEDICAL_SCHOOLS
            if cat == "gp"
            else text.PHD_SCHOOLS
            if cat == "phd"
            else text.TEACHER_SCHOOLS
            if cat == "teacher"
            else text.SCHOOLS,
        )
        home_place = (home or anchor).name + (township if rng.random() < 0.4 else "")
        major = pick(rng, text.DOMAIN_MAJORS[dom.key])
        if cat == "teacher":
            major = {"数学": "数学与应用数学", "英语": "英语", "语文": "汉语言文学"}.get(
                subject, major
            )
        return {
            "name": name,
            "inst": inst_name,
            "dept": dept,
            "title_name": text.title_name(dom.title_series, title, inst_kind)
            if title
            else "专业技术人员",
            "degree_name": text.DEGREE_NAMES[degree],
            "years": str(years),
            "age": str(age),
            "retire_year": str(min(2024, 2025 - age + 60)),
            "return_year": str(rng.randint(2016, 2024)),
            "grad_year": str(grad_year),
            "school": school,
            "major": major,
            "home_place": home_place,
            "county_place": anchor.name + township,
            "county": anchor.name,
            "township": township,
            "subject": subject,
            "lic_name": licence_names[0] if licence_names else "执业医师资格",
            "crop": crop,
            "crop_season": CROP_SEASON.get(crop, "关键时节"),
            "animal": animal,
            "product": product,
            "fungus": fungus,
            "alt": "2000",
            "nickname": pick(rng, NICKNAMES[dom.key]).format(
                crop=crop, animal=animal, product=product, fungus=fungus
            ),
            "site": inst_name,
            "site_kind": "单位",
        }

    # -- pairings --

    def pairings(self, sites: Sequence[_SiteCtx]) -> list[DemoPairing]:
        rng = self.rng
        out: list[DemoPairing] = []
        hospitals_by_county: dict[str, list[str]] = {}
        for sc in sites:
            if sc.archetype.key == "county_hospital":
                hospitals_by_county.setdefault(sc.county.code, []).append(sc.site.external_id)
        for spec, rec in zip(self.inst_specs, self.inst_records, strict=True):
            start = _rand_date(rng, date(2024, 1, 1), date(2026, 1, 1))
            end = _add_years(start, rng.randint(2, 3)) - timedelta(days=1)
            if spec.kind == "hospital3":
                for county in rng.sample(list(self.ref.counties), min(2, len(self.ref.counties))):
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
                continue
            matching = [
                sc for sc in sites if any(d in spec.domains for d, _ in sc.archetype.domains)
            ]
            if matching and rng.random() < 0.8:
                for sc in rng.sample(matching, min(len(matching), rng.randint(1, 3))):
                    out.append(
                        DemoPairing(
                            rec.external_id, sc.site.external_id, None, "one_to_one", start, end
                        )
                    )
            else:
                county = self.ref.counties[int(rng.random() * len(self.ref.counties))]
                out.append(
                    DemoPairing(rec.external_id, None, county.code, "one_to_one", start, end)
                )
        return out


def _season_alts(scopes: Sequence[Mapping[str, str | tuple[str, ...]]]) -> tuple[str, ...]:
    out: list[str] = []
    for scope in scopes:
        value = scope.get("season")
        if value is not None and not isinstance(value, str):
            out.extend(value)
    return tuple(out) or COMMON_SEASON


def generate_population(
    *, n_sites: int, n_talents: int, seed: int, reference: DemoReference
) -> Population:
    """A deterministic demo population of about ``2.25 × n_sites`` needs.

    Same arguments → the same records, field for field, in any process.
    """
    if n_sites < 0 or n_talents < 0:
        raise ValueError("n_sites and n_talents must be ≥ 0")
    gen = _Generator(reference, seed)
    institutions = gen.institutions()
    site_ctx = gen.sites(n_sites)
    needs, hard = gen.needs(site_ctx)
    talents, fit_nothing, reasons = gen.talents(n_talents, needs)
    pairings = gen.pairings(site_ctx)
    return Population(
        institutions=institutions,
        sites=[sc.site for sc in site_ctx],
        needs=needs,
        talents=talents,
        pairings=pairings,
        hard_need_ids=tuple(hard),
        fit_nothing_talent_ids=tuple(fit_nothing),
        fit_nothing_reasons=reasons,
    )
