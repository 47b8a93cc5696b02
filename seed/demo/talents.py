"""Demo talents: category, domain, levels, employer, where they live and how far they
travel, modes and windows, skills, licences, languages, capacity, a bio and an ID number;
a few are built to fit nothing (past windows, a tiny radius, skills nobody asks for)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seed.demo import catalog, people, text
from seed.demo.bios import BioFacts, bio_ctx
from seed.demo.context import GenState
from seed.demo.domains import SUBJECTS, Domain, Topic
from seed.demo.draw import Weighted, jitter
from seed.demo.grammar import pick
from seed.demo.profiles import CATEGORY_WEIGHTS, PROFILES, CategoryProfile
from seed.demo.records import DemoNeed, DemoTalent, RefCounty, Window
from seed.demo.windows import modes as draw_modes
from seed.demo.windows import past_windows
from seed.demo.windows import windows as draw_windows

FIT_NOTHING_REASONS = ("past_windows", "tiny_radius", "unasked_skills")
_OUTSIDE_CATEGORIES = ("expert", "professional", "returnee", "phd")
_LOCAL_CATEGORIES = ("teacher", "gp", "veteran", "craftsman", "volunteer")


class _Tables:
    """Per-category draw tables and the institutions per (kind, domain)."""

    def __init__(self, g: GenState) -> None:
        self.domain_draw = {
            k: Weighted([(d, w) for d, w in p.domains if d in g.ref.domain_skills])
            for k, p in PROFILES.items()
        }
        self.title_draw = {k: Weighted(p.title) for k, p in PROFILES.items()}
        self.degree_draw = {k: Weighted(p.degree) for k, p in PROFILES.items()}
        self.inst_by: dict[tuple[str, str], list[int]] = {}
        for idx, spec in enumerate(g.inst_specs):
            for d in spec.domains:
                self.inst_by.setdefault((spec.kind, d), []).append(idx)


@dataclass(slots=True)
class _Place:
    """Where a talent is based and how far they go (fit-nothing talents change it)."""

    anchor: RefCounty
    township: str
    lat: float
    lon: float
    radius: float


def _pick_institution(g: GenState, tables: _Tables, cat: str, domain: str) -> int | None:
    rng = g.rng
    prof = PROFILES[cat]
    if not prof.institution_kinds or rng.random() >= prof.institution_share:
        return None
    cands: list[int] = []
    for kind in prof.institution_kinds:
        cands.extend(tables.inst_by.get((kind, domain), ()))
    if not cands:
        return None
    return cands[int(rng.random() * len(cands))]


def _place(
    g: GenState,
    cat: str,
    prof: CategoryProfile,
    home: RefCounty | None,
    inst: catalog.InstitutionSpec | None,
) -> _Place:
    rng = g.rng
    counties = g.ref.counties
    anchor = home or counties[int(rng.random() * len(counties))]
    town = anchor.townships[int(rng.random() * len(anchor.townships))]
    if inst is not None:
        base = (inst.lat, inst.lon)
    elif cat in ("expert", "retired"):
        r = rng.random()
        seat = (anchor.seat_lat, anchor.seat_lon)
        base = catalog.CHUXIONG_CITY if r < 0.5 else catalog.KUNMING if r < 0.8 else seat
    elif cat in _LOCAL_CATEGORIES or rng.random() < 0.4:
        base = (town.lat, town.lon)
    else:
        base = (anchor.seat_lat, anchor.seat_lon)
    lat, lon = jitter(rng, base[0], base[1], 0.01)
    radius = float(rng.randint(*prof.radius))
    if inst is not None and inst.lon > 110:  # 沪滇合作: based in Shanghai
        radius = float(rng.randint(2300, 2800))
    return _Place(anchor, town.name, lat, lon, radius)


def _skills(g: GenState, cat: str, domain: Domain, topic: Topic) -> list[str]:
    rng = g.rng
    tskills = g.ref.topic_skills[(domain.key, topic.key)]
    dskills = g.ref.domain_skills[domain.key]
    rare = g.ref.rare_skills
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
    if cat in _OUTSIDE_CATEGORIES and rng.random() < 0.15:
        other = g.ref.domains[int(rng.random() * len(g.ref.domains))]
        s = pick(rng, g.ref.domain_skills[other.key])
        if s not in out and s not in rare:
            out.append(s)
    return out


def _gp_licence(g: GenState, degree: int) -> list[str]:
    known = g.ref.licence
    key = "assistant_physician" if degree <= 2 or g.rng.random() < 0.3 else "physician"
    if key not in known:
        key = "physician" if "physician" in known else "assistant_physician"
    return [key]


def _domain_licence(g: GenState, dom: str, title: int) -> list[str]:
    """Licences by domain for everyone but GPs, doctors and teachers."""
    rng = g.rng
    if dom == "husbandry" and title >= 2 and rng.random() < 0.5:
        return ["vet"]
    if dom == "elderly" and rng.random() < 0.7:
        return ["eldercare" if rng.random() < 0.6 else "nurse"]
    if dom == "testing" and rng.random() < 0.5:
        return ["tester"]
    if dom == "planning" and title >= 3 and rng.random() < 0.4:
        return ["planner"]
    if dom == "tourism" and rng.random() < 0.3:
        return ["guide"]
    return []


def _licences(g: GenState, cat: str, dom: str, degree: int, title: int) -> list[str]:
    """Licence keys the talent holds (only ones the reference data knows)."""
    known = g.ref.licence
    if cat == "gp":
        lic = _gp_licence(g, degree)
    elif dom == "health" and cat in ("expert", "professional", "retired"):
        lic = ["physician"] if "physician" in known and g.rng.random() < 0.9 else []
    elif cat == "teacher" or (dom == "teaching" and cat in ("professional", "retired")):
        lic = ["teacher"]
    else:
        lic = _domain_licence(g, dom, title)
    return [k for k in lic if k in known]


def _languages(
    g: GenState, cat: str, prof: CategoryProfile, dom: str, home: RefCounty | None
) -> tuple[list[str], bool, bool]:
    """Language codes, whether they speak Yi and whether they speak English."""
    rng = g.rng
    lang = g.ref.language
    langs = [lang["mandarin"]] if "mandarin" in lang else []
    speaks_yi = home is not None and rng.random() < prof.yi_share
    if cat == "craftsman" and rng.random() < 0.5:
        speaks_yi = True
    if speaks_yi and "yi" in lang:
        langs.append(lang["yi"])
        if dom == "teaching" and "yi_han" in lang and rng.random() < 0.7:
            langs.append(lang["yi_han"])
    speaks_en = rng.random() < prof.en_share
    if speaks_en and "english" in lang:
        langs.append(lang["english"])
    return langs, speaks_yi, speaks_en


def _id_number(g: GenState, home: RefCounty | None, age: int, female: bool) -> str:
    rng = g.rng
    local = home is not None and len(home.code) == 6 and home.code.startswith("5323")
    region = home.code if home is not None and local else pick(rng, g.region_codes)
    return people.id_number(
        region,
        2025 - age,
        rng.randint(1, 12),
        rng.randint(1, 28),
        rng.randrange(500),
        female,
    )


@dataclass(slots=True)
class _Service:
    """How and when a talent serves, and what they can do."""

    modes: tuple[str, ...]
    windows: tuple[Window, ...]
    skills: list[str]


def _fit_nothing(
    g: GenState, reason: str | None, place: _Place, service: _Service, unasked: Sequence[str]
) -> None:
    """Make the talent fit no need, for the given reason."""
    rng = g.rng
    if reason == "past_windows":
        service.windows = past_windows(rng)
    elif reason == "tiny_radius":
        place.lat, place.lon = jitter(rng, *catalog.KUNMING, 0.02)
        place.radius = float(rng.randint(1, 3))
        service.modes = ("onsite_short",)
    elif reason == "unasked_skills":
        k = min(len(unasked), rng.randint(1, 2))
        service.skills = rng.sample(list(unasked), k)


def talent(
    g: GenState, tables: _Tables, i: int, cat: str, reason: str | None, unasked: Sequence[str]
) -> DemoTalent:
    rng = g.rng
    prof = PROFILES[cat]
    dom = g.domain_by_key[tables.domain_draw[cat].draw(rng)]
    topic = dom.topics[int(rng.random() * len(dom.topics))]
    title = tables.title_draw[cat].draw(rng)
    degree = tables.degree_draw[cat].draw(rng)
    age = rng.randint(*prof.age)
    person = people.person_name(rng)
    counties = g.ref.counties
    home = counties[int(rng.random() * len(counties))] if rng.random() < prof.home_share else None
    inst_idx = _pick_institution(g, tables, cat, dom.key)
    inst_spec = g.inst_specs[inst_idx] if inst_idx is not None else None
    inst_rec = g.inst_records[inst_idx] if inst_idx is not None else None
    place = _place(g, cat, prof, home, inst_spec)

    modes = draw_modes(rng, prof)
    service = _Service(modes, draw_windows(rng, cat, modes), _skills(g, cat, dom, topic))
    if cat == "craftsman" and g.craft_skill and rng.random() < 0.5:
        service.skills.append(g.craft_skill)
    lic = _licences(g, cat, dom.key, degree, title)
    langs, speaks_yi, speaks_en = _languages(g, cat, prof, dom.key, home)
    concurrent = rng.randint(*prof.concurrent)
    days = rng.randint(*prof.days)
    _fit_nothing(g, reason, place, service, unasked)

    L = g.ref.licence
    facts = BioFacts(
        cat=cat,
        dom=dom,
        topic=topic,
        name=person.name,
        age=age,
        title=title,
        degree=degree,
        inst=inst_spec,
        home=home,
        anchor=place.anchor,
        township=place.township,
        subject=pick(rng, SUBJECTS),
        licence_names=[L[k].name_zh for k in lic],
    )
    bio = text.bio_text(
        rng,
        category=cat,
        domain=dom,
        topic=topic,
        ctx=bio_ctx(g, facts),
        modes=service.modes,
        speaks_yi=speaks_yi,
        speaks_en=speaks_en,
    )
    idn = _id_number(g, home, age, person.female)
    return DemoTalent(
        external_id=f"DEMO-T{i:06d}",
        name=person.name,
        category=g.ref.category_code[cat],
        institution_external_id=inst_rec.external_id if inst_rec else None,
        title_level=title,
        degree_level=degree,
        licences=tuple(L[k].code for k in lic),
        languages=tuple(langs),
        skills=tuple(service.skills),
        bio=bio,
        home_county_code=home.code if home else None,
        base_lat=place.lat,
        base_lon=place.lon,
        travel_radius_km=place.radius,
        modes=service.modes,
        windows=service.windows,
        capacity_concurrent=concurrent,
        capacity_days_per_year=days,
        phone=people.phone_number(rng),
        email=people.email_address(rng, person.pinyin, 100000 + i),
        id_number=idn,
        long_placement_ok="onsite_long" in service.modes,
    )


def talents(
    g: GenState, n: int, needs: Sequence[DemoNeed]
) -> tuple[list[DemoTalent], list[str], dict[str, str]]:
    """``n`` talents, the first of each category guaranteed; about 2.5% fit nothing.
    Returns the talents, the ids of those who fit nothing and why."""
    rng = g.rng
    cats = [k for k in catalog.CATEGORY_KEYS if k in g.ref.category_code]
    if not cats:
        raise ValueError("reference.talent_categories: no demo category found")
    cat_draw = Weighted([(k, CATEGORY_WEIGHTS[k]) for k in cats])
    asked: set[str] = set()
    for nd in needs:
        asked.update(nd.skills)
    unasked = [s for s in g.ref.all_skills if s not in asked]
    tables = _Tables(g)
    out: list[DemoTalent] = []
    fit_nothing: list[str] = []
    reasons: dict[str, str] = {}
    for i in range(1, n + 1):
        cat = cats[i - 1] if i <= len(cats) else cat_draw.draw(rng)
        odd = i > len(cats) and rng.random() < 0.025
        reason = None
        if odd:
            reason = FIT_NOTHING_REASONS[len(fit_nothing) % 3]
            if reason == "unasked_skills" and not unasked:
                reason = "past_windows"
        t = talent(g, tables, i, cat, reason, unasked)
        out.append(t)
        if reason:
            fit_nothing.append(t.external_id)
            reasons[t.external_id] = reason
    return out, fit_nothing, reasons
