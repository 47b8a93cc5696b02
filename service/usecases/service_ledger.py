"""The grassroots-service ledger (基层服务台账, 措施10): for one person, every period
served at township level or below, computed — never typed in — from

- placements: approved, active or completed matches of a long placement (``onsite_long``)
  at a site in a township, over the need's dates;
- service records: each dated record of a shorter placement at a site in a township is
  one day there;
- rotations (县管乡用/县管校聘): the term at the host township;
- recruitments (approved) into a township unit: from the start date to the day the person
  left (or today);

each with the place's poverty-township and altitude attributes. A county officer may
confirm a period, correct its dates or exclude it, with a reason (audited); the latest
review of a period wins. From the periods, ``people_rules`` decides the 职称 rules of
措施10 and the 服务期满 priority of 措施4, with dates and reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    CareerFacts,
    County,
    Match,
    Need,
    Recruitment,
    Rotation,
    ServicePeriodReview,
    ServiceRecord,
    Site,
    Talent,
    Township,
)
from models.enums import MatchStatus, Mode
from models.ledger import LedgerStatus
from models.people import (
    TERM_ROUTES,
    PeriodDecision,
    ProfessionSeries,
    RecruitmentRoute,
    TermAssessment,
)
from models.schemas.people import CareerFactsBody, PeriodReviewBody
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.i18n import translate
from service.usecases import ledger_review as review
from service.usecases import people_rules as rules

PLACED = (MatchStatus.APPROVED.value, MatchStatus.ACTIVE.value, MatchStatus.COMPLETED.value)


@dataclass
class Period:
    source: str  # "placement:12", "record:5", "rotation:3", "recruitment:4"
    township_id: int
    place: str
    county_code: str
    poverty_township: bool
    poverty_county: bool
    altitude_m: float | None
    starts_on: date
    ends_on: date
    decision: str | None = None
    decision_reason: str | None = None

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def kind(self) -> str:
        return self.source.split(":", 1)[0]


@dataclass
class Ledger:
    talent: Talent
    as_of: date
    person: rules.Person
    periods: list[Period]
    merged: list[rules.Span]
    rules: list[rules.Check]
    rotations: list[Rotation] = field(default_factory=list)
    counties: set[str] = field(default_factory=set)

    @property
    def total_days(self) -> int:
        return sum(s.days for s in self.merged)


class _Places:
    """Townships and counties by id, read once."""

    def __init__(self, session: Session) -> None:
        self.townships = {t.id: t for t in session.scalars(select(Township))}
        self.counties = {c.code: c for c in session.scalars(select(County))}

    def period(self, source: str, township_id: int, start: date, end: date) -> Period:
        t = self.townships[township_id]
        c = self.counties[t.county_code]
        return Period(
            source=source,
            township_id=t.id,
            place=f"{c.name} {t.name}",
            county_code=c.code,
            poverty_township=t.poverty_township,
            poverty_county=c.is_poverty_county,
            altitude_m=t.altitude_m,
            starts_on=start,
            ends_on=end,
        )


def _placements(session: Session, talent_id: int, places: _Places, as_of: date) -> list[Period]:
    rows = session.execute(
        select(Match.id, Need.start_date, Need.end_date, Site.township_id)
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .where(
            Match.talent_id == talent_id,
            Match.status.in_(PLACED),
            Need.mode == Mode.ONSITE_LONG.value,
            Site.township_id.is_not(None),
        )
    ).all()
    return [
        places.period(f"placement:{mid}", tid, start, min(end, as_of))
        for mid, start, end, tid in rows
        if start <= as_of and tid is not None
    ]


def _records(session: Session, talent_id: int, places: _Places, as_of: date) -> list[Period]:
    rows = session.execute(
        select(ServiceRecord.id, ServiceRecord.date, Site.township_id)
        .join(Match, ServiceRecord.match_id == Match.id)
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .where(
            Match.talent_id == talent_id,
            Need.mode != Mode.ONSITE_LONG.value,
            Site.township_id.is_not(None),
            ServiceRecord.date <= as_of,
        )
    ).all()
    return [
        places.period(f"record:{rid}", tid, day, day) for rid, day, tid in rows if tid is not None
    ]


def _rotations(rows: list[Rotation], places: _Places, as_of: date) -> list[Period]:
    return [
        places.period(f"rotation:{r.id}", r.host_township_id, r.starts_on, min(r.ends_on, as_of))
        for r in rows
        if r.starts_on <= as_of
    ]


def _recruitments(rows: list[Recruitment], places: _Places, as_of: date) -> list[Period]:
    out = []
    for r in rows:
        if r.township_id is None or r.status != LedgerStatus.APPROVED.value:
            continue
        end = min(r.ended_on or as_of, as_of)
        if r.start_date <= end:
            out.append(places.period(f"recruitment:{r.id}", r.township_id, r.start_date, end))
    return out


def _apply_reviews(session: Session, talent_id: int, periods: list[Period]) -> list[Period]:
    latest: dict[str, ServicePeriodReview] = {}
    for rv in session.scalars(
        select(ServicePeriodReview)
        .where(ServicePeriodReview.talent_id == talent_id)
        .order_by(ServicePeriodReview.id)
    ):
        latest[rv.source] = rv
    out = []
    for p in periods:
        found = latest.get(p.source)
        if found is not None:
            p.decision, p.decision_reason = found.decision, found.reason
            if found.decision == PeriodDecision.CORRECT.value and found.starts_on and found.ends_on:
                p.starts_on, p.ends_on = found.starts_on, found.ends_on
        out.append(p)
    return out


def _person(session: Session, talent: Talent) -> rules.Person:
    facts = session.get(CareerFacts, talent.id)
    return rules.Person(
        series=ProfessionSeries(facts.series) if facts else ProfessionSeries.OTHER,
        title_level=talent.title_level,
        regular_graduate=bool(facts and facts.regular_graduate),
        graduated_on=facts.graduated_on if facts else None,
        intermediate_since=facts.intermediate_since if facts else None,
    )


def _terms(recruitments: list[Recruitment]) -> list[rules.Term]:
    return [
        rules.Term(
            r.id, RecruitmentRoute(r.route), TermAssessment(r.term_assessment), r.assessed_on
        )
        for r in recruitments
        if RecruitmentRoute(r.route) in TERM_ROUTES and r.status == LedgerStatus.APPROVED.value
    ]


def _counties(
    session: Session, talent: Talent, periods: list[Period], others: list[Any]
) -> set[str]:
    out = {p.county_code for p in periods} | {o.county_code for o in others}
    if talent.home_county_code:
        out.add(talent.home_county_code)
    placed = session.scalars(
        select(Site.county_code)
        .join(Need, Need.site_id == Site.id)
        .join(Match, Match.need_id == Need.id)
        .where(Match.talent_id == talent.id, Match.status.in_(PLACED))
    )
    return out | set(placed)


def build(session: Session, talent: Talent, as_of: date) -> Ledger:
    """The ledger of ``talent`` as of ``as_of`` (no access check; see :func:`for_person`)."""
    places = _Places(session)
    rotations = list(
        session.scalars(
            select(Rotation).where(Rotation.talent_id == talent.id).order_by(Rotation.starts_on)
        )
    )
    recruitments = list(
        session.scalars(
            select(Recruitment)
            .where(Recruitment.talent_id == talent.id)
            .order_by(Recruitment.start_date)
        )
    )
    periods = (
        _placements(session, talent.id, places, as_of)
        + _records(session, talent.id, places, as_of)
        + _rotations(rotations, places, as_of)
        + _recruitments(recruitments, places, as_of)
    )
    periods = sorted(
        _apply_reviews(session, talent.id, periods), key=lambda p: (p.starts_on, p.source)
    )
    counted = [p for p in periods if p.decision != PeriodDecision.EXCLUDE.value]
    merged = rules.merge(rules.Span(p.starts_on, p.ends_on) for p in counted)
    person = _person(session, talent)
    checks = [
        rules.senior_service_rule(person, merged),
        rules.early_first_title_rule(person, merged, as_of),
        rules.grassroots_associate_senior_rule(person, merged, as_of),
        rules.term_priority_rule(_terms(recruitments)),
    ]
    return Ledger(
        talent=talent,
        as_of=as_of,
        person=person,
        periods=periods,
        merged=merged,
        rules=checks,
        rotations=rotations,
        counties=_counties(session, talent, periods, [*rotations, *recruitments]),
    )


def _missing(talent_id: int) -> AppError:
    return AppError(
        404,
        "not_found",
        f"person {talent_id} not found within your jurisdiction",
        "未找到该人员（或不在您的管辖范围内）",
        [FieldError("talent_id", "not found or outside your jurisdiction", talent_id)],
    )


def for_person(*, session: Session, actor: Actor, talent_id: int, as_of: date) -> Ledger:
    """The ledger, if ``actor`` may read it: the person, a coordinator over one of the
    person's counties, the prefecture, an admin; anyone else gets 404."""
    talent = session.get(Talent, talent_id)
    if talent is None:
        raise _missing(talent_id)
    ledger = build(session, talent, as_of)
    if not policy.can_see_person_ledger(actor, talent_id, ledger.counties):
        raise _missing(talent_id)
    return ledger


def review_period(
    *, session: Session, actor: Actor, talent_id: int, body: PeriodReviewBody, as_of: date
) -> ServicePeriodReview:
    """Confirm, correct or exclude one period, with a reason; audited, commits once."""
    ledger = for_person(session=session, actor=actor, talent_id=talent_id, as_of=as_of)
    if not policy.may_review_period(actor, ledger.counties):
        raise AppError(
            403,
            "forbidden",
            "Only a county officer reviews periods",
            "只有县市人社部门可以核实时段",
        )
    period = next((p for p in ledger.periods if p.source == body.source), None)
    if period is None:
        raise review.invalid(
            "source",
            "not a period of this person's ledger",
            body.source,
            "该人员台账中没有这一时段",
        )
    correct = body.decision is PeriodDecision.CORRECT
    if correct:
        _check_correction(body)
    row = ServicePeriodReview(
        talent_id=talent_id,
        source=body.source,
        decision=body.decision.value,
        starts_on=body.starts_on if correct else None,
        ends_on=body.ends_on if correct else None,
        reason=body.reason.strip(),
        actor_id=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action=f"period.{body.decision.value}",
        entity="service_period_review",
        entity_id=row.id,
        before={"source": period.source, "starts_on": period.starts_on, "ends_on": period.ends_on},
        after={
            "talent_id": talent_id,
            "decision": body.decision.value,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "reason": row.reason,
        },
    )
    session.commit()
    return row


def _check_correction(body: PeriodReviewBody) -> None:
    ok = body.starts_on is not None and body.ends_on is not None and body.ends_on >= body.starts_on
    if not ok:
        raise review.invalid(
            "ends_on",
            "a correction needs a start and an end on or after it",
            body.ends_on.isoformat() if body.ends_on else None,
            "更正须填写开始和结束日期，且结束不早于开始",
        )


def set_career_facts(
    *, session: Session, actor: Actor, talent_id: int, body: CareerFactsBody, as_of: date
) -> CareerFacts:
    """The person's series, graduation and 中级 date, as the rules read them; audited."""
    ledger = for_person(session=session, actor=actor, talent_id=talent_id, as_of=as_of)
    if not policy.may_review_period(actor, ledger.counties):
        raise AppError(
            403, "forbidden", "Only a county officer edits these", "只有县市人社部门可以修改"
        )
    facts = session.get(CareerFacts, talent_id) or CareerFacts(talent_id=talent_id)
    before = {
        k: getattr(facts, k, None)
        for k in ("series", "regular_graduate", "graduated_on", "intermediate_since")
    }
    facts.series = body.series.value
    facts.regular_graduate = body.regular_graduate
    facts.graduated_on = body.graduated_on
    facts.intermediate_since = body.intermediate_since
    session.add(facts)
    audit.record(
        session=session,
        actor=actor,
        action="update",
        entity="career_facts",
        entity_id=talent_id,
        before=before,
        after=body.model_dump(),
    )
    session.commit()
    return facts


# ------------------------------------------------------------------------ outputs
def period_label(p: Period, locale: str) -> str:
    return translate(f"people.source.{p.kind}", locale)


PERIOD_HEADERS = (
    "source",
    "place",
    "poverty",
    "altitude",
    "starts_on",
    "ends_on",
    "days",
    "decision",
)


def xlsx(ledger: Ledger, locale: str) -> bytes:
    """Two sheets: the periods and the rules, words in ``locale``; dates as ISO text."""
    from openpyxl import Workbook

    from service.spreadsheet_safety import xlsx_row

    def t(key: str) -> str:
        return translate(key, locale)

    book = Workbook(write_only=True)
    sheet = book.create_sheet(t("people.ledger.periods")[:31])
    sheet.append(
        [
            t("people.field.person"),
            ledger.talent.name,
            t("people.ledger.as_of").format(date=ledger.as_of.isoformat()),
        ]
    )
    sheet.append([t(f"people.field.{h}") for h in PERIOD_HEADERS])
    for p in ledger.periods:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    f"{period_label(p, locale)} {p.source.split(':')[1]}",
                    p.place,
                    t("people.yes") if p.poverty_township else t("people.no"),
                    p.altitude_m,
                    p.starts_on.isoformat(),
                    p.ends_on.isoformat(),
                    p.days,
                    t(f"people.decision.{p.decision}") if p.decision else "",
                ],
            )
        )
    rules_sheet = book.create_sheet(t("people.ledger.rules")[:31])
    rules_sheet.append(
        [
            t("people.field.kind"),
            t("people.field.status"),
            t("people.field.on_date"),
            t("people.field.reason"),
        ]
    )
    for c in ledger.rules:
        d = c.as_dict(locale)
        status = (
            t("people.not_applicable")
            if not c.applies
            else (t("people.met") if c.met else t("people.not_met"))
        )
        rules_sheet.append(
            xlsx_row(rules_sheet, [d["label"], status, d["on"] or "", "；".join(d["reasons"])])
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
