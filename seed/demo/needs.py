"""Demo needs: what a site asks for (skills, mode, levels, licences, languages, dates and
headcount) with a natural-Chinese title and description, and the hard-to-fill few."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from seed.demo import catalog, text
from seed.demo.context import GenState, SiteCtx
from seed.demo.domains import COMMON_SEASON, SUBJECTS, Domain, Topic
from seed.demo.draw import date_zh, level_below, rand_date
from seed.demo.grammar import expand, pick
from seed.demo.profiles import CROP_SEASON, DEMO_END, DEMO_START, NEED_DAYS, NEED_SPAN, TREE_CROPS
from seed.demo.records import DemoNeed, DemoSite

_YEARS = (2025, 2026, 2027)
_MIN_TITLE_STEPS = (0.4, 0.5, 0.65, 0.9)
_MIN_DEGREE_STEPS = (0.35, 0.45, 0.7, 0.95)
_SEASON_ENDINGS = ("季", "期", "月", "节", "雨", "前后", "学期", "时")


@dataclass(frozen=True, slots=True)
class _Terms:
    """What a need asks for besides licences and languages."""

    skills: list[str]
    mode: str
    min_title: int
    min_degree: int
    start: date
    end: date
    days_needed: int
    headcount: int


@dataclass(frozen=True, slots=True)
class _Languages:
    codes: list[str]
    yi_required: bool
    yi_soft: bool
    subject: str


def _licence_phrase(name: str) -> str:
    """执业医师 → 执业医师资格; names that already say 资格/证书/等级 stay."""
    return name if name.endswith(("资格", "证书", "等级", "证")) else name + "资格"


def _season_alts(scopes: Sequence[Mapping[str, str | tuple[str, ...]]]) -> tuple[str, ...]:
    out: list[str] = []
    for scope in scopes:
        value = scope.get("season")
        if value is not None and not isinstance(value, str):
            out.extend(value)
    return tuple(out) or COMMON_SEASON


def _programme(g: GenState, domain: Domain, terms: _Terms, site: DemoSite) -> str | None:
    """A programme that suits the need: by its skills or site types, else by a hint in
    its code, else any; only among the lines whose rule the need keeps (so it can count
    there); a quarter of needs belong to no programme."""
    rng = g.rng
    skills, site_type = terms.skills, site.site_type
    progs = [
        p for p in g.ref.programmes if p.accepts(terms.mode, terms.days_needed, terms.skills, site)
    ]
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


def _anchor(g: GenState, domain: Domain, sc: SiteCtx) -> tuple[str, ...]:
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
    hit = g.anchor_cache.get(key)
    if hit is None:
        short = noun[:2]
        hit = tuple(c for c in g.ref.domain_skills[domain.key] if short in g.skill_hay[c])
        g.anchor_cache[key] = hit
    return hit


def _ctx(sc: SiteCtx, subject: str) -> dict[str, str]:
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


def _topic(g: GenState, sc: SiteCtx, domain: Domain) -> Topic:
    arch = sc.archetype
    topics = domain.topics
    # A hint may name several topics ("market|food_safety"): the site asks for either.
    hinted = [t for t in topics if t.key in (arch.topic_hint or "").split("|")]
    topic = hinted[0] if len(hinted) == 1 else None
    if len(hinted) > 1:
        topic = hinted[int(g.rng.random() * len(hinted))]
    if topic is None and domain.key == "crops":
        key = "orchard" if sc.crop in TREE_CROPS else "field_crops"
        topic = next((t for t in topics if t.key == key), None)
    if topic is None:
        topic = topics[int(g.rng.random() * len(topics))]
    return topic


def _hard_terms(g: GenState, dskills: Sequence[str], tskills: Sequence[str]) -> _Terms:
    """An urgent short stint that needs a rare skill and high levels."""
    rng = g.rng
    rare = [s for s in dskills if s in g.ref.rare_skills]
    skills = [rare[0]] if rare else []
    own = pick(rng, tskills)
    if own not in skills:
        skills.append(own)
    min_title = rng.choice((4, 5, 5))
    min_degree = rng.choice((4, 5))
    year = rng.choice(_YEARS)
    start = rand_date(rng, date(year, 3, 1), date(year, 10, 15))
    end = start + timedelta(days=rng.randint(4, 13))
    return _Terms(
        skills, "onsite_short", min_title, min_degree, start, end, (end - start).days + 1, 1
    )


def _usual_skills(
    g: GenState, sc: SiteCtx, domain: Domain, tskills: Sequence[str], dskills: Sequence[str]
) -> list[str]:
    rng = g.rng
    k = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
    skills = list(_anchor(g, domain, sc)[:1])
    for _ in range(k - len(skills)):
        s = pick(rng, tskills if rng.random() < 0.75 else dskills)
        if s not in skills:
            skills.append(s)
    return skills


def _usual_window(g: GenState, domain: Domain, mode: str) -> tuple[date, date]:
    rng = g.rng
    lo, hi = NEED_SPAN[mode]
    span = rng.randint(lo, hi)
    if domain.key == "fungi" and mode in ("onsite_short", "seasonal"):
        year = rng.choice(_YEARS)
        start = rand_date(rng, date(year, 5, 20), date(year, 7, 10))
        return start, min(start + timedelta(days=span), date(year, 9, 30))
    start = rand_date(rng, DEMO_START, DEMO_END - timedelta(days=lo))
    return start, min(start + timedelta(days=span), DEMO_END)


def _usual_headcount(g: GenState, domain: Domain, mode: str) -> int:
    rng = g.rng
    r = rng.random()
    headcount = 1 if r < 0.72 else 2 if r < 0.88 else rng.randint(3, 5)
    if domain.key == "teaching" and mode == "onsite_long" and rng.random() < 0.2:
        headcount = rng.randint(2, 6)
    return headcount


def _usual_terms(
    g: GenState, sc: SiteCtx, domain: Domain, tskills: Sequence[str], dskills: Sequence[str]
) -> _Terms:
    rng = g.rng
    skills = _usual_skills(g, sc, domain, tskills, dskills)
    mode = g.mode_draw[domain.key].draw(rng)
    min_title = level_below(rng.random(), _MIN_TITLE_STEPS)
    min_degree = level_below(rng.random(), _MIN_DEGREE_STEPS)
    start, end = _usual_window(g, domain, mode)
    window_days = (end - start).days + 1
    dlo, dhi = NEED_DAYS[mode]
    days_needed = max(1, min(window_days, rng.randint(dlo, dhi)))
    headcount = _usual_headcount(g, domain, mode)
    return _Terms(skills, mode, min_title, min_degree, start, end, days_needed, headcount)


def _licence_keys(g: GenState, topic: Topic, site: DemoSite, hard: bool) -> list[str]:
    """The plan relaxes 执业医师 to 执业助理医师 in the 25 poverty townships."""
    lic_keys: list[str] = []
    if topic.licences and (hard or g.rng.random() < 0.6):
        key = topic.licences[0]
        if key == "physician" and site.poverty_township:
            key = "assistant_physician"
        if key in g.ref.licence:
            lic_keys.append(key)
    if hard and topic.licences and not lic_keys:
        first = next((k for k in topic.licences if k in g.ref.licence), None)
        if first is not None:
            lic_keys.append(first)
    return lic_keys


def _languages(g: GenState, domain: Domain, topic: Topic, site: DemoSite, hard: bool) -> _Languages:
    rng = g.rng
    lang = g.ref.language
    yi_p = 0.7 if topic.key == "bilingual" else 0.25 if site.poverty_township else 0.08
    yi_required = "yi" in lang and (hard or rng.random() < yi_p)
    yi_soft = not yi_required and rng.random() < 0.15
    subject = pick(rng, SUBJECTS)
    codes: list[str] = []
    if yi_required:
        bilingual = topic.key == "bilingual" and "yi_han" in lang and rng.random() < 0.5
        codes.append(lang["yi_han"] if bilingual else lang["yi"])
    wants_english = domain.key == "teaching" and topic.key == "subject" and subject == "英语"
    if wants_english and "english" in lang and rng.random() < 0.5:
        codes.append(lang["english"])
    return _Languages(codes, yi_required, yi_soft, subject)


def _text_ctx(
    g: GenState, sc: SiteCtx, domain: Domain, topic: Topic, terms: _Terms, subject: str
) -> dict[str, str]:
    rng = g.rng
    ctx = _ctx(sc, subject)
    ctx["start"], ctx["end"] = date_zh(terms.start), date_zh(terms.end)
    ctx["days"] = str(terms.days_needed)
    scopes = [ctx, topic.grammar, domain.grammar]
    ctx["season"] = expand(pick(rng, _season_alts(scopes)), rng, scopes)
    core = ctx["season"].removesuffix("之前").removesuffix("前")
    ctx["season_core"] = core if core.endswith(_SEASON_ENDINGS) else (core + "这个时间")
    return ctx


def need(g: GenState, sc: SiteCtx, serial: int, hard: bool) -> DemoNeed:
    rng = g.rng
    site = sc.site
    domain = g.domain_by_key[g.arch_domain_draw[sc.archetype.key].draw(rng)]
    topic = _topic(g, sc, domain)
    tskills = g.ref.topic_skills[(domain.key, topic.key)]
    dskills = g.ref.domain_skills[domain.key]
    if hard:
        terms = _hard_terms(g, dskills, tskills)
    else:
        terms = _usual_terms(g, sc, domain, tskills, dskills)
    lic_keys = _licence_keys(g, topic, site, hard)
    langs = _languages(g, domain, topic, site, hard)
    nt = text.need_text(
        rng,
        domain=domain,
        topic=topic,
        ctx=_text_ctx(g, sc, domain, topic, terms, langs.subject),
        mode=terms.mode,
        poverty=site.poverty_township,
        licence_names=[_licence_phrase(g.ref.licence[k].name_zh) for k in lic_keys],
        min_title_level=terms.min_title,
        min_degree_level=terms.min_degree,
        yi_required=langs.yi_required,
        yi_soft=langs.yi_soft,
        urgent=hard,
        headcount=terms.headcount,
    )
    return DemoNeed(
        external_id=f"DEMO-N{serial:06d}",
        site_external_id=site.external_id,
        title=nt.title,
        description=nt.description,
        skills=tuple(terms.skills),
        mode=terms.mode,
        min_title_level=terms.min_title,
        min_degree_level=terms.min_degree,
        licences=tuple(g.ref.licence[k].code for k in lic_keys),
        languages=tuple(langs.codes),
        start_date=terms.start,
        end_date=terms.end,
        headcount=terms.headcount,
        days_needed=terms.days_needed,
        programme_code=_programme(g, domain, terms, site),
    )


def _ensure_hard(
    g: GenState, sites: list[SiteCtx], out: list[DemoNeed], hard_ids: list[str]
) -> None:
    """Make sure every population of some size has at least one hard need: rewrite the
    first need of the highest poverty-township site."""
    if hard_ids or len(out) < 10:
        return
    best = max(
        range(len(sites)),
        key=lambda i: (sites[i].site.poverty_township, sites[i].site.altitude_m, -i),
    )
    sid = sites[best].site.external_id
    idx = next(i for i, nd in enumerate(out) if nd.site_external_id == sid)
    serial_no = int(out[idx].external_id[6:])
    out[idx] = need(g, sites[best], serial_no, True)
    hard_ids.append(out[idx].external_id)


def needs(g: GenState, sites: list[SiteCtx]) -> tuple[list[DemoNeed], list[str]]:
    """One to four needs per site; poverty-township sites get more hard ones."""
    rng = g.rng
    out: list[DemoNeed] = []
    hard_ids: list[str] = []
    serial = 0
    for sc in sites:
        n = (1, 1, 2, 2, 2, 3, 3, 4)[int(rng.random() * 8)]
        p_hard = 0.15 if sc.site.poverty_township else 0.02
        for _ in range(n):
            serial += 1
            hard = rng.random() < p_hard
            nd = need(g, sc, serial, hard)
            out.append(nd)
            if hard:
                hard_ids.append(nd.external_id)
    _ensure_hard(g, sites, out, hard_ids)
    return out, hard_ids
