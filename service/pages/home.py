"""The public pages: the front page with the plan's goals and headline counts, and
the programme list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.auth import OptionalActorDep
from service.deps import SessionDep
from service.pages.render import render
from service.usecases import programmes, views

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, actor: OptionalActorDep) -> HTMLResponse:
    stats = views.headline_counts(session=session)
    goals = programmes.list_(session=session, kind="goal")
    return render(request, "home.html", {"stats": stats, "goals": goals, "actor": actor})


@router.get("/programmes", response_class=HTMLResponse)
def programmes_page(request: Request, session: SessionDep, actor: OptionalActorDep) -> HTMLResponse:
    return render(
        request,
        "programmes.html",
        {
            "goals": programmes.list_(session=session, kind="goal"),
            "measures": programmes.list_(session=session, kind="measure"),
            "actor": actor,
        },
    )
