"""The ledger pages: a coordinator's 填报 form and their entries; the prefecture's review
list (oldest first) with approve and return-with-reason; an entry's page with its audit
trail, evidence, correction and reversal. Each calls the use case its API twin calls."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from models import ProgrammeEntry
from models.programme_entry import EntryStatus
from service import policy
from service.actor import Actor
from service.api.params import PathId
from service.api.programme_entries import evidence_response, read_limited
from service.deps import SessionDep, SettingsDep
from service.errors import AppError, FieldError
from service.i18n import translate
from service.pages.common import FormDep, PageActorDep, app_error_messages, see_other, text
from service.pages.render import render, request_locale
from service.settings import Settings
from service.usecases import entry_views, evidence
from service.usecases import programme_entries as entries

router = APIRouter(include_in_schema=False)
_FORM_FIELDS = ("programme_target", "county_code", "year", "value", "note")


def _whole_number(form: FormData, name: str, locale: str) -> int:
    raw = text(form, name)
    try:
        return int(raw)
    except ValueError:
        key = "form.err.required" if not raw else "form.err.integer"
        raise AppError(
            422,
            "validation_error",
            translate(key, "en"),
            translate(key, "zh-CN"),
            [FieldError(name, "a whole number", raw)],
        ) from None


def _upload(form: FormData, name: str) -> UploadFile | None:
    found = form.get(name)
    if isinstance(found, UploadFile) and found.filename:
        return found
    return None


def _labels(session: Session, rows: list[ProgrammeEntry]) -> dict[str, Any]:
    ids = [r.entered_by for r in rows] + [r.decided_by for r in rows]
    return {
        "targets": {c.key: c for c in entry_views.target_choices(session)},
        "county_names": entry_views.county_names(session),
        "people": entry_views.names_of(session, ids),
    }


def _list_context(
    session: Session, actor: Actor, settings: Settings, status: str | None, year: int | None
) -> dict[str, Any]:
    rows, total = entries.list_(session=session, actor=actor, status=status or None, year=year)
    return {
        "actor": actor,
        "rows": rows,
        "total": total,
        "status": status or "",
        "year": year,
        "years": settings.plan_years,
        "choices": entry_views.target_choices(session),
        "counties": entry_views.counties_for(session, actor),
        "may_decide": policy.may_decide_entries(actor),
        "statuses": [s.value for s in EntryStatus],
        "max_evidence_mb": settings.max_evidence_bytes / 1024 / 1024,
        **_labels(session, rows),
    }


@router.get("/entries", response_class=HTMLResponse, response_model=None)
def entry_list(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: PageActorDep,
    status: str | None = None,
    year: int | None = None,
    created: int = 0,
) -> Response:
    context = _list_context(session, actor, settings, status, year)
    return render(
        request, "entries.html", {**context, "values": {}, "errors": {}, "created": created}
    )


def _submit_from_form(
    session: Session, actor: Actor, settings: Settings, form: FormData, locale: str
) -> ProgrammeEntry:
    programme_code, _, target = text(form, "programme_target").partition("|")
    if not target:
        raise AppError(
            422,
            "validation_error",
            "Choose a target",
            "请选择填报的目标",
            [FieldError("programme_target", "required", "")],
        )
    year = _whole_number(form, "year", locale)
    value = _whole_number(form, "value", locale)
    upload = _upload(form, "evidence")
    content = b""
    if upload is not None:
        # Checked before the entry is written, so a refused file leaves nothing behind.
        content = read_limited(upload, settings.max_evidence_bytes)
        evidence.check(content, upload.filename or "", settings.max_evidence_bytes)
    entry = entries.submit(
        session=session,
        actor=actor,
        programme_code=programme_code,
        target=target,
        county_code=text(form, "county_code"),
        year=year,
        value=value,
        note=text(form, "note"),
        plan_years=settings.plan_years,
    )
    if upload is not None:
        entries.attach_evidence(
            session=session,
            actor=actor,
            entry_id=entry.id,
            content=content,
            filename=upload.filename or "evidence",
            max_bytes=settings.max_evidence_bytes,
        )
    return entry


@router.post("/entries/new", response_model=None)
def submit_entry(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    locale = request_locale(request)
    try:
        entry = _submit_from_form(session, actor, settings, form, locale)
    except AppError as exc:
        if exc.status not in (404, 413, 422) or not exc.fields:
            raise
        errors = _form_errors(exc, locale)
        context = _list_context(session, actor, settings, None, None)
        values = {n: text(form, n) for n in _FORM_FIELDS}
        return render(
            request,
            "entries.html",
            {**context, "values": values, "errors": errors, "created": 0},
            status=exc.status,
        )
    return see_other(f"/entries/{entry.id}?created=1")


def _form_errors(exc: AppError, locale: str) -> dict[str, str]:
    errors = app_error_messages(exc, locale)
    renamed = {"target": "programme_target", "file": "evidence"}
    return {renamed.get(k, k): v for k, v in errors.items()}


@router.get("/entries/review", response_class=HTMLResponse, response_model=None)
def review(request: Request, session: SessionDep, actor: PageActorDep, done: int = 0) -> Response:
    if not policy.may_decide_entries(actor):
        raise AppError(
            403,
            "forbidden",
            "only the prefecture coordinator or an admin reviews entries",
            "只有州级协调员或管理员可以审核填报",
        )
    rows, total = entries.list_(
        session=session, actor=actor, status=EntryStatus.SUBMITTED.value, oldest_first=True
    )
    return render(
        request,
        "entries_review.html",
        {
            "actor": actor,
            "rows": rows,
            "total": total,
            "done": done,
            "errors": {},
            **_labels(session, rows),
        },
    )


def _detail(
    request: Request,
    session: Session,
    actor: Actor,
    entry_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
    **flags: Any,
) -> Response:
    entry = entries.get(session=session, actor=actor, entry_id=entry_id)
    events = entries.trail(session=session, actor=actor, entry_id=entry_id)
    labels = _labels(session, [entry])
    labels["people"].update(entry_views.names_of(session, [e.actor_id for e in events]))
    return render(
        request,
        "entry_detail.html",
        {
            "actor": actor,
            "entry": entry,
            "events": events,
            "errors": errors or {},
            "may_decide": policy.may_decide_entry(actor, entry.entered_by)
            and entry.status == EntryStatus.SUBMITTED.value,
            "own": entry.entered_by == actor.id,
            **labels,
            **flags,
        },
        status=status,
    )


@router.get("/entries/{entry_id}", response_class=HTMLResponse, response_model=None)
def entry_page(
    request: Request, entry_id: PathId, session: SessionDep, actor: PageActorDep, created: int = 0
) -> Response:
    return _detail(request, session, actor, entry_id, created=bool(created))


def _retry_on_form_error(
    request: Request, session: Session, actor: Actor, entry_id: int, exc: AppError
) -> Response:
    if exc.status not in (404, 409, 413, 422) or (exc.status == 404 and not exc.fields):
        raise exc
    errors = _form_errors(exc, request_locale(request))
    return _detail(request, session, actor, entry_id, errors, status=exc.status)


@router.post("/entries/{entry_id}/approve", response_model=None)
def approve(
    request: Request, entry_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    try:
        entries.approve(session=session, actor=actor, entry_id=entry_id)
    except AppError as exc:
        return _retry_on_form_error(request, session, actor, entry_id, exc)
    back = text(form, "back")
    return see_other("/entries/review?done=1" if back == "review" else f"/entries/{entry_id}")


@router.post("/entries/{entry_id}/return", response_model=None)
def return_(
    request: Request, entry_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    try:
        entries.return_(
            session=session, actor=actor, entry_id=entry_id, reason=text(form, "reason")
        )
    except AppError as exc:
        return _retry_on_form_error(request, session, actor, entry_id, exc)
    back = text(form, "back")
    return see_other("/entries/review?done=1" if back == "review" else f"/entries/{entry_id}")


@router.post("/entries/{entry_id}/resubmit", response_model=None)
def resubmit(
    request: Request,
    entry_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    locale = request_locale(request)
    try:
        entries.resubmit(
            session=session,
            actor=actor,
            entry_id=entry_id,
            value=_whole_number(form, "value", locale),
            note=text(form, "note"),
            plan_years=settings.plan_years,
        )
    except AppError as exc:
        return _retry_on_form_error(request, session, actor, entry_id, exc)
    return see_other(f"/entries/{entry_id}")


@router.post("/entries/{entry_id}/reverse", response_model=None)
def reverse(
    request: Request, entry_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    locale = request_locale(request)
    try:
        fix = entries.reverse(
            session=session,
            actor=actor,
            entry_id=entry_id,
            value=_whole_number(form, "value", locale),
            note=text(form, "note"),
        )
    except AppError as exc:
        return _retry_on_form_error(request, session, actor, entry_id, exc)
    return see_other(f"/entries/{fix.id}?created=1")


@router.post("/entries/{entry_id}/evidence", response_model=None)
def attach_evidence(
    request: Request,
    entry_id: PathId,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    actor: PageActorDep,
) -> Response:
    upload = _upload(form, "evidence")
    try:
        if upload is None:
            raise AppError(
                422,
                "validation_error",
                "Choose a file",
                "请选择文件",
                [FieldError("evidence", "required", "")],
            )
        entries.attach_evidence(
            session=session,
            actor=actor,
            entry_id=entry_id,
            content=read_limited(upload, settings.max_evidence_bytes),
            filename=upload.filename or "evidence",
            max_bytes=settings.max_evidence_bytes,
        )
    except AppError as exc:
        return _retry_on_form_error(request, session, actor, entry_id, exc)
    return see_other(f"/entries/{entry_id}")


@router.get("/entries/{entry_id}/evidence", response_model=None)
def download_evidence(
    entry_id: PathId, session: SessionDep, settings: SettingsDep, actor: PageActorDep
) -> Response:
    entry, content = entries.evidence_of(
        session=session, actor=actor, entry_id=entry_id, evidence_dir=settings.data_dir / "evidence"
    )
    return evidence_response(entry, content)
