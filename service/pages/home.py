"""The public pages: the front page with the plan's goals and headline counts, and
the programme list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from models import County
from models.enums import Role
from service.actor import Actor
from service.auth import OptionalActorDep
from service.deps import SessionDep
from service.i18n import translate
from service.pages.render import render, request_locale
from service.usecases import programmes, todo, views

router = APIRouter(include_in_schema=False)

# Sections whose items show how long they have waited, and those that show a date due.
AGE_KINDS = frozenset(
    {
        "site.answer",
        "talent.invitation",
        "coordinator.approve",
        "coordinator.entries",
        "admin.failed_run",
        "admin.failed_import",
        "admin.failed_delivery",
    }
)
DUE_KINDS = frozenset({"site.start", "site.need_ending", "talent.starting"})


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, actor: OptionalActorDep) -> HTMLResponse:
    stats = views.headline_counts(session=session)
    goals = programmes.list_(session=session, kind="goal")
    found = todo.for_actor(session=session, actor=actor) if actor is not None else None
    locale = request_locale(request)

    def age(item: todo.TodoItem) -> str:
        assert found is not None
        seconds = item.age_seconds(found.generated_at)
        return todo.age_words(seconds, locale) if seconds is not None else ""

    return render(
        request,
        "home.html",
        {
            "area": _coordinator_area(session, actor, locale),
            "stats": stats,
            "goals": goals,
            "actor": actor,
            "todo": found,
            "todo_count": found.count if found is not None else 0,
            "age": age,
            "age_kinds": AGE_KINDS,
            "due_kinds": DUE_KINDS,
        },
    )


def _coordinator_area(session: Session, actor: Actor | None, locale: str) -> str:
    """The area a coordinator answers for (their county, or the whole prefecture), named
    under the welcome line so the figures they open are read for the right place."""
    if actor is None or actor.role != Role.COORDINATOR:
        return ""
    if not actor.jurisdiction:
        return translate("runs.prefecture", locale)
    county = session.get(County, actor.jurisdiction)
    if county is None:
        return ""
    return county.name_en if locale == "en" else county.name


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
