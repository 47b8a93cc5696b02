"""Reading runs: a county named by code or name, one run, the runs an actor may see,
and the typed report of a stored run."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models import County, MatchRun
from models.enums import Role
from service import policy
from service.actor import Actor, require
from service.errors import AppError, FieldError, not_found
from service.usecases.batch.report import StoredReport, read_report


def resolve_county(*, session: Session, value: str) -> str:
    """A county's code from its code, Chinese name (双柏县), former or English name."""
    text = value.strip()
    code = session.scalar(
        select(County.code).where(
            or_(
                County.code == text,
                County.name == text,
                County.former_name == text,
                func.lower(County.name_en) == text.lower(),
            )
        )
    )
    if code is None:
        raise AppError(
            422,
            "validation_error",
            f"unknown county {value!r}",
            f"未知的县市：{value}",
            [FieldError("county", "expected a county code or name of 楚雄州", value)],
        )
    return str(code)


def get_or_raise(*, session: Session, actor: Actor, run_id: int) -> MatchRun:
    require(actor, Role.COORDINATOR, Role.ADMIN)
    run = session.get(MatchRun, run_id)
    if run is None or not policy.can_see_run(actor, run):
        raise not_found("run")
    return run


def list_(
    *, session: Session, actor: Actor, county: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[MatchRun], int]:
    """Runs the actor may see, newest first, and their total."""
    require(actor, Role.COORDINATOR, Role.ADMIN)
    stmt = policy.visible_runs(actor, select(MatchRun))
    if county:
        stmt = stmt.where(MatchRun.county_code == resolve_county(session=session, value=county))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(MatchRun.id.desc()).offset(offset).limit(limit)))
    return rows, total


def report_of(run: MatchRun) -> StoredReport | None:
    """The typed report of a stored run: a ``RunReport`` once it succeeded, a
    ``FailedReport`` if it failed, None while it runs. Reads rows of every version."""
    return read_report(run.report)
