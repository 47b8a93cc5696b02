"""Page side of questions before a decision (a thread on the match page) and of a
coordinator recording a talent's interest from the need's candidate list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.api.params import PathId
from service.deps import SessionDep
from service.errors import AppError
from service.form_input import form_id
from service.pages.common import FormDep, PageActorDep, app_error_messages, see_other, text
from service.pages.matches import _detail_context
from service.pages.render import render, request_locale
from service.pages.suggestions import current_state
from service.usecases import interest, matches, messages

router = APIRouter(include_in_schema=False)


@router.post("/matches/{match_id}/messages", response_model=None)
def post_message(
    request: Request, match_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    body = text(form, "body")
    try:
        messages.post(
            session=session,
            actor=actor,
            match_id=match_id,
            body=body,
            per_hour=request.app.state.settings.message_rate_per_hour,
        )
    except AppError as exc:
        if exc.status not in (403, 409, 422, 429):
            raise
        session.rollback()
        match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
        context = _detail_context(session, actor, match)
        context.update(
            message_errors=app_error_messages(exc, request_locale(request)),
            message_value=body,
        )
        return render(request, "match_detail.html", context, status=exc.status)
    return see_other(f"/matches/{match_id}#thread")


@router.post("/needs/{need_id}/record-interest", response_model=None)
def record_interest(
    request: Request, need_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    """A coordinator records, from the candidate list, that a talent said yes by phone
    or in person; a talent already matched with the need lands on that match."""
    talent_id = form_id(form, "talent_id")
    assert talent_id is not None
    try:
        match = interest.record(
            session=session,
            actor=actor,
            need_id=need_id,
            talent_id=talent_id,
            channel=text(form, "channel"),
            note=text(form, "note") or None,
        )
    except AppError as exc:
        if exc.status != 409:
            raise
        session.rollback()
        existing = matches.list_(
            session=session, actor=actor, need_id=need_id, talent_id=talent_id, limit=1
        ).items
        if not existing:
            raise
        return current_state(existing[0].id)
    return see_other(f"/matches/{match.id}")
