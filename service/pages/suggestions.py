"""The placements suggested to a talent, with the reasons, and expressing interest."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from models.enums import MatchStatus, Role
from service.actor import Actor, require
from service.api.params import PathId
from service.deps import SessionDep
from service.errors import AppError
from service.pages.common import (
    FormDep,
    PageActorDep,
    see_other,
    text,
)
from service.pages.render import render
from service.usecases import candidates, matches

router = APIRouter(include_in_schema=False)


@router.get("/suggestions", response_class=HTMLResponse, response_model=None)
def suggestions(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    require(actor, Role.TALENT)
    assert actor.talent_id is not None
    found = candidates.for_talent(
        session=session,
        engine=request.app.state.engine,
        actor=actor,
        talent_id=actor.talent_id,
        k=10,
    )
    mine = matches.list_(session=session, actor=actor, status="proposed", limit=50).items
    return render(
        request, "suggestions.html", {"actor": actor, "suggestions": found, "proposals": mine}
    )


def current_state(match_id: int) -> Response:
    """Acting twice on a need lands on the match as it stands, with a note."""
    return see_other(f"/matches/{match_id}?note=already")


def express_interest(*, session: Session, actor: Actor, need_id: int, note: str | None) -> Response:
    """The talent's "I am interested": answers an invitation, or starts a match; when
    she has acted on this need already (or someone else moved the match meanwhile), it
    shows the match's current state instead of an error."""
    assert actor.talent_id is not None
    existing = matches.list_(
        session=session, actor=actor, need_id=need_id, talent_id=actor.talent_id, limit=1
    ).items
    if existing and existing[0].status != MatchStatus.PROPOSED:
        return current_state(existing[0].id)
    try:
        if existing:
            match = matches.transition(
                session=session,
                actor=actor,
                match_id=existing[0].id,
                action="interest",
                expected_version=existing[0].version,
            )
        else:
            match = matches.propose(
                session=session,
                actor=actor,
                need_id=need_id,
                talent_id=actor.talent_id,
                note=note,
            )
    except AppError as exc:
        if exc.status != 409:
            raise
        session.rollback()
        again = matches.list_(
            session=session, actor=actor, need_id=need_id, talent_id=actor.talent_id, limit=1
        ).items
        if not again:
            raise
        return current_state(again[0].id)
    return see_other(f"/matches/{match.id}")


@router.post("/suggestions/{need_id}/interest", response_model=None)
def interest(
    request: Request, need_id: PathId, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    require(actor, Role.TALENT)
    return express_interest(
        session=session, actor=actor, need_id=need_id, note=text(form, "note") or None
    )
