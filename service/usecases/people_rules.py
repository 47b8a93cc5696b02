"""The plan's rules about people, as pure functions over plain values (no database):

- 措施7: the conditions under which a post may be filled 按紧缺人才方式; what a 特设岗位
  needs; which subsidies a 基层人才招聘（引进） brings (乡镇工作补贴, 艰苦边远地区津贴,
  高海拔地区折算工龄补贴, 提前转正定级并高定工资); which of 措施7's two targets a
  recruitment counts toward.
- 措施10: the 职称 rules read from a person's grassroots-service periods (1 year of rural
  grassroots service for 高级; first 职称 one year early; 10 continuous township years
  since 中级 → 基层有效副高级) and 措施4's 服务期满考核 priority.

Every verdict carries its reasons as message keys with parameters
(``service/messages/people.py``), so a page shows them in words, zh-CN or English."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from models.people import (
    PASSING_ASSESSMENTS,
    PostKind,
    ProfessionSeries,
    RecruitmentRoute,
    TermAssessment,
)
from service.i18n import translate

BACHELOR = 3
MASTER = 4
INTERMEDIATE = 3
ONE_YEAR_DAYS = 365
CONTINUOUS_YEARS = 10
# 基层人才招聘（引进） in 措施7: the routes the plan's subsidy sentence speaks of.
GRASSROOTS_ROUTES = frozenset({RecruitmentRoute.SHORTAGE, RecruitmentRoute.SPECIAL_POST})
TEACHER_POSTS = frozenset(
    {PostKind.HIGH_SCHOOL_TEACHER, PostKind.VOCATIONAL_TEACHER, PostKind.BILINGUAL_TEACHER}
)
URGENT_TARGET = "measure_7.urgent_technicians"
HIGH_LEVEL_TARGET = "measure_7.high_level"


@dataclass(frozen=True)
class Reason:
    """A sentence for people: a message key and what fills it."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, locale: str) -> str:
        words = {k: _word(v, locale) for k, v in self.params.items()}
        return translate(self.key, locale).format(**words)


def _word(value: Any, locale: str) -> Any:
    """Parameters that are message keys themselves (``"@people.route.shortage"``) are
    translated too; dates read as ISO days."""
    if isinstance(value, str) and value.startswith("@"):
        return translate(value[1:], locale)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ("、" if locale != "en" else ", ").join(str(_word(v, locale)) for v in value)
    return value


@dataclass(frozen=True)
class Check:
    """One condition or rule: its name (a message key), whether it holds, and why."""

    code: str
    met: bool
    reasons: tuple[Reason, ...]
    applies: bool = True
    on: date | None = None  # the day it was (or will be) met, when that is known

    def as_dict(self, locale: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": translate(f"people.rule.{self.code}", locale),
            "applies": self.applies,
            "met": self.met,
            "on": self.on.isoformat() if self.on else None,
            "reasons": [r.text(locale) for r in self.reasons],
        }


# ----------------------------------------------------------------- 措施7 recruitment
@dataclass(frozen=True)
class Place:
    """Where a post or a period of service is: township (None at county level) and the
    attributes the rules read."""

    county_name: str
    poverty_county: bool
    township_name: str | None = None
    poverty_township: bool = False
    altitude_m: float | None = None

    @property
    def label(self) -> str:
        return self.county_name + (f" {self.township_name}" if self.township_name else "")

    @property
    def hardship(self) -> bool:
        return self.poverty_township or self.poverty_county


@dataclass(frozen=True)
class Candidate:
    """What the 紧缺人才 conditions read of a recruitment."""

    post_kind: PostKind
    degree_level: int
    title_level: int
    licences: tuple[str, ...]
    matches_unit_series: bool
    failed_open_years: int
    high_level: bool = False


def shortage_conditions(c: Candidate, place: Place) -> list[Check]:
    """措施7's six ways a post may be filled 按紧缺人才方式; any one suffices."""
    degree = f"@people.degree.{c.degree_level}"
    teacher = c.post_kind in TEACHER_POSTS
    checks = [
        Check(
            "shortage_teacher",
            teacher and c.degree_level >= BACHELOR,
            (
                Reason(
                    "people.why.teacher", {"post": f"@people.post.{c.post_kind}", "degree": degree}
                ),
            ),
            applies=teacher,
        ),
        _medical(c, place, degree),
        Check(
            "shortage_culture",
            c.post_kind is PostKind.CULTURE_PERFORMANCE,
            (Reason("people.why.culture", {"post": f"@people.post.{c.post_kind}"}),),
            applies=c.post_kind is PostKind.CULTURE_PERFORMANCE,
        ),
        Check(
            "shortage_master_or_intermediate",
            (c.degree_level >= MASTER or c.title_level >= INTERMEDIATE) and c.matches_unit_series,
            (
                Reason(
                    "people.why.master_or_intermediate",
                    {
                        "degree": degree,
                        "title": f"@people.title.{c.title_level}",
                        "series": "@people.yes" if c.matches_unit_series else "@people.no",
                    },
                ),
            ),
        ),
        Check(
            "shortage_poverty_bachelor",
            place.poverty_township and c.degree_level >= BACHELOR and c.matches_unit_series,
            (
                Reason(
                    "people.why.poverty_bachelor",
                    {
                        "place": place.label,
                        "poverty": "@people.yes" if place.poverty_township else "@people.no",
                        "degree": degree,
                        "series": "@people.yes" if c.matches_unit_series else "@people.no",
                    },
                ),
            ),
            applies=place.poverty_township,
        ),
        Check(
            "shortage_two_years",
            c.failed_open_years >= 2,
            (Reason("people.why.two_years", {"years": c.failed_open_years}),),
        ),
    ]
    return checks


def _medical(c: Candidate, place: Place, degree: str) -> Check:
    medical = c.post_kind is PostKind.MEDICAL_TECHNICAL
    licences = set(c.licences)
    physician = "practising_physician" in licences
    assistant = "assistant_physician" in licences and place.poverty_township
    met = medical and (c.degree_level >= BACHELOR or physician or assistant)
    key = "people.why.medical_poverty" if place.poverty_township else "people.why.medical"
    held: list[str] | str = [f"@people.licence.{code}" for code in sorted(licences)]
    if not held:
        held = "@people.licence.none"
    return Check(
        "shortage_medical",
        met,
        (
            Reason(
                key,
                {"degree": degree, "place": place.label, "held": held},
            ),
        ),
        applies=medical,
    )


def shortage_eligible(checks: Iterable[Check]) -> bool:
    return any(c.met for c in checks)


def special_post_problems(
    c: Candidate, place: Place, *, township_level: bool
) -> list[tuple[str, Reason]]:
    """What stops a 特设岗位: it is for 乡镇事业单位 bringing in 硕士学位以上 or 急需紧缺
    高层次人才. Returns (field, reason) pairs; empty when it may be used."""
    out: list[tuple[str, Reason]] = []
    if not township_level:
        out.append(("township_id", Reason("people.err.special_post_township")))
    if c.degree_level < MASTER and not c.high_level:
        out.append(
            (
                "degree_level",
                Reason(
                    "people.err.special_post_degree", {"degree": f"@people.degree.{c.degree_level}"}
                ),
            )
        )
    return out


def subsidies(
    route: RecruitmentRoute,
    place: Place,
    *,
    fresh_graduate: bool,
    degree_level: int,
    high_altitude_m: float,
) -> list[Check]:
    """The subsidies 措施7 names for 基层人才招聘（引进）, each with its rule in words."""
    if route not in GRASSROOTS_ROUTES:
        why = Reason("people.sub.not_grassroots", {"route": f"@people.route.{route.value}"})
        return [
            Check(code, False, (why,), applies=False)
            for code in (
                "township_allowance",
                "hardship_allowance",
                "altitude_seniority",
                "early_regular",
            )
        ]
    township = place.township_name is not None
    altitude = place.altitude_m
    high = altitude is not None and altitude >= high_altitude_m
    graduate = fresh_graduate and degree_level >= 1
    return [
        Check(
            "township_allowance",
            township,
            (
                Reason(
                    "people.sub.township" if township else "people.sub.county",
                    {"place": place.label},
                ),
            ),
        ),
        Check(
            "hardship_allowance",
            place.hardship,
            (_hardship_reason(place),),
        ),
        Check(
            "altitude_seniority",
            high,
            (
                Reason(
                    "people.sub.altitude",
                    {
                        "place": place.label,
                        "altitude": "—" if altitude is None else f"{altitude:.0f}",
                        "threshold": f"{high_altitude_m:.0f}",
                    },
                ),
            ),
        ),
        Check(
            "early_regular",
            graduate and place.hardship,
            (
                Reason(
                    "people.sub.early_regular",
                    {
                        "graduate": "@people.yes" if graduate else "@people.no",
                        "hardship": "@people.yes" if place.hardship else "@people.no",
                    },
                ),
            ),
        ),
    ]


def _hardship_reason(place: Place) -> Reason:
    if place.poverty_township:
        return Reason("people.sub.hardship_township", {"place": place.label})
    if place.poverty_county:
        return Reason("people.sub.hardship_county", {"place": place.label})
    return Reason("people.sub.hardship_none", {"place": place.label})


def counted_target(route: RecruitmentRoute, degree_level: int, high_level: bool) -> str | None:
    """The one 措施7 target a recruitment counts toward: 硕士学位以上 or 急需紧缺高层次人才
    → the 20; otherwise a recruitment 按紧缺人才方式 or under a 特设岗位 → the 300; other
    routes (公开招聘, 三支一扶 …) are not 措施7's 引进 and count toward neither."""
    if degree_level >= MASTER or high_level:
        return HIGH_LEVEL_TARGET
    if route in GRASSROOTS_ROUTES:
        return URGENT_TARGET
    return None


# ------------------------------------------------------------- 措施10 service ledger
@dataclass(frozen=True)
class Span:
    starts_on: date
    ends_on: date

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


def merge(spans: Iterable[Span]) -> list[Span]:
    """Union of day ranges (ends included); ranges that touch (one ends the day before
    the next starts) join, a gap of a day or more keeps them apart."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.starts_on, s.ends_on)):
        if out and s.starts_on <= out[-1].ends_on + timedelta(days=1):
            last = out[-1]
            out[-1] = Span(last.starts_on, max(last.ends_on, s.ends_on))
        else:
            out.append(s)
    return out


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def day_reaching(merged: list[Span], days: int) -> date | None:
    """The day on which the served days (``merged``) reach ``days``, or None."""
    total = 0
    for s in merged:
        if total + s.days >= days:
            return s.starts_on + timedelta(days=days - total - 1)
        total += s.days
    return None


@dataclass(frozen=True)
class Person:
    """What the 职称 rules read of a person besides service."""

    series: ProfessionSeries
    title_level: int
    regular_graduate: bool
    graduated_on: date | None
    intermediate_since: date | None


def senior_service_rule(person: Person, merged: list[Span]) -> Check:
    """高级职称 for 中小学教师 and 卫生 staff needs ≥ 1 year of rural grassroots service."""
    applies = person.series in (ProfessionSeries.EDUCATION, ProfessionSeries.HEALTH)
    days = sum(s.days for s in merged)
    reached = day_reaching(merged, ONE_YEAR_DAYS)
    reason = Reason(
        "people.why.senior_service",
        {"days": days, "need": ONE_YEAR_DAYS, "on": reached or "—"},
    )
    reasons: tuple[Reason, ...] = (reason,)
    if not applies:
        reasons = (
            Reason("people.why.senior_series", {"series": f"@people.series.{person.series}"}),
            reason,
        )
    return Check("senior_service", reached is not None, reasons, applies=applies, on=reached)


def early_first_title_rule(person: Person, merged: list[Span], as_of: date) -> Check:
    """普通高校毕业生 working at township level or below may apply for their first 职称
    one year early."""
    at_grassroots = any(s.starts_on <= as_of <= s.ends_on for s in merged)
    first = person.title_level == 0
    met = person.regular_graduate and first and at_grassroots
    return Check(
        "early_first_title",
        met,
        (
            Reason(
                "people.why.early_first_title",
                {
                    "graduate": "@people.yes" if person.regular_graduate else "@people.no",
                    "graduated_on": person.graduated_on or "—",
                    "title": f"@people.title.{person.title_level}",
                    "now": "@people.yes" if at_grassroots else "@people.no",
                    "as_of": as_of,
                },
            ),
        ),
        applies=person.regular_graduate and first,
    )


def continuous_since(merged: list[Span], since: date, as_of: date) -> Span | None:
    """The longest unbroken run of service within [since, as_of]."""
    best: Span | None = None
    for s in merged:
        start, end = max(s.starts_on, since), min(s.ends_on, as_of)
        if end < start:
            continue
        run = Span(start, end)
        if best is None or run.days > best.days:
            best = run
    return best


def grassroots_associate_senior_rule(person: Person, merged: list[Span], as_of: date) -> Check:
    """中级 holders in 教育、卫生、农业科技 with 10 continuous years in townships since
    their 中级 may be recognised for 基层有效副高级."""
    since = person.intermediate_since
    if person.title_level != INTERMEDIATE or since is None:
        why = Reason("people.why.no_intermediate", {"title": f"@people.title.{person.title_level}"})
        return Check("grassroots_associate_senior", False, (why,), applies=False)
    series_ok = person.series in SCARCE_SERIES
    run = continuous_since(merged, since, as_of)
    due = add_years(run.starts_on, CONTINUOUS_YEARS) - timedelta(days=1) if run else None
    met = series_ok and run is not None and due is not None and due <= run.ends_on
    reasons = [_continuous_reason(since, run)]
    if len([s for s in merged if s.ends_on >= since]) > 1:
        reasons.append(Reason("people.why.gap_breaks"))
    if not series_ok:
        reasons.append(
            Reason("people.why.series_not_scarce", {"series": f"@people.series.{person.series}"})
        )
    return Check(
        "grassroots_associate_senior",
        met,
        tuple(reasons),
        applies=series_ok,
        on=due if met else None,
    )


SCARCE_SERIES = (ProfessionSeries.EDUCATION, ProfessionSeries.HEALTH, ProfessionSeries.AGRI_TECH)


def _continuous_reason(since: date, run: Span | None) -> Reason:
    if run is None:
        params: dict[str, Any] = {"start": "—", "end": "—", "years": 0}
    else:
        params = {"start": run.starts_on, "end": run.ends_on, "years": round(run.days / 365.25, 1)}
    return Reason("people.why.continuous", {"since": since, "need": CONTINUOUS_YEARS, **params})


@dataclass(frozen=True)
class Term:
    """A 服务期 programme recruitment and its 期满考核."""

    recruitment_id: int
    route: RecruitmentRoute
    assessment: TermAssessment
    assessed_on: date | None


def term_priority_rule(terms: list[Term]) -> Check:
    """服务期满考核 合格及以上 → priority for the programme's benefits (措施4)."""
    if not terms:
        return Check("term_priority", False, (Reason("people.why.no_term"),), applies=False)
    reasons = tuple(
        Reason(
            "people.why.term",
            {
                "route": f"@people.route.{t.route.value}",
                "result": f"@people.assessment.{t.assessment.value}",
                "on": t.assessed_on or "—",
            },
        )
        for t in terms
    )
    met = any(t.assessment in PASSING_ASSESSMENTS for t in terms)
    on = min(
        (t.assessed_on for t in terms if t.assessment in PASSING_ASSESSMENTS and t.assessed_on),
        default=None,
    )
    return Check("term_priority", met, reasons, on=on)
