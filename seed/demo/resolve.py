"""The reference data, resolved once into the lookups the demo generator draws from:
skills per domain and topic, and the codes of categories, site and institution types,
licences and languages found by keyword."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seed.demo import catalog
from seed.demo.domains import DOMAINS, Domain
from seed.demo.draw import county_key, search_text
from seed.demo.records import DemoReference, RefCode, RefCounty, RefProgramme

_INSTITUTION_KINDS = (
    "hospital3",
    "university",
    "research",
    "pref_inst",
    "soe",
    "social",
    "private",
)


@dataclass(frozen=True, slots=True)
class Resolved:
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


def match_code(
    codes: Sequence[RefCode], words: Sequence[str], exclude: Sequence[str] = ()
) -> RefCode | None:
    for w in words:
        for c in codes:
            hay = search_text(c.name_zh, c.code)
            if w.lower() in hay and not any(x.lower() in hay for x in exclude):
                return c
    return None


_Finder = Callable[[Sequence[str]], tuple[str, ...]]


def _skill_finder(reference: DemoReference) -> _Finder:
    skill_text = [
        (s.code, search_text(s.code, s.name_zh, s.name_en, *s.keywords)) for s in reference.skills
    ]

    def find(words: Sequence[str]) -> tuple[str, ...]:
        lows = [w.lower() for w in words]
        return tuple(code for code, hay in skill_text if any(w in hay for w in lows))

    return find


def _skill_tables(
    find: _Finder,
) -> tuple[list[Domain], dict[str, tuple[str, ...]], dict[tuple[str, str], tuple[str, ...]]]:
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
    return enabled, domain_skills, topic_skills


def _rare_skills(
    find: _Finder, enabled: Sequence[Domain], domain_skills: dict[str, tuple[str, ...]]
) -> frozenset[str]:
    rare: list[str] = []
    for d in enabled:
        ds = domain_skills[d.key]
        hits = [c for c in find(d.rare) if c in ds] if d.rare else []
        if hits and len(ds) >= 2:
            rare.append(hits[0])
    return frozenset(rare)


def _category_codes(reference: DemoReference) -> dict[str, str]:
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
    return category_code


def _site_type_codes(reference: DemoReference) -> dict[str, str]:
    fallback_site = match_code(reference.site_types, ("其他", "other")) or (
        reference.site_types[0] if reference.site_types else None
    )
    if fallback_site is None:
        raise ValueError("reference.site_types: empty")
    return {
        a.key: (match_code(reference.site_types, a.type_keywords) or fallback_site).code
        for a in catalog.SITE_ARCHETYPES
    }


def _institution_type(kinds: Sequence[RefCode], taken: Sequence[str], kind: str) -> RefCode | None:
    free = [c for c in kinds if c.code not in taken]
    words = catalog.INSTITUTION_KIND_KEYWORDS[kind]
    hit = match_code(free, words) or match_code(kinds, words)
    if hit is None and kinds:
        hit = match_code(kinds, ("其他", "other")) or kinds[0]
    return hit


def _institution_type_codes(reference: DemoReference) -> dict[str, str]:
    institution_type_code: dict[str, str] = {}
    taken: list[str] = []
    for kind in _INSTITUTION_KINDS:
        hit = _institution_type(reference.institution_types, taken, kind)
        if hit is not None:
            institution_type_code[kind] = hit.code
            taken.append(hit.code)
    return institution_type_code


def _licences(reference: DemoReference) -> dict[str, RefCode]:
    licence: dict[str, RefCode] = {}
    for key, words, exclude in catalog.LICENCE_KEYWORDS:
        free = [c for c in reference.licences if all(c.code != v.code for v in licence.values())]
        hit = match_code(free, words, exclude)
        if hit is not None:
            licence[key] = hit
    return licence


def _languages(reference: DemoReference) -> dict[str, str]:
    language: dict[str, str] = {}
    for key, words in catalog.LANGUAGE_KEYWORDS:
        hit = match_code(reference.languages, words)
        if hit is not None:
            language[key] = hit.code
    return language


def resolve(reference: DemoReference) -> Resolved:
    counties = tuple(c for c in reference.counties if c.townships)
    if not counties:
        raise ValueError("reference.counties: no county with townships")
    if not reference.skills:
        raise ValueError("reference.skills: the taxonomy is empty")
    find = _skill_finder(reference)
    enabled, domain_skills, topic_skills = _skill_tables(find)
    return Resolved(
        counties=counties,
        county_by_key={county_key(c.name): c for c in counties},
        domains=tuple(enabled),
        domain_skills=domain_skills,
        topic_skills=topic_skills,
        rare_skills=_rare_skills(find, enabled, domain_skills),
        all_skills=tuple(s.code for s in reference.skills),
        category_code=_category_codes(reference),
        site_type_code=_site_type_codes(reference),
        institution_type_code=_institution_type_codes(reference),
        licence=_licences(reference),
        language=_languages(reference),
        programmes=tuple(
            p if isinstance(p, RefProgramme) else RefProgramme(code=p) for p in reference.programmes
        ),
    )
