"""Recruitments (招聘/引进, 措施7). A county coordinator (the county 人社局) enters one for
their county; the prefecture coordinator or an admin approves it or returns it with a
reason. An approved recruitment counts once toward one of 措施7's two targets for its
county and the year of its start date (``people_rules.counted_target``).

Nothing is written when a rule is broken: a 特设岗位 outside a township or for someone
neither 硕士以上 nor 高层次, or a 紧缺人才方式 recruitment meeting none of the six
conditions, answers 422 with every reason in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import County, Recruitment, Talent, Township
from models.ledger import LedgerStatus
from models.people import PostKind, RecruitmentRoute
from models.schemas.page import Page
from models.schemas.people import RecruitmentCreate
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.usecases import ledger_review as review
from service.usecases import people_rules as rules
from service.usecases.registers import year_clause

_AUDIT_FIELDS = (
    "talent_id",
    "county_code",
    "township_id",
    "unit",
    "post",
    "post_kind",
    "route",
    "post_grade",
    "degree_level",
    "title_level",
    "start_date",
    "status",
)


def place_of(session: Session, county_code: str, township_id: int | None) -> rules.Place:
    county = session.get(County, county_code)
    township = session.get(Township, township_id) if township_id else None
    return rules.Place(
        county_name=county.name if county else county_code,
        poverty_county=bool(county and county.is_poverty_county),
        township_name=township.name if township else None,
        poverty_township=bool(township and township.poverty_township),
        altitude_m=(township.altitude_m if township else (county.altitude_m if county else None)),
    )


def candidate_of(body: RecruitmentCreate | Recruitment) -> rules.Candidate:
    return rules.Candidate(
        post_kind=PostKind(body.post_kind),
        degree_level=body.degree_level,
        title_level=body.title_level,
        licences=tuple(body.licences),
        matches_unit_series=body.matches_unit_series,
        failed_open_years=body.failed_open_years,
        high_level=body.high_level,
    )


def _refuse(problems: list[tuple[str, rules.Reason]], value: object) -> AppError:
    zh = "；".join(r.text("zh-CN") for _, r in problems)
    en = "; ".join(r.text("en") for _, r in problems)
    return AppError(
        422,
        "validation_error",
        en,
        zh,
        [FieldError(f, r.text("en"), value) for f, r in problems],
    )


def check_route(session: Session, body: RecruitmentCreate) -> None:
    """The plan's conditions for the route chosen; 422 with every reason."""
    place = place_of(session, body.county_code, body.township_id)
    candidate = candidate_of(body)
    route = RecruitmentRoute(body.route)
    if route is RecruitmentRoute.SPECIAL_POST:
        problems = rules.special_post_problems(
            candidate, place, township_level=body.township_id is not None
        )
        if problems:
            raise _refuse(problems, route.value)
    if route is RecruitmentRoute.SHORTAGE:
        checks = rules.shortage_conditions(candidate, place)
        if not rules.shortage_eligible(checks):
            reasons = [r for c in checks if c.applies for r in c.reasons]
            joined_zh = "；".join(r.text("zh-CN") for r in reasons)
            joined_en = "; ".join(r.text("en") for r in reasons)
            head = rules.Reason("people.err.shortage", {"reasons": ""})
            raise AppError(
                422,
                "validation_error",
                head.text("en") + joined_en,
                head.text("zh-CN") + joined_zh,
                [FieldError("route", head.text("en") + joined_en, route.value)],
            )


def create(*, session: Session, actor: Actor, body: RecruitmentCreate) -> Recruitment:
    """Enter a recruitment (submitted); commits once. 422 naming the field, or 404 for a
    county outside the actor's jurisdiction; nothing is written then."""
    review.check_county(session, actor, body.county_code)
    review.check_township(session, body.county_code, body.township_id)
    if session.get(Talent, body.talent_id) is None:
        raise review.invalid("talent_id", "no such person", body.talent_id, "人员不存在")
    if body.assessed_on is not None and body.assessed_on < body.start_date:
        raise review.invalid(
            "assessed_on",
            f"must not be before start_date {body.start_date.isoformat()}",
            body.assessed_on.isoformat(),
            f"考核日期不能早于到岗日期（{body.start_date.isoformat()}）",
        )
    check_route(session, body)
    row = Recruitment(
        **body.model_dump(exclude={"route", "post_kind", "term_assessment"}),
        route=body.route.value,
        post_kind=body.post_kind.value,
        term_assessment=body.term_assessment.value,
        status=LedgerStatus.SUBMITTED.value,
        entered_by=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="recruitment",
        entity_id=row.id,
        after=audit.snapshot(row, _AUDIT_FIELDS),
    )
    session.commit()
    return row


def get(*, session: Session, actor: Actor, recruitment_id: int) -> Recruitment:
    row: Recruitment = review.load_visible(session, actor, Recruitment, recruitment_id)
    return row


def approve(*, session: Session, actor: Actor, recruitment_id: int) -> Recruitment:
    row: Recruitment = review.decide(session, actor, Recruitment, recruitment_id, approve=True)
    return row


def return_(*, session: Session, actor: Actor, recruitment_id: int, reason: str) -> Recruitment:
    row: Recruitment = review.decide(
        session, actor, Recruitment, recruitment_id, approve=False, reason=reason.strip()
    )
    return row


def list_(
    *,
    session: Session,
    actor: Actor,
    county: str | None = None,
    year: int | None = None,
    route: RecruitmentRoute | None = None,
    status: LedgerStatus | None = None,
    talent_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[Recruitment]:
    stmt = policy.visible_ledger(actor, select(Recruitment), Recruitment.county_code)
    if county:
        stmt = stmt.where(Recruitment.county_code == county)
    if year is not None:
        stmt = stmt.where(year_clause(Recruitment.start_date, year))
    if route is not None:
        stmt = stmt.where(Recruitment.route == route.value)
    if status is not None:
        stmt = stmt.where(Recruitment.status == status.value)
    if talent_id is not None:
        stmt = stmt.where(Recruitment.talent_id == talent_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Recruitment.id.desc()).offset(offset).limit(limit)).all()
    return Page(items=list(rows), total=total, offset=offset, limit=limit)


@dataclass
class Assessment:
    """What the plan says of one recruitment: its target, subsidies and conditions."""

    target: str | None
    subsidies: list[rules.Check]
    conditions: list[rules.Check]


def assess(session: Session, row: Recruitment, *, high_altitude_m: float) -> Assessment:
    place = place_of(session, row.county_code, row.township_id)
    route = RecruitmentRoute(row.route)
    return Assessment(
        target=rules.counted_target(route, row.degree_level, row.high_level),
        subsidies=rules.subsidies(
            route,
            place,
            fresh_graduate=row.fresh_graduate,
            degree_level=row.degree_level,
            high_altitude_m=high_altitude_m,
        ),
        conditions=rules.shortage_conditions(candidate_of(row), place)
        if route is RecruitmentRoute.SHORTAGE
        else [],
    )


@dataclass
class RecruitmentTotal:
    value: int = 0
    ids: list[int] = field(default_factory=list)


def recruitment_totals(
    session: Session, *, year: int | None, county: str | None
) -> dict[str, RecruitmentTotal]:
    """Approved recruitments by 措施7 target, one count per record, for the year of the
    start date (None: all years) and one county (None: the prefecture)."""
    out: dict[str, RecruitmentTotal] = {
        rules.URGENT_TARGET: RecruitmentTotal(),
        rules.HIGH_LEVEL_TARGET: RecruitmentTotal(),
    }
    stmt = select(
        Recruitment.id, Recruitment.route, Recruitment.degree_level, Recruitment.high_level
    ).where(Recruitment.status == LedgerStatus.APPROVED.value)
    if year is not None:
        stmt = stmt.where(year_clause(Recruitment.start_date, year))
    if county:
        stmt = stmt.where(Recruitment.county_code == county)
    for row_id, route, degree, high in session.execute(stmt.order_by(Recruitment.id)):
        key = rules.counted_target(RecruitmentRoute(route), degree, high)
        if key is None:
            continue
        out[key].value += 1
        out[key].ids.append(row_id)
    return out


def talents_named(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Talent.id, Talent.name).where(Talent.id.in_(ids))).all())
