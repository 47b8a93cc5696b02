"""Explanations a clerk reads in five seconds: a 0–100 fit and the three strongest
reasons as plain sentences, built from the engine's score breakdown and the two records.

The engine's breakdown says *how much* each feature added; this module says *what it
means* for this pair in words ("同在双柏县，距离约 12 公里", "有儿科和全科医学两项所需技能"),
never a raw number like "语义相似度 0.43". A reason appears only when it holds for the
pair, and a requirement line only when the need makes that requirement. The glossary
page (/help/reasons) explains each kind of reason.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from matching.geo import haversine_km
from matching.results import FeatureContribution
from models import County, Match, Need, ServiceRecord, Site, Talent
from service.engine import MatchingEngine
from service.i18n import translate
from service.usecases.reference import labels


def breakdown_dicts(lines: Iterable[FeatureContribution]) -> list[dict[str, Any]]:
    """The engine's breakdown as plain values (stored on a match, sent by the API)."""
    return [
        {
            "feature": b.feature,
            "value": round(b.value, 4),
            "contribution": round(b.contribution, 4),
            "zh": b.zh,
            "en": b.en,
        }
        for b in lines
    ]


# ------------------------------------------------------------------ the fit score
#: The engine's score at which fit reads 63 (1 − 1/e). A fair text match alone scores
#: about 0.5–0.8 under the default weights; the theoretical maximum is 2.9.
FIT_SCALE = 0.6


def fit_score(score: float) -> int:
    """The engine's score as a fit from 0 to 100: ``round(100 · (1 − e^(−score/0.6)))``.

    Monotone (a higher score never gives a lower fit), 0 for a score of 0 or less or
    not a number, and never above 100 however large the score (the learned ranker of
    issue 15 may score on another scale; the mapping still holds)."""
    if math.isnan(score) or score <= 0:
        return 0
    if math.isinf(score):
        return 100
    return min(100, max(0, round(100 * (1 - math.exp(-score / FIT_SCALE)))))


def fit_band(fit: int) -> str:
    """The message key of the word beside a fit: 很合适 / 合适 / 一般 / 较弱."""
    if fit >= 80:
        return "fit.band.high"
    if fit >= 60:
        return "fit.band.good"
    if fit >= 40:
        return "fit.band.fair"
    return "fit.band.low"


# ------------------------------------------------------------------ reasons
@dataclass(frozen=True)
class Reason:
    """One plain sentence in both languages, and how much it counted (for ordering)."""

    feature: str
    zh: str
    en: str
    strength: float


@dataclass(frozen=True)
class ServiceHistory:
    """A talent's service records near a need in the last two years."""

    township_visits: int
    county_visits: int
    rating: float | None


@dataclass(frozen=True)
class Context:
    """What the sentences need beyond the two records: county names and past service,
    read once per page."""

    counties: Mapping[str, tuple[str, str]]
    history: Mapping[tuple[int, int], ServiceHistory]


# Thresholds on semantic + lexical similarity (both cosines, after centring) for the
# three wordings of the text reason.
_TEXT_HIGH = 0.6
_TEXT_MID = 0.3
# A past-service reason is ordered as the continuity feature at its default weight
# would be: 0.1 for the same township, 0.05 for the same county.
_HISTORY_STRENGTH = {"township": 0.1, "county": 0.05}
HISTORY_DAYS = 730


def _say(
    key: str, zh: Mapping[str, Any] | None = None, en: Mapping[str, Any] | None = None
) -> tuple[str, str]:
    zh_text = translate(key, "zh-CN").format(**(zh or {}))
    en_text = translate(key, "en").format(**(en if en is not None else zh or {}))
    return zh_text, en_text


def _label(kind: str, code: Any) -> tuple[str, str]:
    pair = labels().get(kind, {}).get(str(code))
    return pair if pair is not None else (str(code), str(code))


def _join(names: Sequence[str], locale: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    sep = translate("reason.sep", locale)
    return sep.join(names[:-1]) + translate("reason.and", locale) + names[-1]


def _count_word(n: int, locale: str) -> str:
    key = {2: "reason.count.2", 3: "reason.count.3"}.get(n, "reason.count.n")
    return translate(key, locale).format(n=n)


def _group(code: str) -> str:
    return code.split(".", 1)[0] if "." in code else ""


def _skills_reason(need: Need, talent: Talent, strength: float) -> Reason | None:
    wanted = list(need.skills or ())
    if not wanted:
        return None
    own = set(talent.skills or ())
    exact = [s for s in wanted if s in own]
    if not exact:
        groups = {_group(s) for s in wanted} - {""}
        near = [s for s in own if _group(s) in groups]
        if not near:
            return None
        names = [_label("skill", s) for s in sorted(near)]
        zh, en = _say(
            "reason.skills.near",
            {"skills": _join([n[0] for n in names], "zh-CN")},
            {"skills": _join([n[1] for n in names], "en")},
        )
        return Reason("skills", zh, en, strength)
    names = [_label("skill", s) for s in exact]
    zh_names, en_names = _join([n[0] for n in names], "zh-CN"), _join([n[1] for n in names], "en")
    if len(exact) < len(wanted):
        params = {"n": len(exact), "total": len(wanted)}
        zh, en = _say(
            "reason.skills.some", {**params, "skills": zh_names}, {**params, "skills": en_names}
        )
    elif len(exact) == 1:
        zh, en = _say("reason.skills.one", {"skills": zh_names}, {"skills": en_names})
    else:
        zh, en = _say(
            "reason.skills.all",
            {"skills": zh_names, "count": _count_word(len(exact), "zh-CN")},
            {"skills": en_names, "count": _count_word(len(exact), "en")},
        )
    return Reason("skills", zh, en, strength)


def _distance_reason(need: Need, talent: Talent, ctx: Context, strength: float) -> Reason | None:
    site = need.site
    if need.mode == "remote" or site is None:
        return None
    km = float(haversine_km(site.lat, site.lon, talent.base_lat, talent.base_lon))
    if not math.isfinite(km):
        return None
    shown = max(1, round(km))
    county = ctx.counties.get(site.county_code)
    if county is not None and talent.home_county_code == site.county_code:
        zh, en = _say(
            "reason.distance.same",
            {"county": county[0], "km": shown},
            {"county": county[1], "km": shown},
        )
    else:
        zh, en = _say("reason.distance.other", {"km": shown})
    return Reason("distance", zh, en, strength)


def _qualification_reasons(need: Need, talent: Talent, strength: float) -> list[Reason]:
    """Lines only for the requirements the need makes (none when it asks for nothing)."""
    out = []
    if need.min_title_level > 0 and talent.title_level >= need.min_title_level:
        mine, asked = _label("title", talent.title_level), _label("title", need.min_title_level)
        zh, en = _say(
            "reason.title",
            {"title": mine[0], "required": asked[0]},
            {"title": mine[1], "required": asked[1]},
        )
        out.append(Reason("qualification", zh, en, strength))
    if need.min_degree_level > 0 and talent.degree_level >= need.min_degree_level:
        mine, asked = _label("degree", talent.degree_level), _label("degree", need.min_degree_level)
        zh, en = _say(
            "reason.degree",
            {"degree": mine[0], "required": asked[0]},
            {"degree": mine[1], "required": asked[1]},
        )
        out.append(Reason("qualification", zh, en, strength))
    return out


def _text_reason(lines: Mapping[str, Mapping[str, Any]]) -> Reason | None:
    sem, lex = lines.get("semantic"), lines.get("lexical")
    if sem is None and lex is None:
        return None
    similarity = float((sem or {}).get("value", 0.0)) + float((lex or {}).get("value", 0.0))
    strength = float((sem or {}).get("contribution", 0.0)) + float(
        (lex or {}).get("contribution", 0.0)
    )
    if similarity <= 0 or strength <= 0:
        return None
    if similarity >= _TEXT_HIGH:
        key = "reason.text.high"
    elif similarity >= _TEXT_MID:
        key = "reason.text.mid"
    else:
        key = "reason.text.low"
    zh, en = _say(key)
    return Reason("text", zh, en, strength)


def _history_reason(need: Need, talent: Talent, ctx: Context) -> Reason | None:
    stats = ctx.history.get((need.id, talent.id))
    if stats is None or stats.county_visits == 0:
        return None
    if stats.township_visits:
        zh, en = _say("reason.history.township", {"n": stats.township_visits})
        strength = _HISTORY_STRENGTH["township"]
    else:
        county = ctx.counties.get(need.site.county_code, ("", ""))
        zh, en = _say(
            "reason.history.county",
            {"county": county[0], "n": stats.county_visits},
            {"county": county[1], "n": stats.county_visits},
        )
        strength = _HISTORY_STRENGTH["county"]
    if stats.rating is not None:
        rated = _say("reason.history.rated", {"rating": f"{stats.rating:.1f}"})
        zh, en = zh + rated[0], en + rated[1]
    return Reason("history", zh, en, strength)


def _continuity_reason(need: Need, value: float, ctx: Context, strength: float) -> Reason | None:
    if value >= 1.0:
        zh, en = _say("reason.continuity.site")
    elif value > 0:
        county = ctx.counties.get(need.site.county_code, ("", ""))
        zh, en = _say("reason.continuity.county", {"county": county[0]}, {"county": county[1]})
    else:
        return None
    return Reason("continuity", zh, en, strength)


def _simple_reasons(
    need: Need,
    talent: Talent,
    lines: Mapping[str, Mapping[str, Any]],
    ctx: Context,
    *,
    for_talent: bool,
) -> list[Reason]:
    out: list[Reason] = []

    def value(name: str) -> float:
        return float(lines.get(name, {}).get("value", 0.0))

    def strength(name: str) -> float:
        return float(lines.get(name, {}).get("contribution", 0.0))

    if value("availability") > 0 and talent.windows:
        share = min(100, round(100 * value("availability")))
        if share >= 100:
            zh, en = _say("reason.availability.full")
        else:
            zh, en = _say("reason.availability.part", {"share": share})
        out.append(Reason("availability", zh, en, strength("availability")))
    if value("hometown") >= 1.0:
        county = ctx.counties.get(need.site.county_code, ("", ""))
        zh, en = _say("reason.hometown", {"county": county[0]}, {"county": county[1]})
        out.append(Reason("hometown", zh, en, strength("hometown")))
    if value("load") > 0:
        zh, en = _say("reason.load")
        out.append(Reason("load", zh, en, strength("load")))
    if for_talent and value("priority") >= 1.0:
        site = need.site
        if site.poverty_township:
            zh, en = _say("reason.priority.poverty")
        else:
            zh, en = _say("reason.priority.altitude", {"m": round(site.altitude_m or 0)})
        out.append(Reason("priority", zh, en, strength("priority")))
    return out


def reasons(
    breakdown: Iterable[Mapping[str, Any]],
    need: Need,
    talent: Talent,
    ctx: Context,
    *,
    for_talent: bool = False,
    limit: int | None = 3,
) -> list[Reason]:
    """The reasons that hold for this pair, strongest first (``limit`` of them).

    ``for_talent`` is the talent's side (suggested placements): the priority-area
    reason is listed there; for a need's candidates it is the same for everyone and
    says nothing about the person."""
    lines = {str(b["feature"]): b for b in breakdown}

    def strength(name: str) -> float:
        return float(lines.get(name, {}).get("contribution", 0.0))

    found: list[Reason | None] = [
        _text_reason(lines),
        _skills_reason(need, talent, strength("skills")),
        _distance_reason(need, talent, ctx, strength("distance")),
        _continuity_reason(
            need, float(lines.get("continuity", {}).get("value", 0.0)), ctx, strength("continuity")
        ),
        _history_reason(need, talent, ctx),
    ]
    found.extend(_qualification_reasons(need, talent, strength("qualification")))
    found.extend(_simple_reasons(need, talent, lines, ctx, for_talent=for_talent))
    kept = [r for r in found if r is not None and r.strength > 0]
    order = {name: i for i, name in enumerate(_ORDER)}
    kept.sort(key=lambda r: (-r.strength, order.get(r.feature, len(order))))
    return kept if limit is None else kept[:limit]


_ORDER = (
    "text",
    "skills",
    "history",
    "continuity",
    "distance",
    "qualification",
    "availability",
    "hometown",
    "load",
    "priority",
)


def reason_dicts(found: Iterable[Reason]) -> list[dict[str, str]]:
    return [{"feature": r.feature, "zh": r.zh, "en": r.en} for r in found]


# ------------------------------------------------------------------ the glossary
@dataclass(frozen=True)
class GlossaryEntry:
    """One kind of reason on /help/reasons: its name, what it means, example keys."""

    feature: str
    name_key: str
    meaning_key: str
    example_keys: tuple[str, ...]


GLOSSARY: tuple[GlossaryEntry, ...] = (
    GlossaryEntry("text", "glossary.text", "glossary.text.means", ("reason.text.high",)),
    GlossaryEntry("skills", "glossary.skills", "glossary.skills.means", ("reason.skills.all",)),
    GlossaryEntry(
        "distance", "glossary.distance", "glossary.distance.means", ("reason.distance.same",)
    ),
    GlossaryEntry(
        "availability",
        "glossary.availability",
        "glossary.availability.means",
        ("reason.availability.full", "reason.availability.part"),
    ),
    GlossaryEntry(
        "qualification",
        "glossary.qualification",
        "glossary.qualification.means",
        ("reason.title", "reason.degree"),
    ),
    GlossaryEntry("hometown", "glossary.hometown", "glossary.hometown.means", ("reason.hometown",)),
    GlossaryEntry(
        "continuity",
        "glossary.continuity",
        "glossary.continuity.means",
        ("reason.continuity.site", "reason.history.township"),
    ),
    GlossaryEntry("load", "glossary.load", "glossary.load.means", ("reason.load",)),
    GlossaryEntry(
        "priority", "glossary.priority", "glossary.priority.means", ("reason.priority.poverty",)
    ),
)

#: Sample values that fill the glossary's example sentences.
GLOSSARY_SAMPLES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "reason.skills.all": (
        {"skills": "儿科和全科医学", "count": "两项"},
        {"skills": "Paediatrics and General practice", "count": "two"},
    ),
    "reason.distance.same": ({"county": "双柏县", "km": 12}, {"county": "Shuangbai", "km": 12}),
    "reason.availability.part": ({"share": 60}, {"share": 60}),
    "reason.title": (
        {"title": "副高级", "required": "中级"},
        {"title": "Associate senior", "required": "Intermediate"},
    ),
    "reason.degree": (
        {"degree": "本科", "required": "大专"},
        {"degree": "Bachelor", "required": "Associate"},
    ),
    "reason.hometown": ({"county": "双柏县"}, {"county": "Shuangbai"}),
    "reason.history.township": ({"n": 3}, {"n": 3}),
}


def glossary_example(key: str) -> tuple[str, str]:
    zh, en = GLOSSARY_SAMPLES.get(key, ({}, {}))
    return _say(key, zh, en)


# ------------------------------------------------------------------ context
def county_names(session: Session) -> dict[str, tuple[str, str]]:
    rows = session.execute(select(County.code, County.name, County.name_en))
    return {code: (name, name_en) for code, name, name_en in rows}


@functools.cache
def _history_statement() -> Select[int, str, int | None, int | None]:
    """The query of :func:`service_history`, built once (each list of candidates asks
    it)."""
    return (
        select(Match.talent_id, Site.county_code, Site.township_id, ServiceRecord.rating)
        .join(Match, ServiceRecord.match_id == Match.id)
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .where(
            Match.talent_id.in_(bindparam("talent_ids", expanding=True)),
            ServiceRecord.date >= bindparam("since"),
        )
    )


def service_history(
    session: Session, pairs: Iterable[tuple[Need, int]], *, today: date | None = None
) -> dict[tuple[int, int], ServiceHistory]:
    """Service records of each talent in the need's township and county over the last
    two years, with their average rating, keyed by (need id, talent id)."""
    wanted = list(pairs)
    talent_ids = sorted({t for _, t in wanted})
    if not talent_ids:
        return {}
    since = (today or date.today()) - timedelta(days=HISTORY_DAYS)
    rows = session.execute(_history_statement(), {"talent_ids": talent_ids, "since": since}).all()
    by_talent: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_talent[row.talent_id].append(row)
    out: dict[tuple[int, int], ServiceHistory] = {}
    for need, talent_id in wanted:
        site = need.site
        here = [r for r in by_talent.get(talent_id, []) if r.county_code == site.county_code]
        township = [
            r for r in here if site.township_id is not None and r.township_id == site.township_id
        ]
        counted = township or here
        ratings = [r.rating for r in counted if r.rating is not None]
        out[(need.id, talent_id)] = ServiceHistory(
            township_visits=len(township),
            county_visits=len(here),
            rating=sum(ratings) / len(ratings) if ratings else None,
        )
    return out


def context(session: Session, pairs: Iterable[tuple[Need, int]]) -> Context:
    """Everything the sentences need for these (need, talent id) pairs, in two queries."""
    return Context(counties=county_names(session), history=service_history(session, pairs))


@dataclass(frozen=True)
class Explained:
    """A pair's fit and its top reasons, ready for a page or the API."""

    fit: int
    reasons: list[dict[str, str]]


def explain_pair(
    score: float,
    breakdown: Sequence[Mapping[str, Any]],
    need: Need,
    talent: Talent,
    ctx: Context,
    *,
    for_talent: bool = False,
) -> Explained:
    return Explained(
        fit=fit_score(score),
        reasons=reason_dicts(reasons(breakdown, need, talent, ctx, for_talent=for_talent)),
    )


def for_matches(
    session: Session, engine: MatchingEngine, matches: Sequence[Match]
) -> dict[int, Explained]:
    """Fit and top reasons of each match, by match id: from the breakdown stored when it
    was proposed, or, for a match proposed by hand (none stored), as the engine
    explains the pair now."""
    from service.profiles import need_profiles, talent_profiles

    if not matches:
        return {}
    ctx = context(session, [(m.need, m.talent_id) for m in matches])
    bare = [m for m in matches if not m.breakdown]
    # Profiles only for matches proposed by hand: reading them costs a dozen queries.
    needs = (
        {p.id: p for p in need_profiles(session, sorted({m.need_id for m in bare}))} if bare else {}
    )
    talents = (
        {p.id: p for p in talent_profiles(session, sorted({m.talent_id for m in bare}))}
        if bare
        else {}
    )
    out: dict[int, Explained] = {}
    for m in matches:
        score, lines = m.score, list(m.breakdown or ())
        if not lines and m.need_id in needs and m.talent_id in talents:
            told = engine.explain(session, needs[m.need_id], talents[m.talent_id])
            score, lines = told.score, breakdown_dicts(told.breakdown)
        out[m.id] = explain_pair(score, lines, m.need, m.talent, ctx)
    return out
