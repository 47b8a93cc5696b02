"""The person page of a talent (issue 13, item 3), opened from candidate lists, the
approval queue, matches and batch reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from service.api.params import MAX_ID, PathId
from service.deps import SessionDep
from service.pages.common import PageActorDep
from service.pages.render import render
from service.usecases import people

router = APIRouter(include_in_schema=False)


@router.get("/talents/{talent_id}", response_class=HTMLResponse, response_model=None)
def talent_person(
    request: Request,
    talent_id: PathId,
    session: SessionDep,
    actor: PageActorDep,
    need: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    found = people.person(
        session=session,
        engine=request.app.state.engine,
        actor=actor,
        talent_id=talent_id,
        need_id=need,
    )
    return render(request, "person.html", {"actor": actor, "person": found})
