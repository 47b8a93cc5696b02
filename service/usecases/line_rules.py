"""A plan line's rule, checked when a need is posted under the line and when a match of
it is approved; and the one target of the line a match counts under.

The rule of each target is its ``counting`` entry in ``reference/data/programmes.json``
(service mode, site type, fields, minimum days, poverty township/county on the need's
side; talent category, the talent's institution type and home county on the talent's
side). It decides *whether* a need or a match may belong to the line, never which other
line it might count under: a match counts under its need's line only (see progress.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import reference
from models import Institution, Match, Need, Site, Talent
from service.errors import AppError, FieldError


@dataclass(frozen=True)
class NeedFacts:
    county_code: str
    mode: str
    site_type: str
    days_needed: int
    skills: tuple[str, ...]
    poverty_township: bool


@dataclass(frozen=True)
class TalentFacts:
    category: str
    institution_type: str | None
    home_county_code: str | None


@dataclass(frozen=True)
class Broken:
    """One part of a rule that a need or talent breaks, in words."""

    field: str
    value: Any
    expected_en: str
    expected_zh: str
    # The codes the rule allows, when it names a list (modes, site types, fields...), so
    # a reader can show them by their names.
    allowed: tuple[str, ...] = ()


@cache
def _poverty_counties() -> frozenset[str]:
    return frozenset(c.code for c in reference.load_divisions().counties if c.poverty_county)


@cache
def line_targets(programme_code: str) -> tuple[reference.Target, ...]:
    """The targets of a line that are counted from matches, in the plan's order."""
    plan = reference.load_programmes()
    owners = [(g.code, g.targets) for g in plan.goals] + [
        (m.code, m.targets) for m in plan.measures
    ]
    for code, targets in owners:
        if code == programme_code:
            return tuple(t for t in targets if t.counting is not None)
    return ()


def _one_of(field: str, value: str | None, allowed: Sequence[str] | None) -> list[Broken]:
    if allowed is None or value in allowed:
        return []
    listed = ", ".join(allowed)
    return [Broken(field, value, f"one of {listed}", f"须为以下之一：{listed}", tuple(allowed))]


def need_breaks(rule: reference.Counting, facts: NeedFacts) -> list[Broken]:
    out = _one_of("mode", facts.mode, rule.modes)
    out += _one_of("site_type", facts.site_type, rule.site_types)
    if rule.field_codes is not None and not set(rule.field_codes) & set(facts.skills):
        listed = ", ".join(rule.field_codes)
        out.append(
            Broken(
                "skills",
                list(facts.skills),
                f"at least one of {listed}",
                f"至少包含以下领域之一：{listed}",
                tuple(rule.field_codes),
            )
        )
    if rule.min_days is not None and facts.days_needed < rule.min_days:
        out.append(
            Broken(
                "days_needed",
                facts.days_needed,
                f"at least {rule.min_days} days",
                f"服务天数不少于 {rule.min_days} 天",
            )
        )
    if rule.poverty_township_only and not facts.poverty_township:
        out.append(Broken("site_id", False, "a site in a poverty township", "站点须位于贫困乡镇"))
    if rule.poverty_county_only and facts.county_code not in _poverty_counties():
        out.append(
            Broken("site_id", facts.county_code, "a site in a poverty county", "站点须位于贫困县")
        )
    return out


def talent_breaks(rule: reference.Counting, talent: TalentFacts, county_code: str) -> list[Broken]:
    out = _one_of("talent.category", talent.category, rule.talent_categories)
    out += _one_of("talent.institution_type", talent.institution_type, rule.institution_types)
    if rule.home_county_match and talent.home_county_code != county_code:
        out.append(
            Broken(
                "talent.home_county_code",
                talent.home_county_code,
                f"a talent from {county_code}, the need's county",
                f"须为需求所在县（{county_code}）籍人才",
            )
        )
    return out


def counted_target(
    programme_code: str | None, need: NeedFacts, talent: TalentFacts | None = None
) -> reference.Target | None:
    """The target of the need's line a match counts under: the first of the line whose
    rule need (and talent) keep; None when the line counts no matches or none fits."""
    if not programme_code:
        return None
    for target in line_targets(programme_code):
        assert target.counting is not None
        if need_breaks(target.counting, need):
            continue
        if talent is not None and talent_breaks(target.counting, talent, need.county_code):
            continue
        return target
    return None


def _describe(target: reference.Target, broken: list[Broken]) -> tuple[str, str]:
    en = "; ".join(f"{b.field} {b.value!r}: expected {b.expected_en}" for b in broken)
    zh = "；".join(f"{b.field}（{b.value}）{b.expected_zh}" for b in broken)
    return f"{target.key} ({target.counting.note if target.counting else ''}): {en}", (
        f"“{target.text}”：{zh}"
    )


def posting_breaks(programme_code: str | None, need: NeedFacts) -> list[Broken]:
    """What keeps a need from being posted under ``programme_code``: [] when it may be
    (no line, or a line one of whose targets' rules it keeps); a ``programme_code``
    break for a line that counts no matches; else the parts of the line's first rule it
    breaks. Posting (``check_posting``) and the importer read the same answer."""
    if not programme_code:
        return []
    targets = line_targets(programme_code)
    if not targets:
        return [
            Broken(
                "programme_code",
                programme_code,
                "a line whose targets count matches (this line's figures are entered or "
                "registered, not matched); leave the line empty or choose one that counts "
                "matches",
                "按对接统计的行动措施（该措施的目标由录入或登记计数），请不填或改填按对接统计的行动措施",
            )
        ]
    if counted_target(programme_code, need) is not None:
        return []
    assert targets[0].counting is not None
    return need_breaks(targets[0].counting, need)


def check_posting(programme_code: str | None, need: NeedFacts) -> None:
    """Refuse (422) a need posted under a line whose rule it breaks, or under a line
    that counts no matches (its figures are entered, not matched)."""
    broken = posting_breaks(programme_code, need)
    if not broken:
        return
    assert programme_code is not None
    targets = line_targets(programme_code)
    if not targets:
        raise AppError(
            422,
            "validation_error",
            f"line {programme_code} counts no matches (its figures are entered or "
            "registered); post the need under no line or under a line that counts matches",
            f"行动措施 {programme_code} 的目标不按对接统计（由录入或登记计数），"
            "请不选择或改选按对接统计的行动措施",
            [FieldError("programme_code", "a line whose targets count matches", programme_code)],
        )
    first = targets[0]
    en, zh = _describe(first, broken)
    raise AppError(
        422,
        "validation_error",
        f"the need breaks the rule of line {programme_code}: {en}",
        f"该需求不符合行动措施 {programme_code} 的规则：{zh}",
        [FieldError(b.field, f"expected {b.expected_en}", b.value) for b in broken]
        + [FieldError("programme_code", "a line whose rule the need keeps", programme_code)],
    )


def facts_of_need(session: Session, need: Need) -> NeedFacts:
    site = need.site if need.site is not None else session.get(Site, need.site_id)
    assert site is not None
    return NeedFacts(
        county_code=site.county_code,
        mode=str(need.mode),
        site_type=site.site_type,
        days_needed=need.days_needed,
        skills=tuple(need.skills or ()),
        poverty_township=bool(site.poverty_township),
    )


def facts_of_talent(session: Session, talent_id: int) -> TalentFacts:
    row = session.execute(
        select(Talent.category, Talent.home_county_code, Institution.institution_type)
        .outerjoin(Institution, Talent.institution_id == Institution.id)
        .where(Talent.id == talent_id)
    ).one()
    return TalentFacts(row.category, row.institution_type, row.home_county_code)


def check_approval(session: Session, match: Match) -> None:
    """Refuse (409) approving a match whose talent breaks the rule of the need's line."""
    need = session.get(Need, match.need_id)
    if need is None or not need.programme_code or not line_targets(need.programme_code):
        return
    facts = facts_of_need(session, need)
    talent = facts_of_talent(session, match.talent_id)
    if counted_target(need.programme_code, facts, talent) is not None:
        return
    fitting = [t for t in line_targets(need.programme_code) if t.counting]
    first = next(
        (t for t in fitting if t.counting and not need_breaks(t.counting, facts)), fitting[0]
    )
    assert first.counting is not None
    broken = talent_breaks(first.counting, talent, facts.county_code) or need_breaks(
        first.counting, facts
    )
    en, zh = _describe(first, broken)
    raise AppError(
        409,
        "conflict",
        f"the talent breaks the rule of line {need.programme_code}: {en}",
        f"该人才不符合行动措施 {need.programme_code} 的规则：{zh}",
        [FieldError(b.field, f"expected {b.expected_en}", b.value) for b in broken],
    )
