"""Pages for registers and trainings: a county coordinator enters them for their county,
the prefecture coordinator (or an admin) approves or returns them. Lists show words, not
codes: kinds, statuses, counties, townships and targets by name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Township, User
from models.ledger import REGISTER_KINDS, TRAINING_TARGETS, LedgerStatus, RegisterKind
from models.schemas.ledger import ConfirmPeopleTrained, RegisterCreate, TrainingCreate
from service import policy
from service.actor import Actor
from service.api.params import PathId
from service.deps import SessionDep
from service.errors import AppError
from service.pages.common import (
    FormDep,
    PageActorDep,
    app_error_messages,
    field_messages,
    present,
    see_other,
    text,
)
from service.pages.render import render, request_locale
from service.usecases import ledger_review, registers, trainings

router = APIRouter(include_in_schema=False)

_REGISTER_FIELDS = ("kind", "name", "county_code", "township_id", "founded_on", "lead_unit", "note")
_TRAINING_FIELDS = (
    "title",
    "target",
    "county_code",
    "starts_on",
    "ends_on",
    "organiser",
    "participants",
    "note",
)


def _choice(value: str, allowed: type[Any]) -> Any:
    try:
        return allowed(value) if value else None
    except ValueError:
        return None


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _common(session: Session, actor: Actor, request: Request) -> dict[str, Any]:
    counties = list(session.scalars(select(County).order_by(County.code)))
    english = request_locale(request) == "en"
    codes = {c.code for c in counties if actor.covers_county(c.code)}
    townships = session.scalars(
        select(Township).where(Township.county_code.in_(codes)).order_by(Township.county_code)
    )
    users = {uid: name for uid, name in session.execute(select(User.id, User.display_name))}
    return {
        "actor": actor,
        "counties": counties,
        # County names in the reader's language (the filters, the rows, the forms).
        "county_names": {c.code: c.name_en if english else c.name for c in counties},
        "entry_counties": [c for c in counties if c.code in codes],
        "townships": list(townships),
        "township_names": {t.id: t.name for t in session.scalars(select(Township))},
        "users": users,
        "years": ledger_review.plan_years(session),
        "statuses": [s.value for s in LedgerStatus],
        "may_decide": policy.may_decide_ledger(actor),
    }


def _filters(request: Request) -> dict[str, str]:
    return {
        k: request.query_params.get(k, "") for k in ("kind", "target", "county", "year", "status")
    }


# ------------------------------------------------------------------- registers
def _registers_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    policy.require_ledger_reader(actor)
    f = _filters(request)
    page = registers.list_(
        session=session,
        actor=actor,
        kind=_choice(f["kind"], RegisterKind),
        county=f["county"] or None,
        year=_year(f["year"]),
        status=_choice(f["status"], LedgerStatus),
        limit=200,
    )
    kinds = registers.kinds()
    return render(
        request,
        "ledger_registers.html",
        {
            **_common(session, actor, request),
            "rows": page.items,
            "total": page.total,
            "filter_values": f,
            "kinds": kinds,
            "lead_units": sorted({u for k in kinds for u in k.lead_units}),
            "targets": {k.value: line.target for k, line in REGISTER_KINDS.items()},
            "values": values or {},
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
        },
        status=status,
    )


@router.get("/registers", response_class=HTMLResponse, response_model=None)
def registers_list(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    return _registers_page(request, session, actor)


@router.post("/registers", response_model=None)
def registers_create(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    values = present(form, _REGISTER_FIELDS)
    locale = request_locale(request)
    try:
        body = RegisterCreate.model_validate(values)
        registers.create(session=session, actor=actor, body=body)
    except ValidationError as exc:
        errors = field_messages(exc, locale)
        return _registers_page(request, session, actor, values=values, errors=errors, status=422)
    except AppError as exc:
        if exc.status not in (404, 422):
            raise
        errors = app_error_messages(exc, locale)
        return _registers_page(
            request, session, actor, values=values, errors=errors, status=exc.status
        )
    return see_other("/registers?done=saved")


@router.post("/registers/{register_id}/approve", response_model=None)
def registers_approve(
    register_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    registers.approve(session=session, actor=actor, register_id=register_id)
    return see_other("/registers?done=decided")


@router.post("/registers/{register_id}/return", response_model=None)
def registers_return(
    request: Request, register_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    reason = text(form, "reason")
    if not reason:
        errors = {f"reason-{register_id}": _reason_needed(request)}
        return _registers_page(request, session, actor, errors=errors, status=422)
    registers.return_(session=session, actor=actor, register_id=register_id, reason=reason)
    return see_other("/registers?done=decided")


def _reason_needed(request: Request) -> str:
    from service.i18n import translate

    return translate("form.err.required", request_locale(request))


# ------------------------------------------------------------------- trainings
def _trainings_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    policy.require_ledger_reader(actor)
    f = _filters(request)
    page = trainings.list_(
        session=session,
        actor=actor,
        target=f["target"] or None,
        county=f["county"] or None,
        year=_year(f["year"]),
        status=_choice(f["status"], LedgerStatus),
        limit=200,
    )
    return render(
        request,
        "ledger_trainings.html",
        {
            **_common(session, actor, request),
            "rows": page.items,
            "total": page.total,
            "filter_values": f,
            "targets": list(TRAINING_TARGETS),
            "values": values or {},
            "errors": errors or {},
            "done": request.query_params.get("done", ""),
        },
        status=status,
    )


@router.get("/trainings", response_class=HTMLResponse, response_model=None)
def trainings_list(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    return _trainings_page(request, session, actor)


def _training_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = present(form, _TRAINING_FIELDS)
    names = [n.strip() for n in text(form, "names").splitlines() if n.strip()]
    values["names"] = names
    return values


@router.post("/trainings", response_model=None)
def trainings_create(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    values = _training_values(form)
    locale = request_locale(request)
    try:
        body = TrainingCreate.model_validate(values)
        trainings.create(session=session, actor=actor, body=body)
    except ValidationError as exc:
        shown = {**values, "names": "\n".join(values["names"])}
        errors = field_messages(exc, locale)
        return _trainings_page(request, session, actor, values=shown, errors=errors, status=422)
    except AppError as exc:
        if exc.status not in (404, 422):
            raise
        shown = {**values, "names": "\n".join(values["names"])}
        errors = app_error_messages(exc, locale)
        return _trainings_page(
            request, session, actor, values=shown, errors=errors, status=exc.status
        )
    return see_other("/trainings?done=saved")


@router.post("/trainings/confirm-people-trained", response_model=None)
def trainings_confirm(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    values = present(form, ("county_code", "year"))
    locale = request_locale(request)
    try:
        body = ConfirmPeopleTrained.model_validate(values)
        trainings.confirm_people_trained(session=session, actor=actor, body=body)
    except ValidationError as exc:
        errors = {f"confirm_{k}": v for k, v in field_messages(exc, locale).items()}
        return _trainings_page(request, session, actor, errors=errors, status=422)
    except AppError as exc:
        if exc.status not in (404, 409, 422):
            raise
        errors = {f"confirm_{k}": v for k, v in app_error_messages(exc, locale).items()}
        return _trainings_page(request, session, actor, errors=errors, status=exc.status)
    return see_other("/trainings?done=saved")


@router.post("/trainings/{training_id}/approve", response_model=None)
def trainings_approve(
    training_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    trainings.approve(session=session, actor=actor, training_id=training_id)
    return see_other("/trainings?done=decided")


@router.post("/trainings/{training_id}/return", response_model=None)
def trainings_return(
    request: Request, training_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    reason = text(form, "reason")
    if not reason:
        errors = {f"reason-{training_id}": _reason_needed(request)}
        return _trainings_page(request, session, actor, errors=errors, status=422)
    trainings.return_(session=session, actor=actor, training_id=training_id, reason=reason)
    return see_other("/trainings?done=decided")
