"""Pair features besides the two text channels. Each is a float in [0, 1] and comes with
a sentence in Chinese and English saying what it means for this pair.

``semantic`` and ``lexical`` are computed over arrays by the matcher; the features here
read structured fields, one pair at a time, for the few hundred candidates that survive
retrieval and the hard constraints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matching.config import MatchingConfig
from matching.constraints import pair_distance_km
from matching.labels import name_en, name_zh
from matching.types import Mode, NeedProfile, TalentProfile


@dataclass(frozen=True, slots=True)
class FeatureValue:
    """A feature's value for one pair, with its explanation."""

    value: float
    zh: str
    en: str


def _parent(code: str) -> str:
    """Parent of a taxonomy code: 'A01.02' -> 'A01'; a code without a separator is its own
    root and has no parent."""
    for sep in (".", "-", "/"):
        if sep in code:
            return code.rsplit(sep, 1)[0]
    return ""


#: Credit for a need skill the talent lacks but has a sibling of (same taxonomy group):
#: related, not the same. Each of the talent's skills stands in for at most one missing
#: need skill, so one 妇产科 skill does not half-cover both 儿科 and 全科医学.
SIBLING_CREDIT = 0.25


def skills_overlap(need: NeedProfile, talent: TalentProfile) -> FeatureValue:
    """Share of the need's skills the talent has (required-skill coverage). A missing
    skill may be stood in for by a sibling code (same parent on the taxonomy) for
    :data:`SIBLING_CREDIT`, each of the talent's skills standing in at most once. A
    talent with every requested skill scores 1, one with none of them and no sibling 0."""
    if not need.skills:
        return FeatureValue(0.0, "需求未列出技能", "the need lists no skills")
    own = set(talent.skills)
    exact = [s for s in need.skills if s in own]
    spare = [s for s in talent.skills if s not in need.skills and _parent(s)]
    near: list[str] = []
    for wanted in (s for s in need.skills if s not in own):
        for i, mine in enumerate(spare):
            if _parent(mine) == _parent(wanted):
                near.append(wanted)
                del spare[i]
                break
    value = (len(exact) + SIBLING_CREDIT * len(near)) / len(need.skills)
    return FeatureValue(
        value,
        f"技能匹配 {len(exact)}/{len(need.skills)} 项，相近 {len(near)} 项",
        f"{len(exact)} of {len(need.skills)} skills match exactly, {len(near)} closely",
    )


def distance_decay(
    need: NeedProfile, talent: TalentProfile, config: MatchingConfig
) -> FeatureValue:
    """e^(-d / distance_scale_km); 0 when remote or when a location is unknown."""
    if need.mode == Mode.REMOTE:
        return FeatureValue(0.0, "远程服务，不计距离", "remote service: distance does not count")
    distance = pair_distance_km(need, talent)
    if distance is None:
        return FeatureValue(0.0, "位置未知，不计距离", "location unknown: distance not counted")
    value = math.exp(-distance / config.distance_scale_km)
    return FeatureValue(value, f"相距约 {distance:.0f} 公里", f"about {distance:.0f} km apart")


def availability_overlap(need: NeedProfile, talent: TalentProfile) -> FeatureValue:
    """Share of the need's window covered by the talent's windows; 0.5 when the talent
    declared none (available in principle, but unconfirmed)."""
    if not talent.windows:
        return FeatureValue(0.5, "未填写可服务时段", "no availability windows given")
    covered = sum(w.overlap_days(need.window) for w in talent.windows)
    value = min(1.0, covered / need.window.days)
    return FeatureValue(
        value,
        f"可服务时段覆盖需求时段的 {value:.0%}",
        f"available for {value:.0%} of the need's period",
    )


def qualification_margin(need: NeedProfile, talent: TalentProfile) -> FeatureValue:
    """How far title and degree exceed the minimum, scaled to [0, 1]."""
    margin = (talent.title_level - need.min_title_level) + (
        talent.degree_level - need.min_degree_level
    )
    value = min(1.0, max(0.0, margin / 10))
    return FeatureValue(
        value,
        f"职称、学历高出要求共 {max(margin, 0)} 级",
        f"title and degree exceed the minimum by {max(margin, 0)} levels",
    )


def hometown(need: NeedProfile, talent: TalentProfile) -> FeatureValue:
    """1 when the talent's home county is the site's county (彝乡英才回巢)."""
    if talent.home_county and need.county and talent.home_county == need.county:
        return FeatureValue(
            1.0,
            f"籍贯{name_zh('county', need.county)}，英才回巢",
            f"home county is {name_en('county', need.county)}: coming home",
        )
    return FeatureValue(0.0, "非本县籍贯", "not from the site's county")


def priority_area(need: NeedProfile, config: MatchingConfig) -> FeatureValue:
    """1 when the site is a poverty township or at high altitude (the plan's 倾斜)."""
    high = need.altitude_m is not None and need.altitude_m >= config.high_altitude_m
    if need.poverty_township or high:
        reason_zh = "贫困乡镇" if need.poverty_township else f"高海拔（{need.altitude_m:.0f} 米）"
        reason_en = (
            "poverty township"
            if need.poverty_township
            else f"high altitude ({need.altitude_m:.0f} m)"
        )
        return FeatureValue(1.0, f"优先倾斜地区：{reason_zh}", f"priority area: {reason_en}")
    return FeatureValue(0.0, "非优先倾斜地区", "not a priority area")


def load_balance(talent: TalentProfile) -> FeatureValue:
    """Spare capacity: the smaller of free concurrent slots and free days, as shares."""
    slots = (
        (talent.capacity_concurrent - talent.active_matches) / talent.capacity_concurrent
        if talent.capacity_concurrent > 0
        else 0.0
    )
    days = (
        (talent.capacity_days_per_year - talent.days_committed) / talent.capacity_days_per_year
        if talent.capacity_days_per_year > 0
        else 0.0
    )
    value = min(1.0, max(0.0, min(slots, days)))
    return FeatureValue(
        value,
        f"尚有 {value:.0%} 的服务余量",
        f"{value:.0%} of their capacity is free",
    )


def continuity(need: NeedProfile, talent: TalentProfile) -> FeatureValue:
    """1 when the talent served this site before, 0.5 when they served its county."""
    if need.site_id is not None and need.site_id in talent.paired_site_ids:
        return FeatureValue(1.0, "曾服务该站点，延续帮扶", "served this site before")
    if need.county and need.county in talent.paired_counties:
        return FeatureValue(
            0.5,
            f"曾在{name_zh('county', need.county)}服务",
            f"served in {name_en('county', need.county)} before",
        )
    return FeatureValue(0.0, "此前未在此服务", "no earlier pairing here")


def structured_features(
    need: NeedProfile, talent: TalentProfile, config: MatchingConfig
) -> dict[str, FeatureValue]:
    """All non-text features of one pair, by feature name."""
    return {
        "skills": skills_overlap(need, talent),
        "distance": distance_decay(need, talent, config),
        "availability": availability_overlap(need, talent),
        "qualification": qualification_margin(need, talent),
        "hometown": hometown(need, talent),
        "priority": priority_area(need, config),
        "load": load_balance(talent),
        "continuity": continuity(need, talent),
    }


def semantic_value(similarity: float) -> FeatureValue:
    return FeatureValue(
        similarity,
        f"语义相似度 {similarity:.2f}",
        f"semantic similarity {similarity:.2f}",
    )


def lexical_value(similarity: float) -> FeatureValue:
    return FeatureValue(
        similarity,
        f"用词重合度 {similarity:.2f}",
        f"shared wording {similarity:.2f}",
    )
