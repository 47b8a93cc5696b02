"""What registers and trainings share: checking the county, township and year they are
entered for, and the review (submitted → approved | returned) that decides whether they
count. A decision is one conditional UPDATE on ``status = 'submitted'``, so of two
concurrent decisions on the same row exactly one takes effect; the other gets 409."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import County, Target, Township
from models.base import utcnow
from models.ledger import LedgerStatus
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.i18n import translate

_NAMES = {
    "register_entry": ("register entry", "登记记录"),
    "training": ("training", "培训"),
    "recruitment": ("recruitment", "招聘引进记录"),
}


def invalid(field: str, message: str, value: Any, message_zh: str) -> AppError:
    """A 422 naming the one field that is wrong."""
    return AppError(
        422,
        "validation_error",
        f"{field}: {message}",
        message_zh,
        [FieldError(field, message, value)],
    )


def check_county(session: Session, actor: Actor, county_code: str) -> County:
    """The county exists (422 otherwise) and is within the actor's reach (404)."""
    policy.require_coordinator(actor)
    county = session.get(County, county_code)
    if county is None:
        raise invalid(
            "county_code", "not a county of the prefecture", county_code, "县市代码不存在"
        )
    policy.ledger_county(actor, county_code)
    return county


def check_township(session: Session, county_code: str, township_id: int | None) -> None:
    if township_id is None:
        return
    township = session.get(Township, township_id)
    if township is None or township.county_code != county_code:
        raise invalid(
            "township_id",
            f"not a township of county {county_code}",
            township_id,
            f"乡镇不属于所选县市（{county_code}）",
        )


def plan_years(session: Session) -> list[int]:
    """The years the plan's targets are tracked for, as loaded into the database."""
    years = session.scalars(select(Target.year).distinct().where(Target.year.is_not(None)))
    return sorted(y for y in years if y is not None)


def check_plan_year(session: Session, field: str, day: date) -> None:
    years = plan_years(session)
    if years and day.year not in years:
        raise invalid(
            field,
            f"year {day.year} is outside the plan years {years[0]}–{years[-1]}",
            day.isoformat(),
            f"年份 {day.year} 不在行动计划年度（{years[0]}–{years[-1]}）内",
        )


def check_plan_year_number(session: Session, field: str, year: int) -> None:
    check_plan_year(session, field, date(year, 1, 1))


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise invalid(
            field,
            f"expected one of {', '.join(allowed)}",
            value,
            f"请从以下选项中选择：{'、'.join(allowed)}",
        )


def load_visible(session: Session, actor: Actor, model: Any, row_id: int) -> Any:
    """The row, or 404 when missing or outside the actor's county."""
    policy.require_ledger_reader(actor)
    row = session.get(model, row_id)
    name, name_zh = _NAMES[model.__tablename__]
    if row is None or not actor.covers_county(row.county_code):
        raise AppError(404, "not_found", f"{name} not found", f"未找到该{name_zh}")
    return row


def decide(
    session: Session,
    actor: Actor,
    model: Any,
    row_id: int,
    *,
    approve: bool,
    reason: str | None = None,
) -> Any:
    """Approve or return a submitted row; commits. 409 when it was already decided."""
    row = load_visible(session, actor, model, row_id)
    policy.require_ledger_decider(actor, entered_by=row.entered_by)
    new_status = LedgerStatus.APPROVED if approve else LedgerStatus.RETURNED
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.status == LedgerStatus.SUBMITTED)
        .values(
            status=new_status,
            return_reason=None if approve else reason,
            decided_by=actor.id,
            decided_at=utcnow(),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        session.refresh(row)
        status_zh = translate(f"ledger.status.{row.status}", "zh-CN")
        raise AppError(
            409,
            "already_decided",
            f"already {row.status}; only a submitted entry can be approved or returned",
            f"该记录已是“{status_zh}”状态，只有待审核的记录可以审核",
            [FieldError("status", "expected submitted", row.status)],
        )
    audit.record(
        session=session,
        actor=actor,
        action="approve" if approve else "return",
        entity=model.__tablename__,
        entity_id=row_id,
        before={"status": LedgerStatus.SUBMITTED.value},
        after={"status": new_status.value, "reason": reason},
    )
    session.commit()
    session.refresh(row)
    return row
