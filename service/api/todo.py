"""GET /api/v1/todo: the signed-in user's to-do list."""

from __future__ import annotations

from fastapi import APIRouter, Request

from models.schemas.todo import TodoItemRead, TodoRead, TodoSectionRead
from service.auth import ActorDep
from service.deps import SessionDep
from service.i18n import pick_locale, translate
from service.usecases import todo

router = APIRouter(tags=["todo"])


def to_read(found: todo.TodoList, locale: str) -> TodoRead:
    now = found.generated_at
    sections = []
    for section in found.sections:
        items = []
        for item in section.items:
            age = item.age_seconds(now)
            items.append(
                TodoItemRead(
                    kind=item.kind,
                    entity=item.entity,
                    entity_id=item.entity_id,
                    title=item.title_in(locale),
                    detail=item.detail_in(locale),
                    url=item.url,
                    status=item.status,
                    since=item.since,
                    age_seconds=age,
                    age=todo.age_words(age, locale) if age is not None else None,
                    due=item.due,
                )
            )
        sections.append(
            TodoSectionRead(
                kind=section.kind,
                label=translate(f"todo.{section.kind}", locale),
                total=section.total,
                items=items,
            )
        )
    return TodoRead(role=found.role, count=found.count, generated_at=now, sections=sections)


@router.get("/todo", response_model=TodoRead)
def get_todo(request: Request, actor: ActorDep, session: SessionDep) -> TodoRead:
    """What waits for you, by section; each item links to the page where it is done."""
    locale = pick_locale(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language", ""),
    )
    return to_read(todo.for_actor(session=session, actor=actor), locale)
