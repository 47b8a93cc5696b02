"""Admin: the reference data (vocabularies, counties, programmes) as loaded."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service import policy
from service.deps import SessionDep
from service.pages.common import PageActorDep
from service.pages.render import render
from service.usecases import need_search, views
from service.usecases.reference import labels

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/reference", response_class=HTMLResponse, response_model=None)
def reference(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    policy.require_admin(actor)
    return render(
        request,
        "admin_reference.html",
        {
            "actor": actor,
            "labels": labels(),
            "counts": views.reference_counts(session=session),
            "counties": views.counties(session=session),
            "programmes": need_search.programme_choices(session=session),
        },
    )
